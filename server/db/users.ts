// Users and API tokens. Tokens are shown once and stored as sha256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { apiTokens, users } from './schema.ts';

export interface Principal {
  userId: number;
  email: string;
  isAdmin: boolean;
  tokenId: number | null;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => `kz_${randomBytes(32).toString('base64url')}`;

export async function createUser(db: Db, email: string, isAdmin = false) {
  const [u] = await db.insert(users).values({ email: email.toLowerCase(), isAdmin }).returning();
  return u;
}

export async function findUserByEmail(db: Db, email: string) {
  const [u] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return u ?? null;
}

/** Creates a token for a user and returns it in clear text (the only time it exists unhashed). */
export async function issueToken(db: Db, userId: number, name: string, token = newToken()) {
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id });
  return { id: row.id, token };
}

export async function revokeToken(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export async function listTokens(db: Db, userId: number) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(apiTokens.id);
}

export async function authenticateToken(db: Db, token: string): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ tokenId: apiTokens.id, userId: users.id, email: users.email, isAdmin: users.isAdmin })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  // Best effort, never blocks auth.
  db.update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(apiTokens.id, row.tokenId))
    .catch(() => {});
  return row;
}

/**
 * First start: create the admin user. With KYOZO_ADMIN_TOKEN the token is that value (re-registered
 * if it changed); without it a token is generated and returned so it can be printed once.
 */
export async function bootstrapAdmin(db: Db, configuredToken: string | null): Promise<{ printToken: string | null }> {
  let admin = await findUserByEmail(db, 'admin@localhost');
  if (!admin) admin = await createUser(db, 'admin@localhost', true);
  if (configuredToken) {
    const known = await authenticateToken(db, configuredToken);
    if (!known) await issueToken(db, admin.id, 'KYOZO_ADMIN_TOKEN', configuredToken);
    return { printToken: null };
  }
  const existing = await listTokens(db, admin.id);
  if (existing.length > 0) return { printToken: null };
  const { token } = await issueToken(db, admin.id, 'bootstrap');
  return { printToken: token };
}

export async function principalById(db: Db, userId: number): Promise<Principal | null> {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  return u ? { userId: u.id, email: u.email, isAdmin: u.isAdmin, tokenId: null } : null;
}
