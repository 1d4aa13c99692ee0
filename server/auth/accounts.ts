// Console sign-in credentials: a user's scrypt password, or (for first sign-in and CI) one of their API tokens.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { authenticateToken, findUserByEmail, type Principal } from '../db/users.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const ADMIN_EMAIL = 'admin@localhost';

export async function setPassword(db: Db, userId: number, password: string): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, userId));
}

/**
 * KYOZO_ADMIN_PASSWORD: when set, the admin's password is (re)set to it on start, so the variable
 * stays authoritative. When unset, nothing changes (the admin signs in with the admin API token first).
 */
export async function bootstrapAdminPassword(db: Db, password: string | null): Promise<void> {
  if (!password) return;
  const admin = await findUserByEmail(db, ADMIN_EMAIL);
  if (!admin) throw new Error('bootstrapAdminPassword: run bootstrapAdmin first');
  if (admin.passwordHash && (await verifyPassword(password, admin.passwordHash))) return;
  await setPassword(db, admin.id, password);
}

// Verifying against a dummy hash when the user is unknown keeps the response time the same.
let dummyHash: Promise<string> | null = null;

/** The user when `password` is their password or one of their unrevoked API tokens; otherwise null. */
export async function authenticatePassword(db: Db, email: string, password: string): Promise<Principal | null> {
  if (!email || !password || email.length > 320 || password.length > 1024) return null;
  const user = await findUserByEmail(db, email.trim());
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  const principal: Principal = { userId: user.id, email: user.email, isAdmin: user.isAdmin, tokenId: null };
  if (user.passwordHash && (await verifyPassword(password, user.passwordHash))) return principal;
  if (password.startsWith('kz_')) {
    const viaToken = await authenticateToken(db, password);
    if (viaToken && viaToken.userId === user.id) return principal;
  }
  return null;
}
