// Replicas: the containers a release runs, with the address the proxy reaches them at.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { replicas } from './schema.ts';

export type Replica = typeof replicas.$inferSelect;

export async function addReplica(db: Db, r: Omit<typeof replicas.$inferInsert, 'id' | 'createdAt'>): Promise<Replica> {
  const [row] = await db.insert(replicas).values(r).returning();
  return row;
}

export async function replicasOf(db: Db, releaseId: number): Promise<Replica[]> {
  return db.select().from(replicas).where(eq(replicas.releaseId, releaseId)).orderBy(replicas.service, replicas.index);
}

export async function replicasOfReleases(db: Db, releaseIds: number[]): Promise<Replica[]> {
  if (releaseIds.length === 0) return [];
  return db.select().from(replicas).where(inArray(replicas.releaseId, releaseIds));
}

export async function setReplicaState(db: Db, id: number, state: string) {
  await db.update(replicas).set({ state }).where(eq(replicas.id, id));
}

export async function setReleaseReplicasState(db: Db, releaseId: number, state: string) {
  await db.update(replicas).set({ state }).where(eq(replicas.releaseId, releaseId));
}

export async function deleteReplicasOf(db: Db, releaseId: number, ids?: number[]) {
  const cond = ids
    ? and(eq(replicas.releaseId, releaseId), inArray(replicas.id, ids))
    : eq(replicas.releaseId, releaseId);
  await db.delete(replicas).where(cond);
}

export async function allReplicas(db: Db): Promise<Replica[]> {
  return db.select().from(replicas);
}

/** Swaps the container of a replica row, only if the row still points at `fromContainer`; false otherwise. */
export async function swapReplicaContainer(
  db: Db,
  id: number,
  fromContainer: string,
  patch: Partial<Omit<Replica, 'id'>>,
): Promise<boolean> {
  const rows = await db
    .update(replicas)
    .set(patch)
    .where(and(eq(replicas.id, id), eq(replicas.containerId, fromContainer)))
    .returning({ id: replicas.id });
  return rows.length > 0;
}

export async function getReplica(db: Db, id: number): Promise<Replica | null> {
  const [row] = await db.select().from(replicas).where(eq(replicas.id, id));
  return row ?? null;
}

/** Replicas of live releases of running apps, with what the monitor needs to probe them. */
export async function monitoredReplicas(db: Db) {
  return db.execute<{
    id: number;
    release_id: number;
    service: string;
    index: number;
    container_id: string;
    host: string;
    port: number;
    state: string;
    restarts: number;
    app: string;
    app_id: number;
    type: string;
    health_path: string | null;
  }>(sql`
    select r.id, r.release_id, r.service, r.index, r.container_id, r.host, r.port, r.state, r.restarts,
           a.name as app, a.id as app_id, s.type, s.health_path
    from replicas r
    join releases rel on rel.id = r.release_id and rel.status = 'live'
    join apps a on a.id = rel.app_id and a.state = 'running'
    join release_services s on s.release_id = r.release_id and s.name = r.service
    where not exists (select 1 from releases b where b.app_id = a.id and b.status in ('building', 'deploying'))
    order by a.name, r.service, r.index`);
}
