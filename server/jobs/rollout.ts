// Rolls a release's services out layer by layer (dependencies first): keep what did not change, start
// new replicas for the rest, health-check every new one. Nothing switches here; the caller does.
import type { Dependency } from '../analysis/types.ts';
import type { App } from '../db/apps.ts';
import { addReplica, allReplicas, setReleaseReplicasState, type Replica } from '../db/replicas.ts';
import type { Release, ReleaseService } from '../db/releases.ts';
import { discoveryEnv } from '../release/discovery.ts';
import * as say from '../release/messages.ts';
import { effectiveEnv, isBackingType, runFingerprint, type ServiceSpec } from '../release/spec.ts';
import { networkName } from '../runtime/names.ts';
import { BRIDGE_PORT, checkReplica, startReplica, type StartedReplica } from '../runtime/rollout.ts';
import { rolloutDeps, type JobDeps } from './deps.ts';
import { ensureServicePorts } from './servicePorts.ts';

/** Backing images are pulled when missing (KYOZO_PULL_IMAGES); a failure names the image and what to do. */
export async function ensureImage(
  deps: Pick<JobDeps, 'docker' | 'config'>,
  service: string,
  image: string,
  log: (l: string) => void,
): Promise<void> {
  if (await deps.docker.imageExists(image)) return;
  if (!deps.config.pullImages) {
    throw new Error(say.imageNotHereNoPull(service, image));
  }
  log(say.pulling(service, image));
  await deps.docker
    .pull(image, (l) => log(say.dockerOutput(l)))
    .catch((e: Error & { statusCode?: number }) => {
      if (typeof e.statusCode !== 'number') throw e; // Docker unreachable: the deploy waits and retries
      throw new Error(say.imageNotPulled(service, image, e.message));
    });
}

export function specsOfRows(rows: ReleaseService[]): ServiceSpec[] {
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    runtime: r.runtime,
    image: r.image,
    imageId: r.imageId,
    port: r.port,
    healthPath: r.healthPath,
    replicas: r.replicas,
    memoryMb: r.memoryMb,
    cpus: Number(r.cpus),
    routed: r.routed,
    primary: r.primary,
    sourceHash: r.sourceHash,
    env: r.env,
    volumes: r.volumes,
    cmd: r.cmd ?? null,
    startOrder: r.startOrder,
  }));
}

export interface RolloutInput {
  app: App;
  release: Release;
  specs: ServiceSpec[];
  layers: string[][];
  dependencies: Dependency[];
  previous: Release | null;
  prevSpecs: ServiceSpec[];
  prevReplicas: Replica[];
  restart?: string[] | 'all';
  log: (l: string) => void;
  /** Filled with the ids of containers started, so the caller can remove them on failure. */
  started: string[];
  /** Filled with backing-service containers of the previous release that were stopped to make way (put back on failure). */
  stoppedBacking: string[];
}

/** The full env of each service of a release: repo env, discovery URLs, then config vars. */
export function envResolver(
  host: boolean,
  ports: Record<string, number>,
  specs: ServiceSpec[],
  dependencies: Dependency[],
  config: Record<string, string>,
) {
  const addressOf = (name: string) => {
    const s = specs.find((x) => x.name === name)!;
    return host ? { host: '127.0.0.1', port: ports[name] } : { host: name, port: s.port ?? BRIDGE_PORT };
  };
  const disc = discoveryEnv(
    specs,
    (n) => new Set(dependencies.filter((d) => d.from === n).map((d) => d.to)),
    addressOf,
  );
  return (s: ServiceSpec) => effectiveEnv(s.env, disc.get(s.name) ?? {}, config);
}

export async function rolloutRelease(deps: JobDeps, i: RolloutInput): Promise<void> {
  const host = deps.config.network === 'host';
  const rd = rolloutDeps(deps, i.log);
  const ports = host
    ? await ensureServicePorts(
        deps.db,
        i.app.id,
        i.specs.map((s) => s.name),
      )
    : {};
  const envNew = envResolver(host, ports, i.specs, i.dependencies, i.release.config);
  const envPrev = envResolver(host, ports, i.prevSpecs, i.dependencies, i.previous?.config ?? {});
  const inUse = new Set([...(await allReplicas(deps.db)).map((r) => r.port), ...Object.values(ports)]);
  if (!host) await deps.docker.ensureNetwork(networkName({ app: i.app.name }));

  for (const layer of i.layers) {
    const fresh: { spec: ServiceSpec; r: StartedReplica }[] = [];
    for (const name of layer) {
      const spec = i.specs.find((s) => s.name === name)!;
      const env = envNew(spec);
      const prev = i.prevSpecs.find((s) => s.name === name);
      const running = i.prevReplicas.filter((r) => r.service === name && r.state === 'running');
      const forced = i.restart === 'all' || (Array.isArray(i.restart) && i.restart.includes(name));
      const same =
        !!prev && !forced && runFingerprint(prev, envPrev(prev)) === runFingerprint(spec, env) && running.length > 0;
      const keep = same ? running.slice(0, spec.replicas) : [];
      for (const r of keep) {
        await addReplica(deps.db, {
          releaseId: i.release.id,
          service: name,
          index: r.index,
          containerId: r.containerId,
          host: r.host,
          port: r.port,
          state: 'running',
        });
      }
      if (keep.length) i.log(say.keeping(name, keep.length));
      if (keep.length >= spec.replicas) continue;
      if (isBackingType(spec.type)) {
        await ensureImage(deps, name, spec.image, i.log);
        // One container owns the data volume and the port: the old one stops (kept, so a failed release
        // can start it again) before the new one starts.
        if (running.length) {
          i.log(say.replacingBacking(name));
          for (const r of running) {
            await deps.docker.stop(r.containerId, 10);
            i.stoppedBacking.push(r.containerId);
          }
        }
      }
      const used = new Set(keep.map((r) => r.index));
      for (let n = 1; used.size < spec.replicas; n++) {
        if (used.has(n)) continue;
        used.add(n);
        const r = await startReplica(rd, {
          app: i.app.name,
          release: i.release.version,
          spec,
          index: n,
          env,
          portsInUse: inUse,
          fixedPort: host && isBackingType(spec.type) ? ports[name] : undefined,
        });
        i.started.push(r.containerId);
        await addReplica(deps.db, {
          releaseId: i.release.id,
          service: name,
          index: n,
          containerId: r.containerId,
          host: r.host,
          port: r.port,
          state: 'starting',
        });
        i.log(say.startedReplica(name, n, r.containerId, r.host, r.port));
        fresh.push({ spec, r });
      }
    }
    if (fresh.length) i.log(say.healthChecks([...new Set(fresh.map((f) => f.spec.name))]));
    await Promise.all(fresh.map((f) => checkReplica(rd, f.spec, f.r, deps.config.healthTimeoutMs)));
  }
  await setReleaseReplicasState(deps.db, i.release.id, 'running');
}
