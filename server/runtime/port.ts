// The Docker port: everything Kyozo asks of a container engine. server/runtime/docker.ts implements it
// with dockerode; tests and other modules implement fakes for fault injection.
import type { ContainerCreateOptions } from 'dockerode';

export type { ContainerCreateOptions };

export interface BuildOptions {
  contextDir: string;
  /** Path of the Dockerfile relative to contextDir. */
  dockerfile: string;
  tag: string;
  labels: Record<string, string>;
  /** Memory limit for RUN steps, in MB. */
  memoryMb?: number;
  /** Network for RUN steps ('host' on machines without a bridge). Default: engine default. */
  networkMode?: string;
  onLine(line: string): void;
  signal?: AbortSignal;
}

export interface ContainerState {
  id: string;
  name: string;
  running: boolean;
  /** null while running or never started. */
  exitCode: number | null;
  startedAt: string;
  finishedAt: string;
  oomKilled: boolean;
  /** Container IP on its first network; null in host mode. */
  ip: string | null;
  restartCount: number;
  labels: Record<string, string>;
  /** The json-file log on the engine's host (readable when Kyozo runs beside the engine). */
  logPath?: string | null;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  /** created | running | exited | paused | restarting | removing | dead */
  state: string;
  status: string;
  created: number;
}

export interface ImageSummary {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  created: number;
  size: number;
}

export interface ContainerStats {
  /** Percent of one CPU (100 = one full core); null on a one-shot sample (no previous sample). */
  cpuPercent: number | null;
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
  /** Cumulative CPU time in ns (lets a caller compute CPU % from two one-shot samples). */
  cpuUsageNs?: number;
}

export interface VolumeSummary {
  name: string;
  labels: Record<string, string>;
}

export interface NetworkSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface LogLine {
  /** Docker's RFC 3339 timestamp with nanoseconds, normalised to 9 fraction digits (sortable as text). */
  at: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface DockerPort {
  ping(): Promise<boolean>;
  build(opts: BuildOptions): Promise<{ imageId: string }>;
  /** Create + start; a container that fails to start is removed and the error rethrown. */
  run(spec: ContainerCreateOptions): Promise<string>;
  /** null when the container does not exist. */
  inspect(id: string): Promise<ContainerState | null>;
  /** Starts a stopped container again (a backing service put back after a failed release). */
  start(id: string): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after timeoutSec). Missing/stopped containers are fine. */
  stop(id: string, timeoutSec?: number): Promise<void>;
  /** Force remove; missing containers and removals already in progress are fine. */
  remove(id: string): Promise<void>;
  stopAndRemove(id: string, timeoutSec?: number): Promise<void>;
  /** All containers (any state) carrying every label; a '' value matches any value of that label. */
  list(labels: Record<string, string>): Promise<ContainerSummary[]>;
  /** true when gone (removed or never existed); false when the image is in use (409). */
  removeImage(ref: string): Promise<boolean>;
  imageExists(ref: string): Promise<boolean>;
  /** Labels and registry digests of a local image; null when it is not on this engine. */
  imageFacts(ref: string): Promise<{ labels: Record<string, string>; repoDigests: string[] } | null>;
  /** Pulls an image from its registry; progress lines go to onLine. A registry's refusal rejects with an answer (statusCode set). */
  pull(ref: string, onLine?: (line: string) => void): Promise<void>;
  /** Same label semantics as list(). */
  listImages(labels: Record<string, string>): Promise<ImageSummary[]>;
  /**
   * Creates a bridge network unless it exists, labelled with Kyozo's network labels plus `labels` (an app's);
   * Kyozo's own container joins it. Returns its id.
   */
  ensureNetwork(name: string, labels?: Record<string, string>): Promise<string>;
  /** Connects a container to a network under these DNS aliases; already connected is fine. */
  connectNetwork(network: string, containerId: string, aliases: string[]): Promise<void>;
  /** Networks carrying every label (same semantics as list()). */
  listNetworks(labels: Record<string, string>): Promise<NetworkSummary[]>;
  /** Disconnects Kyozo's own container (when it runs in one) and removes the network; missing is fine. */
  removeNetwork(name: string): Promise<void>;
  /** Creates a named local volume with these labels; an existing one is left as it is (data and labels). */
  createVolume(name: string, labels: Record<string, string>): Promise<void>;
  /** null when the volume does not exist. */
  inspectVolume(name: string): Promise<VolumeSummary | null>;
  /** Volumes carrying every label (same semantics as list()). */
  listVolumes(labels: Record<string, string>): Promise<VolumeSummary[]>;
  /** true when gone (removed or never existed); false when a container still uses it (409). */
  removeVolume(name: string): Promise<boolean>;
  /** Kyozo in a container: joins every network Kyozo manages (at start, so replicas stay reachable). Returns how many. */
  joinOwnNetworks(): Promise<number>;
  /** Last lines of stdout+stderr as text (demultiplexed). */
  logs(id: string, opts?: { tail?: number }): Promise<string>;
  /** Timestamped lines, oldest first, after `since` (unix seconds, fractional) and at most `tail`. [] when the container is gone. */
  logLines(id: string, opts?: { since?: number; tail?: number }): Promise<LogLine[]>;
  /** oneShot: fast single sample, cpuPercent null. Otherwise Docker waits ~1 s for a second sample. */
  stats(id: string, opts?: { oneShot?: boolean }): Promise<ContainerStats | null>;
}
