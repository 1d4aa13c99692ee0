// On start: make Docker match the database. Replicas of live releases are adopted back into the
// route table; containers of failed, interrupted or unknown releases are removed.
import type { Db } from '../db/client.ts';
import { allLiveReleases, releasesWithStatus, setReleaseStatus } from '../db/releases.ts';
import { deleteReplicasOf, replicasOfReleases, setReplicaState } from '../db/replicas.ts';
import type { DockerPort } from './port.ts';
import { managedContainers } from './names.ts';

export interface ReconcileReport {
  adopted: number;
  missing: number;
  removed: number;
  interrupted: number;
}

export async function reconcile(
  db: Db,
  docker: DockerPort,
  instance: string,
  log: (m: string) => void,
): Promise<ReconcileReport> {
  // Deploys that were running when Kyozo stopped cannot resume half-way: fail them cleanly.
  const interrupted = await releasesWithStatus(db, ['building', 'deploying']);
  for (const r of interrupted) {
    await setReleaseStatus(db, r.id, 'failed', { error: 'interrupted: Kyozo restarted during the deploy; push again' });
    await deleteReplicasOf(db, r.id);
  }
  const live = await allLiveReleases(db);
  const keep = new Map(
    (
      await replicasOfReleases(
        db,
        live.map((r) => r.id),
      )
    ).map((r) => [r.containerId, r]),
  );
  const containers = await docker.list(managedContainers({ instance }));
  let adopted = 0;
  let removed = 0;
  const seen = new Set<string>();
  for (const c of containers) {
    const replica = keep.get(c.id);
    if (replica && c.state === 'running') {
      seen.add(c.id);
      adopted++;
      continue;
    }
    // Belongs to no live release (or died): remove it. Queued releases have no containers yet.
    await docker.stopAndRemove(c.id, 2).catch(() => {});
    removed++;
  }
  let missing = 0;
  for (const [id, r] of keep) {
    if (seen.has(id)) continue;
    missing++;
    await setReplicaState(db, r.id, 'failed');
  }
  log(
    `reconcile: adopted ${adopted} replica(s), removed ${removed} leftover container(s), ${missing} missing, ${interrupted.length} interrupted deploy(s)`,
  );
  return { adopted, missing, removed, interrupted: interrupted.length };
}
