// The analysis contract: a snapshot of a folder in, a topology out. Pure data, no I/O.

/** A read-only view of a folder: every file path (POSIX, relative, no leading "./") and a capped reader. */
export interface Snapshot {
  /** Regular files only (symlinks that stay inside the tree may be listed as their target's content). */
  paths: string[];
  /** Reads at most maxBytes (default 256 KiB) of a file as UTF-8; null if absent or unreadable. */
  read(path: string, maxBytes?: number): string | null;
  /** True when the producer stopped early (file cap reached); the analysis says so in a recommendation. */
  truncated?: boolean;
}

export type ServiceType = 'web' | 'worker' | 'static' | 'database' | 'cache' | 'queue';

export interface BuildSpec {
  strategy: 'dockerfile' | 'generated' | 'image';
  /** strategy=dockerfile: path of the Dockerfile relative to the snapshot root. strategy=generated: the generated Dockerfile text, filled in by the build plan (server/build/topology.ts), not by analyze(). */
  dockerfile?: string;
  /** strategy=image: the image to run. */
  image?: string;
  /** Build context relative to the snapshot root when it differs from the service path (compose `context:`, monorepo Dockerfiles). */
  context?: string;
}

/** What a generated build plan needs to know, decided at analysis time from the manifests (server/build/plan.ts turns it into a Dockerfile). */
export interface PlanFacts {
  /** Build context relative to the snapshot root ("." for the root). */
  context: string;
  /** The service folder relative to the context ("." when the same). */
  dir: string;
  /** Dependency manifests and lockfiles present in `dir`, copied before the install step for layer caching. */
  files: string[];
  /** Package manager / toolchain: npm, yarn, pnpm, bun, deno, pip, poetry, pipenv, uv, bundler, composer, go, cargo, maven, gradle, mix, dotnet, hugo, jekyll, mkdocs, none. */
  tool: string;
  /** The manifest declares runtime dependencies (skip the install step otherwise). */
  hasDeps: boolean;
  /** Shell command that builds the app (e.g. "npm run build"), null when none. */
  build: string | null;
  /** Start command: an argv array (exec form) or a shell string; null when unknown. */
  start: string[] | string | null;
  /** Static sites: folder with the built files, relative to `dir` ("." = serve the folder as is). */
  output?: string;
  /** Runtime-specific entry: go main package ("./cmd/api"), rust bin, python WSGI module, .csproj, mix app. */
  entry?: string;
  /** Port the generated image listens on by default (PORT overrides it). */
  port: number;
  /** OS packages the install step needs (native extensions: libpq-dev, build-essential...). */
  packages?: string[];
  /** PHP extensions composer.json requires (ext-gd, ext-intl...) that the base image lacks. */
  extensions?: string[];
  /** Node dependencies of a non-Node service: Laravel Vite/Mix assets (a Node stage whose `output` folder is copied in), Hugo's Tailwind/PostCSS (installed before `hugo`). */
  assets?: { tool: string; files: string[]; build: string };
  /** Toolchain version the repository pins (Hugo: netlify.toml HUGO_VERSION or module.hugoVersion.min). */
  version?: string;
  /** Node apps: package.json `engines.node`; public node base images are moved to a major it allows. */
  engine?: string;
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
  /** A compose image service's exec-form `command: [...]`: the container's Cmd as is, no shell (absent otherwise). */
  command?: string[];
  build: BuildSpec;
  resources: { memoryMb: number; cpus: number };
  /** Environment declared by the repo itself (compose `environment:`), never secrets from .env. */
  env?: Record<string, string>;
  /** Compose volumes for backing services: container paths that must persist. */
  volumes?: string[];
  /** Compose options of this service Kyozo does not honour, each said in the push output (absent when none). */
  ignoredOptions?: IgnoredOption[];
  /** Inputs of the generated build plan (strategy=generated); internal, dropped from the JSON contract output. */
  plan?: PlanFacts;
}

/**
 * A compose option Kyozo does not honour. The release deploys without it; nothing is refused.
 * - `dropped`: it would give the container power over the host or another container (privileged, the Docker
 *   socket, host paths, host or shared namespaces, capabilities, devices, security_opt, cgroup_parent).
 * - `ignored`: Kyozo has no equivalent and does something else instead (host ports, /etc/hosts entries,
 *   sysctls, shm_size, volumes_from, volumes of services that keep none).
 */
export interface IgnoredOption {
  /** The compose key: privileged, volumes, ports, network_mode, cap_add... */
  option: string;
  /** As written: one volume or port entry, a list's entries joined with ", ", a map's as key=value. */
  value: string;
  action: 'dropped' | 'ignored';
  /** Why, and what Kyozo does instead (the push output prints it). */
  reason: string;
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
