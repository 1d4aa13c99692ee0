// App container logs (collected by server/logs/appLogs.ts), bounded per app. Lines belong to an app by id
// (app_id): an app created with a deleted app's name starts with none.
import { and, asc, desc, eq, gt, isNotNull, isNull, max, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { appLogs, apps } from './schema.ts';

export type AppLogRow = typeof appLogs.$inferSelect;
export type NewAppLog = Omit<typeof appLogs.$inferInsert, 'id' | 'appId'> & { appId: number };

export async function insertAppLogs(db: Db, rows: NewAppLog[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(appLogs).values(rows.slice(i, i + 1000));
}

/** Time of the newest stored line of one replica (resumes collection after a restart). */
export async function lastAppLogAt(db: Db, appId: number, service: string, replica: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: max(appLogs.at) })
    .from(appLogs)
    .where(and(eq(appLogs.appId, appId), eq(appLogs.service, service), eq(appLogs.replica, replica)));
  return row?.at ? new Date(row.at) : null;
}

/** The newest `tail` lines (oldest first), or every line after `afterId` (at most `limit`). */
export async function readAppLogs(
  db: Db,
  f: { appId: number; service?: string; tail?: number; afterId?: number; limit?: number },
): Promise<AppLogRow[]> {
  const conds = [eq(appLogs.appId, f.appId)];
  if (f.service) conds.push(eq(appLogs.service, f.service));
  if (f.afterId !== undefined) {
    conds.push(gt(appLogs.id, f.afterId));
    return db
      .select()
      .from(appLogs)
      .where(and(...conds))
      .orderBy(asc(appLogs.id))
      .limit(f.limit ?? 1000);
  }
  const rows = await db
    .select()
    .from(appLogs)
    .where(and(...conds))
    .orderBy(desc(appLogs.id))
    .limit(f.tail ?? 100);
  return rows.reverse();
}

/** Keeps the newest `keep` lines of an app (by id); returns how many were deleted. */
export async function trimAppLogs(db: Db, appId: number, keep: number): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with cut as (select id from ${appLogs} where app_id = ${appId} order by id desc offset ${keep} limit 1),
    d as (delete from ${appLogs} where app_id = ${appId} and id <= (select id from cut) returning 1)
    select count(*)::int as n from d`);
  return Number(rows[0]?.n ?? 0);
}

/** Every app (id) with stored lines (trim targets). */
export async function appsWithLogs(db: Db): Promise<number[]> {
  const rows = await db.selectDistinct({ appId: appLogs.appId }).from(appLogs).where(isNotNull(appLogs.appId));
  return rows.map((r) => r.appId!);
}

/**
 * Lines of apps that no longer exist: an app_id no app has (deleted, even if its name was created again), or
 * none at all (lines of apps deleted before app ids were recorded).
 */
export async function purgeLogsOfDeletedApps(db: Db): Promise<number> {
  const rows = await db
    .delete(appLogs)
    .where(or(isNull(appLogs.appId), sql`not exists (select 1 from ${apps} where ${apps.id} = ${appLogs.appId})`))
    .returning({ id: appLogs.id });
  return rows.length;
}
