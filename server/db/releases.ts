// Releases and the services they run. A version number is allocated under a row lock on the app.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { apps, releases, releaseServices, type ReleaseKind, type ReleaseStatus } from './schema.ts';

export type Release = typeof releases.$inferSelect;
export type ReleaseService = typeof releaseServices.$inferSelect;
export type NewReleaseService = Omit<typeof releaseServices.$inferInsert, 'id' | 'releaseId'>;

/** A row as the rest of Kyozo sees it: its copy of the config decrypted (db/secrets.ts). */
const opened = (db: Db, row: Release | undefined): Release | null =>
  row ? { ...row, config: db.secrets.open(row.config, row.appId) } : null;
const allOpened = (db: Db, rows: Release[]): Release[] => rows.map((r) => opened(db, r)!);

export async function createRelease(
  db: Db,
  input: {
    appId: number;
    kind: ReleaseKind;
    commit?: string | null;
    baseVersion?: number | null;
    config: Record<string, string>;
    createdBy?: number | null;
  },
): Promise<Release> {
  return db.transaction(async (tx) => {
    await tx.select({ id: apps.id }).from(apps).where(eq(apps.id, input.appId)).for('update');
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${releases.version}), 0) + 1` })
      .from(releases)
      .where(eq(releases.appId, input.appId));
    const [row] = await tx
      .insert(releases)
      .values({
        appId: input.appId,
        version: Number(next),
        kind: input.kind,
        commit: input.commit ?? null,
        baseVersion: input.baseVersion ?? null,
        config: db.secrets.seal(input.config, input.appId) as unknown as Record<string, string>, // stored form
        createdBy: input.createdBy ?? null,
      })
      .returning();
    return opened(db, row)!;
  });
}

export async function getRelease(db: Db, id: number): Promise<Release | null> {
  const [row] = await db.select().from(releases).where(eq(releases.id, id));
  return opened(db, row);
}

export async function getReleaseByVersion(db: Db, appId: number, version: number): Promise<Release | null> {
  const [row] = await db
    .select()
    .from(releases)
    .where(and(eq(releases.appId, appId), eq(releases.version, version)));
  return opened(db, row);
}

export async function listReleases(db: Db, appId: number, limit = 100): Promise<Release[]> {
  return allOpened(
    db,
    await db.select().from(releases).where(eq(releases.appId, appId)).orderBy(desc(releases.version)).limit(limit),
  );
}

export async function liveRelease(db: Db, appId: number): Promise<Release | null> {
  const [row] = await db
    .select()
    .from(releases)
    .where(and(eq(releases.appId, appId), eq(releases.status, 'live')))
    .orderBy(desc(releases.version))
    .limit(1);
  return opened(db, row);
}

export async function allLiveReleases(db: Db): Promise<Release[]> {
  return allOpened(db, await db.select().from(releases).where(eq(releases.status, 'live')));
}

export async function releasesWithStatus(db: Db, statuses: ReleaseStatus[]): Promise<Release[]> {
  return allOpened(db, await db.select().from(releases).where(inArray(releases.status, statuses)));
}

export async function setReleaseStatus(
  db: Db,
  id: number,
  status: ReleaseStatus,
  extra: { error?: string | null } = {},
) {
  const now = new Date();
  const patch: Partial<Release> = { status };
  if (status === 'building' || status === 'deploying')
    patch.startedAt = sql`coalesce(${releases.startedAt}, now())` as unknown as Date;
  if (status === 'live' || status === 'failed') patch.finishedAt = now;
  if (extra.error !== undefined) patch.error = extra.error;
  await db.update(releases).set(patch).where(eq(releases.id, id));
}

/** Marks the new release live and every other live release of the app superseded, in one transaction. */
export async function promoteRelease(db: Db, appId: number, releaseId: number) {
  await db.transaction(async (tx) => {
    await tx
      .update(releases)
      .set({ status: 'superseded' })
      .where(and(eq(releases.appId, appId), eq(releases.status, 'live'), sql`${releases.id} <> ${releaseId}`));
    await tx
      .update(releases)
      .set({ status: 'live', finishedAt: new Date(), error: null })
      .where(eq(releases.id, releaseId));
  });
}

export async function setReleaseAnalysis(db: Db, id: number, analysis: unknown) {
  await db.update(releases).set({ analysis }).where(eq(releases.id, id));
}

export async function saveReleaseServices(
  db: Db,
  releaseId: number,
  services: (Omit<NewReleaseService, 'cpus'> & { cpus: number | string })[],
) {
  if (services.length === 0) return;
  await db.insert(releaseServices).values(services.map((s) => ({ ...s, cpus: String(s.cpus), releaseId })));
}

export async function servicesOf(db: Db, releaseId: number): Promise<ReleaseService[]> {
  return db
    .select()
    .from(releaseServices)
    .where(eq(releaseServices.releaseId, releaseId))
    .orderBy(releaseServices.name);
}

export async function deleteReleaseServices(db: Db, releaseId: number) {
  await db.delete(releaseServices).where(eq(releaseServices.releaseId, releaseId));
}
