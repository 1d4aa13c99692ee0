// Starting, checking and stopping the replicas of a release (effects through the Docker port).
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { DockerPort } from './port.ts';
import { containerSpec } from './spec.ts';
import { waitHealthy } from './health.ts';
import { allocatePort } from './ports.ts';

export const BRIDGE_PORT = 5000;

export interface ServicePlan {
  name: string;
  type: string;
  image: string;
  port: number | null;
  healthPath: string | null;
  replicas: number;
  memoryMb: number;
  cpus: number;
}

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

export const networkName = (app: string) => `kyozo-${app}`;

/** Starts one replica; in host mode it gets a free host port, in bridge mode the fixed BRIDGE_PORT. */
export async function startReplica(
  deps: RolloutDeps, app: string, release: number, svc: ServicePlan, index: number,
  env: Record<string, string>, portsInUse: Set<number>,
): Promise<StartedReplica> {
  const host = deps.config.network === 'host';
  const port = host ? await allocatePort(portsInUse) : (svc.port ?? BRIDGE_PORT);
  portsInUse.add(port);
  const spec = containerSpec({
    app, release, service: svc.name, replica: index, image: svc.image, env, port,
    network: host ? { mode: 'host' } : { mode: 'bridge', name: networkName(app) },
    limits: { memoryMb: svc.memoryMb, cpus: svc.cpus },
    suffix: randomBytes(3).toString('hex'),
    labels: deps.labels,
  });
  const containerId = await deps.docker.run(spec);
  if (host) return { service: svc.name, index, containerId, host: '127.0.0.1', port };
  const state = await deps.docker.inspect(containerId);
  return { service: svc.name, index, containerId, host: state?.ip ?? '127.0.0.1', port };
}

/** Waits until a replica answers HTTP below 500 (web/static) or keeps running for a grace period (workers). */
export async function checkReplica(deps: RolloutDeps, svc: ServicePlan, r: StartedReplica, deadlineMs: number): Promise<void> {
  const check = async () => {
    const s = await deps.docker.inspect(r.containerId);
    return { running: !!s?.running, exitCode: s?.exitCode ?? null };
  };
  if (svc.type === 'worker') {
    await new Promise((res) => setTimeout(res, Math.min(2000, deadlineMs)));
    const s = await check();
    if (!s.running) throw new Error(`${await exitReason(deps, r.containerId, s.exitCode)}`);
    return;
  }
  const path = svc.healthPath && svc.healthPath.startsWith('/') ? svc.healthPath : '/';
  const url = `http://${r.host}:${r.port}${path}`;
  const result = await waitHealthy({ url, deadlineMs, checkContainer: check });
  if (!result.ok) {
    const s = await check();
    const why = s.running ? result.reason : await exitReason(deps, r.containerId, s.exitCode);
    throw new Error(`service ${svc.name} failed its health check (${url}): ${why}`);
  }
  deps.log(`       ${svc.name}#${r.index} healthy: GET ${path} → ${result.status} after ${result.ms} ms`);
}

async function exitReason(deps: RolloutDeps, id: string, code: number | null): Promise<string> {
  const tail = await deps.docker.logs(id, { tail: 15 }).catch(() => '');
  const lines = tail.trim() ? `; last output:\n${tail.trim().split('\n').map((l) => `         ${l}`).join('\n')}` : '';
  return `container exited with code ${code ?? 'unknown'}${lines}`;
}

export async function removeReplicas(deps: RolloutDeps, ids: string[], timeoutSec = 10): Promise<void> {
  await Promise.all(ids.map((id) => deps.docker.stopAndRemove(id, timeoutSec).catch(() => {})));
}
