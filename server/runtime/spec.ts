// Pure container/image specs (Kamal style): data in, Docker API objects out. No I/O, no randomness.
import type { ContainerCreateOptions } from './port.ts';

export type NetworkSpec = { mode: 'host' } | { mode: 'bridge'; name: string };

export interface ContainerSpecInput {
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
}

export const DEFAULT_PIDS_LIMIT = 256;
export const LOG_MAX_SIZE = '10m';
export const LOG_MAX_FILE = '3';

/** Lowercase, [a-z0-9-] only, no leading/trailing dashes: safe in container names, tags, DNS aliases. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

export function containerName(
  i: Pick<ContainerSpecInput, 'app' | 'service' | 'release' | 'replica' | 'suffix'>,
): string {
  return `kyozo-${slug(i.app)}-${slug(i.service)}-v${i.release}-${i.replica}-${slug(i.suffix)}`;
}

export function containerLabels(
  i: Pick<ContainerSpecInput, 'app' | 'service' | 'release' | 'replica' | 'port'>,
): Record<string, string> {
  return {
    'kyozo.app': i.app,
    'kyozo.service': i.service,
    'kyozo.release': String(i.release),
    'kyozo.replica': String(i.replica),
    'kyozo.port': String(i.port),
  };
}

/**
 * RestartPolicy is 'no' on purpose: Kyozo's monitor owns restarts (with backoff, crash-loop detection and
 * a visible event per restart). With 'unless-stopped' dockerd would restart silently behind Kyozo's back,
 * races with deploy/rollback would resurrect old replicas, and a crash loop would never surface.
 */
export function containerSpec(i: ContainerSpecInput): ContainerCreateOptions {
  const labels = { ...(i.labels ?? {}), ...containerLabels(i) };
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
      Init: true, // tini as PID 1: signals forwarded, zombies reaped, fast stop
      RestartPolicy: { Name: 'no' },
      NetworkMode: i.network.mode === 'host' ? 'host' : i.network.name,
      LogConfig: { Type: 'json-file', Config: { 'max-size': LOG_MAX_SIZE, 'max-file': LOG_MAX_FILE } },
    },
  };
  if (i.network.mode === 'bridge') {
    spec.ExposedPorts = { [`${i.port}/tcp`]: {} };
    spec.NetworkingConfig = {
      // The bare service name is what discovery URLs use on the per-app network (e.g. http://api:5000).
      EndpointsConfig: { [i.network.name]: { Aliases: [slug(i.service), `${slug(i.service)}.${slug(i.app)}`] } },
    };
  }
  return spec;
}

/** Image reference for a service build: kyozo/<app>-<service>:v<release> or :<hash>. */
export function imageTag(app: string, service: string, releaseOrHash: number | string): string {
  const tag =
    typeof releaseOrHash === 'number'
      ? `v${releaseOrHash}`
      : releaseOrHash.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128);
  return `kyozo/${slug(app)}-${slug(service)}:${tag}`;
}

export function buildLabels(i: {
  app: string;
  service: string;
  release?: number;
  commit?: string;
}): Record<string, string> {
  return {
    'kyozo.app': i.app,
    'kyozo.service': i.service,
    ...(i.release !== undefined ? { 'kyozo.release': String(i.release) } : {}),
    ...(i.commit ? { 'kyozo.commit': i.commit } : {}),
  };
}

/**
 * Docker label filter values, sorted for determinism: { a: '1' } → ['a=1']. An empty value means "has the
 * label, any value": { a: '' } → ['a'] (Kyozo never sets empty label values).
 */
export function labelFilters(labels: Record<string, string>): string[] {
  return Object.keys(labels)
    .sort()
    .map((k) => (labels[k] === '' ? k : `${k}=${labels[k]}`));
}

export { createJsonLineSplitter, createBuildLog, demuxDockerStream } from './streams.ts';
