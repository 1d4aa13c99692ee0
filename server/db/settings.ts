// Per-app operational settings (formation, alert thresholds, webhook, service ports): one JSON document per app.
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { appSettings, type AppSettings } from './schema.ts';

export async function getSettings(db: Db, appId: number): Promise<AppSettings> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.appId, appId));
  return row?.settings ?? {};
}

/** Read-modify-write of one app's settings under a row lock. */
export async function updateSettings(
  db: Db,
  appId: number,
  change: (s: AppSettings) => AppSettings,
): Promise<AppSettings> {
  return db.transaction(async (tx) => {
    await tx.insert(appSettings).values({ appId, settings: {} }).onConflictDoNothing();
    const [row] = await tx.select().from(appSettings).where(eq(appSettings.appId, appId)).for('update');
    const next = change(row?.settings ?? {});
    await tx.update(appSettings).set({ settings: next, updatedAt: new Date() }).where(eq(appSettings.appId, appId));
    return next;
  });
}

export async function allServicePorts(db: Db): Promise<Set<number>> {
  const rows = await db.select({ settings: appSettings.settings }).from(appSettings);
  const out = new Set<number>();
  for (const r of rows) for (const p of Object.values(r.settings.servicePorts ?? {})) out.add(p);
  return out;
}
