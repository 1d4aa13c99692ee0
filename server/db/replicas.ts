// Replicas: the containers a release runs, with the address the proxy reaches them at.
import { and, eq, inArray } from 'drizzle-orm';
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
  const cond = ids ? and(eq(replicas.releaseId, releaseId), inArray(replicas.id, ids)) : eq(replicas.releaseId, releaseId);
  await db.delete(replicas).where(cond);
}

export async function allReplicas(db: Db): Promise<Replica[]> {
  return db.select().from(replicas);
}
