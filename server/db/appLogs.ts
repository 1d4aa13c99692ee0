// App container logs (collected by server/logs/appLogs.ts), bounded per app.
import { and, asc, desc, eq, gt, max, notInArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { appLogs, apps } from './schema.ts';

export type AppLogRow = typeof appLogs.$inferSelect;
export type NewAppLog = Omit<typeof appLogs.$inferInsert, 'id'>;

export async function insertAppLogs(db: Db, rows: NewAppLog[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(appLogs).values(rows.slice(i, i + 1000));
}

/** Time of the newest stored line of one replica (resumes collection after a restart). */
export async function lastAppLogAt(db: Db, app: string, service: string, replica: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: max(appLogs.at) })
    .from(appLogs)
    .where(and(eq(appLogs.app, app), eq(appLogs.service, service), eq(appLogs.replica, replica)));
  return row?.at ? new Date(row.at) : null;
}

/** The newest `tail` lines (oldest first), or every line after `afterId` (at most `limit`). */
export async function readAppLogs(
  db: Db,
  f: { app: string; service?: string; tail?: number; afterId?: number; limit?: number },
): Promise<AppLogRow[]> {
  const conds = [eq(appLogs.app, f.app)];
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

/** Keeps the newest `keep` lines of an app; returns how many were deleted. */
export async function trimAppLogs(db: Db, app: string, keep: number): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with cut as (select id from ${appLogs} where app = ${app} order by id desc offset ${keep} limit 1),
    d as (delete from ${appLogs} where app = ${app} and id <= (select id from cut) returning 1)
    select count(*)::int as n from d`);
  return Number(rows[0]?.n ?? 0);
}

/** Every app with stored lines (trim targets). */
export async function appsWithLogs(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ app: appLogs.app }).from(appLogs);
  return rows.map((r) => r.app);
}

/** Lines of apps that no longer exist. */
export async function purgeLogsOfDeletedApps(db: Db): Promise<number> {
  const rows = await db
    .delete(appLogs)
    .where(notInArray(appLogs.app, db.select({ name: apps.name }).from(apps)))
    .returning({ id: appLogs.id });
  return rows.length;
}
