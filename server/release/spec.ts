// What a release runs for each service (pure): built from the analysis plus kyozo.json overrides,
// or copied from an earlier release. Also decides whether running replicas can be kept.
import type { Service } from '../analysis/types.ts';
import type { ServiceOverride } from './kyozoJson.ts';

export interface ServiceSpec {
  name: string;
  type: string;
  runtime: string;
  image: string;
  imageId: string | null;
  port: number | null;
  healthPath: string | null;
  replicas: number;
  memoryMb: number;
  cpus: number;
  routed: boolean;
  primary: boolean;
  sourceHash: string | null;
  env: Record<string, string>;
  volumes: string[];
  /**
   * Backing services: the Docker volume of each path in `volumes` (release/volumes.ts assignVolumes). null on
   * other services, and on releases recorded before Kyozo named volumes from the app's uid.
   */
  volumeNames: Record<string, string> | null;
  cmd: string[] | null;
  startOrder: number;
}

export const isBackingType = (type: string) => type === 'database' || type === 'cache' || type === 'queue';
export const isRoutedType = (type: string) => type === 'web' || type === 'static';

/**
 * Compose-style command → exec form. An exec-form array is the Cmd as is (no shell: quoting kept, images
 * without /bin/sh work); a string runs through /bin/sh -c (compose would split it shell-words style instead).
 */
export function commandOf(s: Service): string[] | null {
  if (s.build.strategy !== 'image') return null;
  if (s.command?.length) return s.command;
  const c = s.processes.web ?? s.processes.worker ?? Object.values(s.processes)[0];
  if (!c) return null;
  return ['/bin/sh', '-c', c];
}

export function specFromAnalysis(
  s: Service,
  o: ServiceOverride | undefined,
  built: { image: string; imageId: string | null; sourceHash: string },
  primary: boolean,
  formation?: { replicas?: number; memoryMb?: number; cpus?: number },
): ServiceSpec {
  const backing = isBackingType(s.type);
  return {
    name: s.name,
    type: s.type,
    runtime: s.runtime,
    image: built.image,
    imageId: built.imageId,
    port: o?.port ?? s.port,
    healthPath: o?.healthPath ?? s.healthPath,
    // Backing services run one replica (or none when stopped): they own a data volume.
    replicas: backing ? Math.min(1, formation?.replicas ?? 1) : (formation?.replicas ?? o?.replicas ?? 1),
    memoryMb: formation?.memoryMb ?? o?.memoryMb ?? s.resources.memoryMb,
    cpus: formation?.cpus ?? o?.cpus ?? s.resources.cpus,
    routed: isRoutedType(s.type),
    primary,
    sourceHash: built.sourceHash,
    env: s.env ?? {},
    volumes: s.volumes ?? [],
    volumeNames: null,
    cmd: commandOf(s),
    startOrder: 0,
  };
}

/** {...repo env, ...discovery, ...config}: config vars always win. */
export function effectiveEnv(
  serviceEnv: Record<string, string>,
  discovery: Record<string, string>,
  config: Record<string, string>,
): Record<string, string> {
  return { ...serviceEnv, ...discovery, ...config };
}

const stable = (o: Record<string, string>) =>
  JSON.stringify(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );

/**
 * Fingerprint of everything that, when changed, requires new containers for a service. Volume names are not
 * in it: a path keeps its service's volume from release to release (release/volumes.ts), so the same paths
 * mean the same volumes.
 */
export function runFingerprint(spec: ServiceSpec, env: Record<string, string>): string {
  return JSON.stringify([
    spec.image,
    spec.imageId,
    spec.sourceHash,
    spec.port,
    spec.healthPath,
    spec.memoryMb,
    spec.cpus,
    spec.cmd,
    spec.volumes,
    stable(env),
  ]);
}

/** Scale and resource settings of the app win over what a release recorded; backing services stay at one replica. */
export function applyFormation(
  s: ServiceSpec,
  f: { replicas?: number; memoryMb?: number; cpus?: number } | undefined,
): ServiceSpec {
  if (!f) return s;
  return {
    ...s,
    replicas: isBackingType(s.type) ? Math.min(1, f.replicas ?? s.replicas) : (f.replicas ?? s.replicas),
    memoryMb: f.memoryMb ?? s.memoryMb,
    cpus: f.cpus ?? s.cpus,
  };
}
