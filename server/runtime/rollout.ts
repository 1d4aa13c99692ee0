// Starting, checking and stopping replicas of a release (effects through the Docker port).
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { backingCapabilities, hostModeCommand, hostModeEnv } from '../release/backing.ts';
import * as say from '../release/messages.ts';
import { isBackingType, type ServiceSpec } from '../release/spec.ts';
import { recordedVolume } from '../release/volumes.ts';
import { appNetworkLabels, LABEL, networkAliases, networkName, volumeLabels } from './names.ts';
import type { DockerPort } from './port.ts';
import { containerSpec } from './spec.ts';
import { tcpOpen, waitHealthy } from './health.ts';
import { allocatePort } from './ports.ts';

export const BRIDGE_PORT = 5000;

export interface StartedReplica {
  service: string;
  index: number;
  containerId: string;
  host: string;
  port: number;
}

export interface RolloutDeps {
  docker: DockerPort;
  config: Config;
  log: (line: string) => void;
  /** Labels every container gets (the installation's kyozo.instance). */
  labels?: Record<string, string>;
}

export interface ReplicaInput {
  /** Objects are named from the uid; the name labels them and is the app's alias suffix. */
  app: { uid: string; name: string };
  release: number;
  spec: ServiceSpec;
  index: number;
  env: Record<string, string>;
  /** Host mode: ports already taken. */
  portsInUse: Set<number>;
  /** Host mode, backing services: the stable port they listen on. */
  fixedPort?: number;
}

/** Starts one replica: host mode gets a free host port (or the fixed one), bridge mode the service's own port. */
export async function startReplica(deps: RolloutDeps, i: ReplicaInput): Promise<StartedReplica> {
  const { spec } = i;
  const host = deps.config.network === 'host';
  const backing = isBackingType(spec.type);
  const port = host ? (i.fixedPort ?? (await allocatePort(i.portsInUse))) : (spec.port ?? BRIDGE_PORT);
  i.portsInUse.add(port);
  const cmd = spec.cmd ?? (backing && host ? hostModeCommand(spec.runtime, port) : null);
  const env = backing && host ? { ...i.env, ...hostModeEnv(spec.runtime, port) } : i.env;
  const volumes = backing ? await ensureVolumes(deps, i.app, spec) : [];
  const create = containerSpec({
    uid: i.app.uid,
    app: i.app.name,
    release: i.release,
    service: spec.name,
    replica: i.index,
    // The image this release recorded, by id: a tag could have been moved by another build since.
    image: spec.imageId ?? spec.image,
    env,
    port,
    network: host ? { mode: 'host' } : { mode: 'bridge', name: networkName(i.app) },
    limits: { memoryMb: spec.memoryMb, cpus: spec.cpus },
    ...(cmd ? { cmd } : {}),
    suffix: randomBytes(3).toString('hex'),
    labels: deps.labels,
    // A backing service owns a data volume; databases switch users in their entrypoints.
    ...(backing
      ? {
          capabilities: backingCapabilities(spec.runtime),
          volumes,
        }
      : {}),
  });
  const containerId = await deps.docker.run(create);
  if (host) return { service: spec.name, index: i.index, containerId, host: '127.0.0.1', port };
  const state = await deps.docker.inspect(containerId);
  return { service: spec.name, index: i.index, containerId, host: state?.ip ?? '127.0.0.1', port };
}

/**
 * A backing service's volumes, created before its container with the app's labels (a volume Docker creates
 * for a mount carries none, so nothing could find it again). One that exists is left as it is.
 */
async function ensureVolumes(
  deps: RolloutDeps,
  app: { uid: string; name: string },
  spec: ServiceSpec,
): Promise<{ name: string; path: string }[]> {
  const instance = deps.labels?.[LABEL.instance] ?? '';
  const out: { name: string; path: string }[] = [];
  for (const path of spec.volumes) {
    const name = recordedVolume(app, spec, path)!;
    await deps.docker.createVolume(name, volumeLabels({ ...app, service: spec.name, path, instance }));
    out.push({ name, path });
  }
  return out;
}

/** Web/static: HTTP below 500. Backing: the port accepts TCP. Workers: still running after a grace period. */
export async function checkReplica(
  deps: RolloutDeps,
  spec: ServiceSpec,
  r: StartedReplica,
  deadlineMs: number,
): Promise<void> {
  const check = async () => {
    const s = await deps.docker.inspect(r.containerId);
    return { running: !!s?.running, exitCode: s?.exitCode ?? null };
  };
  const dead = async (what: string) => {
    const s = await check();
    const why = s.running ? say.NO_ANSWER : await exitReason(deps, r.containerId, s.exitCode);
    return new Error(say.replicaFailed(spec.name, what, why));
  };
  if (spec.type === 'worker') {
    await new Promise((res) => setTimeout(res, Math.min(2000, deadlineMs)));
    if (!(await check()).running) throw await dead(say.STOPPED_AFTER_START);
    return;
  }
  if (isBackingType(spec.type)) {
    const ok = await waitTcp(r.host, r.port, deadlineMs, check);
    if (!ok) throw await dead(say.notAccepting(r.host, r.port));
    deps.log(say.acceptingConnections(spec.name, r.index, r.host, r.port));
    return;
  }
  const path = spec.healthPath && spec.healthPath.startsWith('/') ? spec.healthPath : '/';
  const url = `http://${r.host}:${r.port}${path}`;
  const result = await waitHealthy({ url, deadlineMs, checkContainer: check });
  if (!result.ok) {
    const s = await check();
    const why = s.running ? result.reason : await exitReason(deps, r.containerId, s.exitCode);
    throw new Error(say.healthCheckFailed(spec.name, url, why));
  }
  deps.log(say.healthy(spec.name, r.index, path, result.status, result.ms));
}

async function waitTcp(
  host: string,
  port: number,
  deadlineMs: number,
  check: () => Promise<{ running: boolean }>,
): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await tcpOpen(host, port, 1000)) return true;
    if (!(await check()).running) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function exitReason(deps: RolloutDeps, id: string, code: number | null): Promise<string> {
  return say.containerExited(code, await deps.docker.logs(id, { tail: 15 }).catch(() => ''));
}

export async function removeReplicas(deps: RolloutDeps, ids: string[], timeoutSec = 10): Promise<void> {
  await Promise.all(ids.map((id) => deps.docker.stopAndRemove(id, timeoutSec).catch(() => {})));
}

/**
 * Bridge mode: the app's network exists, labelled, and these running replicas are on it under their service
 * aliases. Replicas started before networks were named from the app's uid (on kyozo-<app>) join it this way,
 * so the replicas started next reach them by name; a replica already on it stays as it is.
 */
export async function ensureAppNetwork(
  docker: DockerPort,
  app: { uid: string; name: string; instance: string },
  members: { containerId: string; service: string }[],
): Promise<string> {
  const network = networkName(app);
  await docker.ensureNetwork(network, appNetworkLabels(app));
  for (const m of members)
    await docker.connectNetwork(network, m.containerId, networkAliases({ name: app.name, service: m.service }));
  return network;
}
