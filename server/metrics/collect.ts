// One collection cycle: which replicas exist (replicas table + one `docker ps`), their stats (sampler),
// the proxy's request window (drain), host aggregates; written as raw rows at one aligned timestamp.
// Every sample belongs to an app by id, resolved each cycle against the live apps: a container through its
// replica row, else its kyozo.app label (uid or name); a proxy window through its host's app name. A sample
// of no live app (a deleted app's leftover container, a stale window) is dropped, so a re-created name
// never inherits the old app's history.
import { and, eq, inArray } from 'drizzle-orm';
import { appsByUidOrName, type AppKey, type AppLookup } from '../db/apps.ts';
import type { Db } from '../db/client.ts';
import { apps, metrics, releases, releaseServices, replicas, systemMetrics } from '../db/schema.ts';
import type { ServiceMetrics } from '../proxy/metrics.ts';
import { LABEL, managedContainers } from '../runtime/names.ts';
import type { DockerPort } from '../runtime/port.ts';
import { round, serviceRows, type ServiceRow } from './math.ts';
import type { ContainerSampler } from './sampler.ts';
import type { HostSample, HostSampler } from './system.ts';

export interface CollectDeps {
  db: Db;
  docker: Pick<DockerPort, 'list' | 'stats'>;
  proxy: { drainMetrics(): Promise<ServiceMetrics[]> };
  instance: string;
}

export interface ReplicaObservation {
  /** The app's name (labels, messages) and id (what the rows are keyed by). */
  app: string;
  appId: number;
  service: string;
  replica: string;
  containerId: string;
  cpuPct: number | null;
  /** CPU limit of the service in cores (null = unknown): cpu alerts compare cpuPct / cpus. */
  cpus: number | null;
  memBytes: number;
  memLimitBytes: number;
  pids: number;
  restarts: number;
}

/** One service's proxy window of a live app. */
export type ServiceObservation = ServiceRow & { appId: number };

export interface Observation {
  at: Date;
  replicas: ReplicaObservation[];
  services: ServiceObservation[];
  host: HostSample & { containersRunning: number; containersCrashed: number };
  /** Services with a replica the health monitor gave up on (crash loop), from the replicas table. */
  crashLooping?: { app: string; appId?: number; service: string }[];
}

/** Start of the interval containing `ms` (buckets line up across cycles and restarts). */
export const alignTo = (ms: number, intervalMs: number) => new Date(Math.floor(ms / intervalMs) * intervalMs);

/**
 * The live app a container without a replica row belongs to, by its kyozo.app label. A uid is exact; a name
 * (labels before they carried uids) cannot mean an app created after the container: that is a deleted app's
 * leftover whose name was created again.
 */
function labelOwner(live: AppLookup, label: string | undefined, createdSec: number): AppKey | undefined {
  const app = live.get(label);
  if (!app || app.uid === label || !createdSec) return app;
  return createdSec * 1000 >= app.createdAt.getTime() - 2_000 ? app : undefined; // Docker says whole seconds
}

