// Console sessions in Postgres: the cookie holds a random id, the table its sha256, the user and a CSRF token.
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import type { Principal } from '../db/users.ts';

export const SESSION_COOKIE = 'kz_session';
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

export interface Session {
  principal: Principal;
  csrfToken: string;
  idHash: string;
}

export async function createSession(
  db: Db,
  userId: number,
  meta: { ip?: string | null; userAgent?: string | null } = {},
) {
  const id = randomToken();
  const csrfToken = randomToken();
  await db.insert(sessions).values({
    idHash: sha256(id),
    userId,
    csrfToken,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
  });
  // Opportunistic cleanup of expired sessions.
  db.delete(sessions)
    .where(lt(sessions.expiresAt, new Date()))
    .catch(() => {});
  return { id, csrfToken };
}

export async function loadSession(db: Db, id: string | undefined): Promise<Session | null> {
  if (!id || id.length > 100) return null;
  const idHash = sha256(id);
  const [row] = await db
    .select({ csrfToken: sessions.csrfToken, userId: users.id, email: users.email, isAdmin: users.isAdmin })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, new Date())));
  if (!row) return null;
  return {
    idHash,
    csrfToken: row.csrfToken,
    principal: { userId: row.userId, email: row.email, isAdmin: row.isAdmin, tokenId: null },
  };
}

export async function deleteSession(db: Db, idHash: string) {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

/** Signs a user out everywhere except the given session (after a password change). */
export async function deleteOtherSessions(db: Db, userId: number, keepIdHash: string) {
  const rows = await db.select({ idHash: sessions.idHash }).from(sessions).where(eq(sessions.userId, userId));
  for (const r of rows) if (r.idHash !== keepIdHash) await deleteSession(db, r.idHash);
}

export function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
