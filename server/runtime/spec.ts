// Pure container specs (Kamal style): data in, Docker API objects out. No I/O, no randomness. Names and
// labels come from names.ts.
import { containerLabels, containerName, networkAliases } from './names.ts';
import type { ContainerCreateOptions } from './port.ts';

export type NetworkSpec = { mode: 'host' } | { mode: 'bridge'; name: string };

export interface ContainerSpecInput {
  /** The app's uid: its container's name and kyozo.app label come from it. */
  uid: string;
  /** The app's name: the kyozo.app.name label and the <service>.<app> alias on its network. */
  app: string;
  release: number;
  service: string;
  replica: number;
  image: string;
  env: Record<string, string>;
  /** The port the app must listen on (exported as PORT). Host mode: a free host port. Bridge: fixed. */
  port: number;
  network: NetworkSpec;
  limits: { memoryMb: number; cpus: number; pids?: number };
  cmd?: string[];
  /** Short random suffix chosen by the caller (keeps this function pure); makes names unique. */
  suffix: string;
  /** Extra labels (e.g. a test run id); kyozo.* labels below win on conflict. */
  labels?: Record<string, string>;
  /**
   * Every capability is dropped; these few are added back (backing services whose entrypoints chown their
   * data and switch users: release/backing.ts backingCapabilities). no-new-privileges holds either way.
   */
  capabilities?: string[];
  /** Named volumes mounted at container paths (a backing service's data). */
  volumes?: { name: string; path: string }[];
}

export const DEFAULT_PIDS_LIMIT = 256;
export const LOG_MAX_SIZE = '10m';
export const LOG_MAX_FILE = '3';

/**
 * RestartPolicy is 'no' on purpose: Kyozo's monitor owns restarts (with backoff, crash-loop detection and
 * a visible event per restart). With 'unless-stopped' dockerd would restart silently behind Kyozo's back,
 * races with deploy/rollback would resurrect old replicas, and a crash loop would never surface.
 */
export function containerSpec(i: ContainerSpecInput): ContainerCreateOptions {
  const labels = { ...(i.labels ?? {}), ...containerLabels({ ...i, name: i.app }) };
  const env = [
    `PORT=${i.port}`,
    ...Object.keys(i.env)
      .filter((k) => k !== 'PORT')
      .sort()
      .map((k) => `${k}=${i.env[k]}`),
  ];
  const memory = Math.round(i.limits.memoryMb * 1024 * 1024);
  const spec: ContainerCreateOptions = {
    name: containerName(i),
    Image: i.image,
    Env: env,
    Labels: labels,
    ...(i.cmd ? { Cmd: i.cmd } : {}),
    HostConfig: {
      Memory: memory,
      MemorySwap: memory, // no swap: memory limit is the real limit
      NanoCpus: Math.round(i.limits.cpus * 1e9),
      PidsLimit: i.limits.pids ?? DEFAULT_PIDS_LIMIT,
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      ...(i.capabilities?.length ? { CapAdd: [...i.capabilities] } : {}),
      Init: true, // tini as PID 1: signals forwarded, zombies reaped, fast stop
      RestartPolicy: { Name: 'no' },
      NetworkMode: i.network.mode === 'host' ? 'host' : i.network.name,
      LogConfig: { Type: 'json-file', Config: { 'max-size': LOG_MAX_SIZE, 'max-file': LOG_MAX_FILE } },
      ...(i.volumes
        ? { Mounts: i.volumes.map((v) => ({ Type: 'volume' as const, Source: v.name, Target: v.path })) }
        : {}),
    },
  };
  if (i.network.mode === 'bridge') {
    spec.ExposedPorts = { [`${i.port}/tcp`]: {} };
    spec.NetworkingConfig = {
      // The bare service name is what discovery URLs use on the per-app network (e.g. http://api:5000).
      EndpointsConfig: { [i.network.name]: { Aliases: networkAliases({ name: i.app, service: i.service }) } },
    };
  }
  return spec;
}

export { createJsonLineSplitter, createBuildLog, demuxDockerStream } from './streams.ts';
