// Replaces one failed replica of a live release with a fresh container of the same image and env,
// health-checked before it takes traffic; the dead one is removed afterwards.
import type { Dependency, Topology } from '../analysis/types.ts';
import { recordEvent } from '../db/events.ts';
import { getAppById } from '../db/apps.ts';
import { allReplicas, getReplica, replicasOf, swapReplicaContainer } from '../db/replicas.ts';
import { getRelease, servicesOf } from '../db/releases.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { getSettings } from '../db/settings.ts';
import { specsOfRows, envResolver } from '../jobs/rollout.ts';
import { isBackingType } from '../release/spec.ts';
import { instanceLabels } from '../runtime/names.ts';
import type { DockerPort } from '../runtime/port.ts';
import { checkReplica, ensureAppNetwork, startReplica, type RolloutDeps } from '../runtime/rollout.ts';
import type { RouteSync } from '../runtime/routeSync.ts';

/** What a replacement needs; the health monitor passes its own deps (monitor.ts MonitorDeps). */
export interface ReplaceDeps {
  db: Db;
  docker: DockerPort;
  config: Config;
  routes: RouteSync;
  instance: string;
}

export interface ReplicaRef {
  id: number;
  release_id: number;
  service: string;
  index: number;
  container_id: string;
  app: string;
  app_id: number;
  restarts: number;
}

export async function replaceReplica(deps: ReplaceDeps, r: ReplicaRef): Promise<void> {
  const release = await getRelease(deps.db, r.release_id);
  const app = await getAppById(deps.db, r.app_id);
  const row = await getReplica(deps.db, r.id);
  // Stopped, redeployed or already replaced since the probe: nothing to do.
  if (!release || release.status !== 'live' || app?.state !== 'running' || row?.containerId !== r.container_id) return;
  const specs = specsOfRows(await servicesOf(deps.db, release.id));
  const spec = specs.find((s) => s.name === r.service);
  if (!spec) return;
  const host = deps.config.network === 'host';
  const ports = (await getSettings(deps.db, r.app_id)).servicePorts ?? {};
  const dependencies: Dependency[] = (release.analysis as Topology | null)?.dependencies ?? [];
  const env = envResolver(host, ports, specs, dependencies, release.config)(spec);
  const lines: string[] = [];
  const rd: RolloutDeps = {
    docker: deps.docker,
    config: deps.config,
    log: (l) => lines.push(l),
    labels: instanceLabels({ instance: deps.instance }),
  };
  const backing = isBackingType(spec.type);
  // A backing service owns its port and volume: the dead container must be gone first.
  if (backing) await deps.docker.stopAndRemove(r.container_id, 2).catch(() => {});
  if (!host) {
    const peers = (await replicasOf(deps.db, release.id)).filter((x) => x.containerId !== r.container_id);
    await ensureAppNetwork(deps.docker, { ...app, instance: deps.instance }, peers);
  }
  const inUse = new Set((await allReplicas(deps.db)).map((x) => x.port));
  const fresh = await startReplica(rd, {
    app,
    release: release.version,
    spec,
    index: r.index,
    env,
    portsInUse: inUse,
    fixedPort: host && backing ? ports[spec.name] : undefined,
  });
  try {
    await checkReplica(rd, spec, fresh, deps.config.healthTimeoutMs);
  } catch (e) {
    await deps.docker.stopAndRemove(fresh.containerId, 1).catch(() => {});
    throw e;
  }
  const swapped = await swapReplicaContainer(deps.db, r.id, r.container_id, {
    containerId: fresh.containerId,
    host: fresh.host,
    port: fresh.port,
    state: 'running',
    restarts: r.restarts + 1,
  });
  if (!swapped) {
    await deps.docker.stopAndRemove(fresh.containerId, 1).catch(() => {});
    return;
  }
  await deps.routes.syncApp(r.app);
  if (!backing) await deps.docker.stopAndRemove(r.container_id, 2).catch(() => {});
  await recordEvent(deps.db, {
    type: 'replica.replaced',
    level: 'warning',
    app: r.app,
    appId: r.app_id,
    service: r.service,
    message: `replaced ${r.service}#${r.index} (${r.container_id.slice(0, 12)} → ${fresh.containerId.slice(0, 12)})`,
    data: { restarts: r.restarts + 1 },
  });
}
