// Starting, checking and stopping replicas of a release (effects through the Docker port).
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { backingCapabilities, hostModeCommand, hostModeEnv } from '../release/backing.ts';
import * as say from '../release/messages.ts';
import { isBackingType, type ServiceSpec } from '../release/spec.ts';
import { networkName, volumeName } from './names.ts';
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
  app: string;
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
  const create = containerSpec({
    app: i.app,
    release: i.release,
    service: spec.name,
    replica: i.index,
    image: spec.image,
    env,
    port,
    network: host ? { mode: 'host' } : { mode: 'bridge', name: networkName({ app: i.app }) },
    limits: { memoryMb: spec.memoryMb, cpus: spec.cpus },
    ...(cmd ? { cmd } : {}),
    suffix: randomBytes(3).toString('hex'),
    labels: deps.labels,
    // A backing service owns a data volume; databases switch users in their entrypoints.
    ...(backing
      ? {
          capabilities: backingCapabilities(spec.runtime),
          volumes: spec.volumes.map((path) => ({ name: volumeName({ app: i.app, service: spec.name, path }), path })),
        }
      : {}),
  });
  const containerId = await deps.docker.run(create);
  if (host) return { service: spec.name, index: i.index, containerId, host: '127.0.0.1', port };
  const state = await deps.docker.inspect(containerId);
  return { service: spec.name, index: i.index, containerId, host: state?.ip ?? '127.0.0.1', port };
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
