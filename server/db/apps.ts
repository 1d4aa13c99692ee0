// Apps: one query family. Ownership is enforced here: callers pass the principal.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { Principal } from './users.ts';
import { alerts, appLogs, apps, metrics } from './schema.ts';

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

/**
 * What a deleted app leaves behind that nobody may read again: its metrics, app logs and open alerts (by
 * app_id, so another app of the same name keeps its own). Audit events stay (admins only, db/events.ts).
 */
export async function deleteAppData(db: Db, appId: number) {
  await db.transaction(async (tx) => {
    await tx.delete(metrics).where(eq(metrics.appId, appId));
    await tx.delete(appLogs).where(eq(appLogs.appId, appId));
    await tx.delete(alerts).where(and(eq(alerts.appId, appId), isNull(alerts.resolvedAt)));
  });
}

/** Ids of the apps the principal may see now (the tenant scope of events, alerts, metrics and logs). */
export async function visibleAppIds(db: Db, p: Principal): Promise<number[]> {
  const rows = await db.select({ id: apps.id }).from(apps).where(visible(p));
  return rows.map((r) => r.id);
}

/** An app as the collectors see it: its id (what history is keyed by), uid and name. */
export interface AppKey {
  id: number;
  uid: string;
  name: string;
  createdAt: Date;
}

export interface AppLookup {
  /** The live app a Docker label or proxy host names: by uid first, then by name; undefined when gone. */
  get(key: string | undefined | null): AppKey | undefined;
  byId(id: number): AppKey | undefined;
  readonly all: readonly AppKey[];
}

/**
 * The live apps of this moment, keyed by uid and by name. The collectors resolve the `kyozo.app` label
 * (the app's uid, or its name on containers started before labels carried uids) and proxy hosts (names)
 * through it once per cycle, so a sample of a deleted app is dropped and a re-created name is another id.
 */
export async function appsByUidOrName(db: Db): Promise<AppLookup> {
  const all: AppKey[] = await db
    .select({ id: apps.id, uid: apps.uid, name: apps.name, createdAt: apps.createdAt })
    .from(apps);
  const byUid = new Map(all.map((a) => [a.uid, a]));
  const byName = new Map(all.map((a) => [a.name, a]));
  const byId = new Map(all.map((a) => [a.id, a]));
  return {
    all,
    get: (key) => (key ? (byUid.get(key) ?? byName.get(key.toLowerCase())) : undefined),
    byId: (id) => byId.get(id),
  };
}
