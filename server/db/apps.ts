// Apps: one query family. Ownership is enforced here: callers pass the principal.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { Principal } from './users.ts';
import { apps } from './schema.ts';

export type App = typeof apps.$inferSelect;

const visible = (p: Principal) => (p.isAdmin ? undefined : eq(apps.ownerId, p.userId));

/** A row as the rest of Kyozo sees it: its config decrypted (db/secrets.ts). */
const opened = (db: Db, row: App | undefined): App | null =>
  row ? { ...row, config: db.secrets.open(row.config, row.id) } : null;

export async function createApp(db: Db, name: string, ownerId: number): Promise<App | null> {
  const rows = await db.insert(apps).values({ name, ownerId }).onConflictDoNothing().returning();
  return opened(db, rows[0]);
}

export async function listApps(db: Db, p: Principal): Promise<App[]> {
  const rows = await db.select().from(apps).where(visible(p)).orderBy(asc(apps.name));
  return rows.map((r) => opened(db, r)!);
}

/** The app if it exists and the principal may see it; otherwise null (callers answer 404 either way). */
export async function getApp(db: Db, p: Principal, name: string): Promise<App | null> {
  const cond = visible(p);
  const [row] = await db
    .select()
    .from(apps)
    .where(cond ? and(eq(apps.name, name), cond) : eq(apps.name, name));
  return opened(db, row);
}

export async function getAppByName(db: Db, name: string): Promise<App | null> {
  const [row] = await db.select().from(apps).where(eq(apps.name, name));
  return opened(db, row);
}

export async function getAppById(db: Db, id: number): Promise<App | null> {
  const [row] = await db.select().from(apps).where(eq(apps.id, id));
  return opened(db, row);
}

export async function setAppConfig(db: Db, appId: number, config: Record<string, string>) {
  const sealed = db.secrets.seal(config, appId) as unknown as Record<string, string>; // the column's stored form
  await db.update(apps).set({ config: sealed }).where(eq(apps.id, appId));
}

export async function setAppState(db: Db, appId: number, state: 'running' | 'stopped') {
  await db.update(apps).set({ state }).where(eq(apps.id, appId));
}

export async function deleteApp(db: Db, appId: number) {
  await db.delete(apps).where(eq(apps.id, appId));
}