export async function collectOnce(
  deps: CollectDeps,
  sampler: ContainerSampler,
  host: HostSampler,
  opts: { intervalMs: number; now?: number },
): Promise<Observation> {
  const at = alignTo(opts.now ?? Date.now(), opts.intervalMs);
  const [containers, windows, hostSample, live] = await Promise.all([
    deps.docker.list(managedContainers({ instance: deps.instance })),
    deps.proxy.drainMetrics().catch((e) => {
      console.error(`[metrics] proxy drain failed: ${(e as Error).message}`);
      return [] as ServiceMetrics[];
    }),
    host.sample(),
    appsByUidOrName(deps.db),
  ]);
  const ids = containers.map((c) => c.id);
  const rows =
    ids.length === 0
      ? []
      : await deps.db
          .select({
            containerId: replicas.containerId,
            appId: releases.appId,
            state: replicas.state,
            restarts: replicas.restarts,
            cpus: releaseServices.cpus,
          })
          .from(replicas)
          .innerJoin(releases, eq(releases.id, replicas.releaseId))
          .innerJoin(apps, eq(apps.id, releases.appId))
          .leftJoin(
            releaseServices,
            and(eq(releaseServices.releaseId, replicas.releaseId), eq(releaseServices.name, replicas.service)),
          )
          .where(inArray(replicas.containerId, ids));
  const known = new Map(rows.map((r) => [r.containerId, r]));
  const running = containers.filter((c) => c.state === 'running');
  const crashed = containers.filter(
    (c) =>
      ['exited', 'dead', 'restarting'].includes(c.state) && known.has(c.id) && known.get(c.id)!.state !== 'stopped',
  );
  const samples = await sampler.sample(running.map((c) => c.id));
  const byId = new Map(running.map((c) => [c.id, c]));

  const reps: ReplicaObservation[] = samples.flatMap((s) => {
    const c = byId.get(s.containerId)!;
    const r = known.get(s.containerId);
    const app = r ? live.byId(r.appId) : labelOwner(live, c.labels[LABEL.app], c.created);
    if (!app) return [];
    const cpus = r?.cpus ? Number(r.cpus) : NaN;
    return {
      app: app.name,
      appId: app.id,
      service: c.labels[LABEL.service] ?? '',
      replica: `v${c.labels[LABEL.release] ?? '?'}-${c.labels[LABEL.replica] ?? '0'}`,
      containerId: s.containerId,
      cpuPct: s.cpuPct,
      cpus: Number.isFinite(cpus) && cpus > 0 ? cpus : null,
      memBytes: s.memBytes,
      memLimitBytes: s.memLimitBytes,
      pids: s.pids,
      restarts: r?.restarts ?? 0,
    };
  });
  const services = serviceRows(windows).flatMap((w) => {
    const app = live.get(w.app);
    return app ? [{ ...w, app: app.name, appId: app.id }] : [];
  });
  const crashLooping = await deps.db
    .selectDistinct({ app: apps.name, appId: apps.id, service: replicas.service })
    .from(replicas)
    .innerJoin(releases, and(eq(releases.id, replicas.releaseId), eq(releases.status, 'live')))
    .innerJoin(apps, eq(apps.id, releases.appId))
    .where(eq(replicas.state, 'crashed'));
  const obs: Observation = {
    at,
    replicas: reps,
    services,
    crashLooping,
    host: { ...hostSample, containersRunning: running.length, containersCrashed: crashed.length },
  };
  await writeRaw(deps.db, obs);
  return obs;
}

export async function writeRaw(db: Db, o: Observation): Promise<void> {
  const values: (typeof metrics.$inferInsert)[] = [
    ...o.replicas.map((r) => ({
      tier: 'raw',
      at: o.at,
      app: r.app,
      appId: r.appId,
      service: r.service,
      replica: r.replica,
      cpuPct: round(r.cpuPct),
      memBytes: r.memBytes,
      memLimitBytes: r.memLimitBytes,
      pids: r.pids,
      restarts: r.restarts,
    })),
    ...o.services.map((s) => ({ tier: 'raw', at: o.at, replica: '', ...s })),
  ];
  // Chunks keep each statement well under Postgres' 65535 bind-parameter limit.
  for (let i = 0; i < values.length; i += 1000) await db.insert(metrics).values(values.slice(i, i + 1000));
  const h = o.host;
  await db.insert(systemMetrics).values({
    tier: 'raw',
    at: o.at,
    cpuPct: h.cpuPct,
    memUsedBytes: h.memUsedBytes,
    memTotalBytes: h.memTotalBytes,
    diskUsedBytes: h.diskUsedBytes,
    diskTotalBytes: h.diskTotalBytes,
    containersRunning: h.containersRunning,
    containersCrashed: h.containersCrashed,
  });
}
