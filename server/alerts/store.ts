// Alert rows and per-app alert settings. Opening relies on the partial unique index alerts_open_key
// (one unresolved alert per key), so two evaluators racing still open an alert once.
import { and, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { alerts, apps, appSettings, type AppSettings } from '../db/schema.ts';
import type { Condition } from './evaluate.ts';

export type Alert = typeof alerts.$inferSelect;

/** Inserts the alert unless one with the same key is open; returns the new row or null. */
export async function openAlert(db: Db, c: Condition, at = new Date()): Promise<Alert | null> {
  const rows = await db
    .insert(alerts)
    .values({
      app: c.app,
      appId: c.appId,
      service: c.service,
      kind: c.kind,
      key: c.key,
      severity: c.severity,
      message: c.message,
      value: c.value,
      threshold: c.threshold,
      openedAt: at,
    })
    .onConflictDoNothing({ target: alerts.key, where: sql`resolved_at is null` })
    .returning();
  return rows[0] ?? null;
}

export async function resolveAlert(db: Db, id: number, at = new Date(), value?: number | null): Promise<Alert | null> {
  const rows = await db
    .update(alerts)
    .set({ resolvedAt: at, ...(value !== undefined ? { value } : {}) })
    .where(and(eq(alerts.id, id), isNull(alerts.resolvedAt)))
    .returning();
  return rows[0] ?? null;
}

export async function openAlerts(db: Db): Promise<Alert[]> {
  return db.select().from(alerts).where(isNull(alerts.resolvedAt));
}

/**
 * Open alerts of apps that no longer exist (opened by a cycle that raced the app's deletion) are dropped
 * before each evaluation: their key names the app, and another app of the same name must be able to open its own.
 */
export async function dropOrphanAlerts(db: Db): Promise<number> {
  const rows = await db
    .delete(alerts)
    .where(
      and(
        isNull(alerts.resolvedAt),
        isNotNull(alerts.appId),
        sql`not exists (select 1 from ${apps} where ${apps.id} = ${alerts.appId})`,
      ),
    )
    .returning({ id: alerts.id });
  return rows.length;
}

export async function markNotified(db: Db, id: number, at = new Date()): Promise<void> {
  await db.update(alerts).set({ notifiedAt: at }).where(eq(alerts.id, id));
}

export interface AlertFilter {
  /** null = every app and host alerts (admin); otherwise only the alerts of these apps (by id). */
  appIds: number[] | null;
  /** One app's alerts, by id (not by name: a deleted app's name may belong to another app now). */
  appId?: number;
  state?: 'open' | 'resolved' | 'all';
  limit?: number;
}

export async function listAlerts(db: Db, f: AlertFilter): Promise<Alert[]> {
  const conds: SQL[] = [];
  if (f.appIds) {
    if (f.appIds.length === 0) return [];
    conds.push(inArray(alerts.appId, f.appIds));
  }
  if (f.appId !== undefined) conds.push(eq(alerts.appId, f.appId));
  if (f.state === 'open') conds.push(isNull(alerts.resolvedAt));
  if (f.state === 'resolved') conds.push(isNotNull(alerts.resolvedAt));
  return db
    .select()
    .from(alerts)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(alerts.openedAt), desc(alerts.id))
    .limit(Math.min(Math.max(f.limit ?? 100, 1), 1000));
}

/** app name → its settings (only apps that have a settings row). */
export async function alertSettingsByApp(db: Db): Promise<Map<string, AppSettings>> {
  const rows = await db
    .select({ name: apps.name, settings: appSettings.settings })
    .from(appSettings)
    .innerJoin(apps, eq(apps.id, appSettings.appId));
  return new Map(rows.map((r) => [r.name, r.settings]));
}

export async function appSettingsOf(db: Db, appId: number): Promise<AppSettings> {
  const [row] = await db
    .select({ settings: appSettings.settings })
    .from(appSettings)
    .where(eq(appSettings.appId, appId));
  return row?.settings ?? {};
}

/** Writes only the alerts/webhookUrl keys (jsonb merge), leaving formation etc. untouched. */
export async function saveAlertSettings(
  db: Db,
  appId: number,
  patch: Pick<AppSettings, 'alerts' | 'webhookUrl'>,
): Promise<AppSettings> {
  const json = JSON.stringify(patch);
  const [row] = await db
    .insert(appSettings)
    .values({ appId, settings: patch })
    .onConflictDoUpdate({
      target: appSettings.appId,
      set: { settings: sql`${appSettings.settings} || ${json}::jsonb`, updatedAt: sql`now()` },
    })
    .returning({ settings: appSettings.settings });
  return row.settings;
}

type FinishedRelease = { app: string; appId: number; version: number; status: string; error: string | null };

/** Per app: its latest release that finished (live, superseded or failed). */
export async function latestFinishedReleases(db: Db): Promise<FinishedRelease[]> {
  const rows = await db.execute(sql`
    select distinct on (r.app_id) a.name as app, a.id as "appId", r.version, r.status, r.error
    from releases r join apps a on a.id = r.app_id
    where r.status in ('live', 'failed', 'superseded')
    order by r.app_id, r.version desc`);
  return rows as unknown as FinishedRelease[];
}

/** The fields of an alert every outside view shares (webhook payloads, the alerts API). */
export const alertFields = (a: Alert) => ({
  id: a.id,
  app: a.app,
  service: a.service,
  kind: a.kind,
  severity: a.severity,
  message: a.message,
  value: a.value,
  threshold: a.threshold,
  openedAt: a.openedAt.toISOString(),
  resolvedAt: a.resolvedAt?.toISOString() ?? null,
});
