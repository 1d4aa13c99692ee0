// The analysis contract: a snapshot of a folder in, a topology out. Pure data, no I/O.

/** A read-only view of a folder: every file path (POSIX, relative, no leading "./") and a capped reader. */
export interface Snapshot {
  /** Regular files only (symlinks that stay inside the tree may be listed as their target's content). */
  paths: string[];
  /** Reads at most maxBytes (default 256 KiB) of a file as UTF-8; null if absent or unreadable. */
  read(path: string, maxBytes?: number): string | null;
}

export type ServiceType = 'web' | 'worker' | 'static' | 'database' | 'cache' | 'queue';

export interface BuildSpec {
  strategy: 'dockerfile' | 'generated' | 'image';
  /** strategy=dockerfile: path of the Dockerfile relative to the snapshot root. strategy=generated: the generated Dockerfile text. */
  dockerfile?: string;
  /** strategy=image: the image to run. */
  image?: string;
}

export interface Service {
  name: string;
  path: string | null;
  type: ServiceType;
  runtime: string;
  framework: string | null;
  confidence: number;
  evidence: string[];
  port: number | null;
  healthPath: string | null;
  processes: Record<string, string>;
  build: BuildSpec;
  resources: { memoryMb: number; cpus: number };
  /** Environment declared by the repo itself (compose `environment:`), never secrets from .env. */
  env?: Record<string, string>;
  /** Compose volumes for backing services: container paths that must persist. */
  volumes?: string[];
}

export interface Dependency {
  from: string;
  to: string;
  reason: string;
}

export interface Recommendation {
  severity: 'high' | 'medium' | 'low';
  code: string;
  path: string | null;
  message: string;
}

export interface Topology {
  services: Service[];
  dependencies: Dependency[];
  recommendations: Recommendation[];
  stats: { files: number; durationMs: number };
}
