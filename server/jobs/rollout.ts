// Runs a release's rollout: prepares what the plan needs (host ports, env, fingerprints, the app network),
// asks release/rollout.ts planRollout for the steps and executes them through the Docker port, the database
// and the route table: keep, pull, stop, start, health-check, switch, drain, stop the old replicas.
import type { Dependency } from '../analysis/types.ts';
import type { App } from '../db/apps.ts';
import {
  addReplica,
  allReplicas,
  deleteReplicasOf,
  replicasOf,
  setReleaseReplicasState,
  type Replica,
} from '../db/replicas.ts';
import type { Release, ReleaseService } from '../db/releases.ts';
import { discoveryEnv } from '../release/discovery.ts';
import * as say from '../release/messages.ts';
import { planRollout, type RolloutStep } from '../release/rollout.ts';
import { effectiveEnv, isBackingType, runFingerprint, type ServiceSpec } from '../release/spec.ts';
import {
  BRIDGE_PORT,
  checkReplica,
  ensureAppNetwork,
  removeReplicas,
  startReplica,
  type StartedReplica,
} from '../runtime/rollout.ts';
import { imageRefusal } from '../release/imagePolicy.ts';
import { rolloutDeps, type JobDeps } from './deps.ts';
import { ensureServicePorts } from './servicePorts.ts';

/**
 * A compose `image:` service may run a registry image (pulled when missing, KYOZO_PULL_IMAGES) or a local one
 * an admin allowed (KYOZO_ALLOWED_IMAGES), never an image Kyozo built for an app (release/imagePolicy.ts);
 * a refusal or a failed pull names the service, the image and what to do.
 */
export async function ensureImage(
  deps: Pick<JobDeps, 'docker' | 'config'>,
  service: string,
  image: string,
  log: (l: string) => void,
  ownApp?: string,
): Promise<void> {
  const facts = await deps.docker.imageFacts(image);
  const refused = imageRefusal(service, image, facts, deps.config.allowedImages, ownApp);
  if (refused) throw new Error(refused);
  if (facts) return;
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
    volumeNames: r.volumeNames ?? null,
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
  /** Runs once the routes point at the new release, before the old replicas drain (the caller promotes it). */
  afterSwitch: () => Promise<void>;
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

/** Decides the rollout (release/rollout.ts planRollout) and runs its steps; switches and retires too. */
export async function rolloutRelease(deps: JobDeps, i: RolloutInput): Promise<void> {
  const host = deps.config.network === 'host';
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
  if (!host)
    await ensureAppNetwork(
      deps.docker,
      { ...i.app, instance: deps.instance },
      i.prevReplicas.filter((r) => r.state === 'running'),
    );
  const fingerprints = (specs: ServiceSpec[], env: (s: ServiceSpec) => Record<string, string>) =>
    Object.fromEntries(specs.map((s) => [s.name, runFingerprint(s, env(s))]));
  const plan = planRollout({
    layers: i.layers,
    services: i.specs,
    fingerprints: { next: fingerprints(i.specs, envNew), live: fingerprints(i.prevSpecs, envPrev) },
    replicas: i.prevReplicas,
    restart: i.restart,
    live: i.previous?.version ?? null,
  });
  await runRollout(deps, plan, { ...i, host, ports, env: envNew, portsInUse: inUse });
}

interface RunContext extends RolloutInput {
  host: boolean;
  ports: Record<string, number>;
  env: (s: ServiceSpec) => Record<string, string>;
  portsInUse: Set<number>;
}

/** The executor: each step through the Docker port, the database and the route table, in plan order. */
async function runRollout(deps: JobDeps, plan: RolloutStep[], c: RunContext): Promise<void> {
  const rd = rolloutDeps(deps, c.log);
  const spec = (name: string) => c.specs.find((s) => s.name === name)!;
  let fresh: { spec: ServiceSpec; r: StartedReplica }[] = [];
  let old: Replica[] = [];
  for (const step of plan) {
    switch (step.kind) {
      case 'keep':
        for (const r of step.replicas)
          await addReplica(deps.db, { releaseId: c.release.id, service: step.service, ...r, state: 'running' });
        c.log(say.keeping(step.service, step.replicas.length));
        break;
      case 'ensureImage':
        await ensureImage(deps, step.service, step.image, c.log, c.app.uid);
        break;
      case 'stop':
        c.log(say.replacingBacking(step.service));
        for (const id of step.containerIds) {
          await deps.docker.stop(id, 10);
          c.stoppedBacking.push(id);
        }
        break;
      case 'start': {
        const s = spec(step.service);
        for (const n of step.indexes) {
          const r = await startReplica(rd, {
            app: c.app,
            release: c.release.version,
            spec: s,
            index: n,
            env: c.env(s),
            portsInUse: c.portsInUse,
            fixedPort: c.host && isBackingType(s.type) ? c.ports[s.name] : undefined,
          });
          c.started.push(r.containerId);
          const { containerId, host, port } = r;
          await addReplica(deps.db, {
            releaseId: c.release.id,
            service: s.name,
            index: n,
            containerId,
            host,
            port,
            state: 'starting',
          });
          c.log(say.startedReplica(s.name, n, containerId, host, port));
          fresh.push({ spec: s, r });
        }
        break;
      }
      case 'healthCheck':
        c.log(say.healthChecks(step.services));
        await Promise.all(fresh.map((f) => checkReplica(rd, f.spec, f.r, deps.config.healthTimeoutMs)));
        fresh = [];
        break;
      case 'switchRoutes':
        await setReleaseReplicasState(deps.db, c.release.id, 'running');
        c.log(say.switchingRoutes(c.release.version));
        await deps.routes.syncApp(c.app.name, c.release.id);
        await c.afterSwitch();
        break;
      case 'drain': {
        const keep = new Set(step.keep);
        old = (await replicasOf(deps.db, c.previous!.id)).filter((r) => !keep.has(r.containerId));
        await deleteReplicasOf(deps.db, c.previous!.id);
        if (old.length)
          await deps.routes.waitIdle(
            old.map((r) => r.containerId),
            deps.config.drainMs,
          );
        break;
      }
      case 'stopOld':
        if (!old.length) break;
        await removeReplicas(
          rd,
          old.map((r) => r.containerId),
        );
        c.log(say.stoppedOld(old.length, step.release, c.app.name));
        break;
    }
  }
}
