// docker-compose.yml / compose.yaml → services (build contexts, images), ports, dependencies, env, volumes, limits.
import { isObj, type Ctx } from './context.ts';
import { join, normalize } from './tree.ts';

export interface ComposeService {
  key: string;
  build: { context: string; dockerfile: string } | null;
  image: string | null;
  port: number | null;
  /** Every container port of `ports:`/`expose:` (a catalog image prefers its own among them). */
  ports: number[];
  dependsOn: string[];
  /** depends_on entries with `condition: service_completed_successfully`: one-shot jobs this service waits for. */
  waitsFor: string[];
  /** Declared `profiles:`: an opt-in service `docker compose up` does not start. */
  profiles: string[];
  /** Bind mounts of repository files (./nginx.conf:/etc/nginx/nginx.conf): the image alone is not the service. */
  bindMounts: string[];
  env: Record<string, string>;
  command: string | null;
  healthPath: string | null;
  volumes: string[];
  memoryMb: number | null;
  cpus: number | null;
}
export interface ComposeFile {
  file: string;
  services: ComposeService[];
}

export const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function findCompose(ctx: Ctx): string | null {
  for (const d of ['', 'docker', 'deploy', '.docker']) {
    const n = ctx.tree.first(d, COMPOSE_NAMES);
    if (n) return join(d, n);
  }
  return null;
}

const str = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'object' ? null : String(v);

export function readCompose(ctx: Ctx, file: string): ComposeFile | null {
  const doc = ctx.yaml(file);
  if (doc === undefined) return null;
  if (!isObj(doc) || !isObj(doc.services)) {
    ctx.rec('medium', 'unparsable-manifest', file, `${file} has no "services:" map; it was ignored.`);
    return null;
  }
  const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const services: ComposeService[] = [];
  for (const [key, raw] of Object.entries(doc.services)) {
    if (!isObj(raw)) continue;
    let build: ComposeService['build'] = null;
    if (raw.build !== undefined && raw.build !== null) {
      const b = isObj(raw.build) ? raw.build : { context: raw.build };
      const context = normalize(join(base, str(b.context) ?? '.'));
      if (context === null)
        ctx.rec(
          'medium',
          'compose-context-outside',
          file,
          `Service "${key}" in ${file} builds from outside the repository (${str(b.context)}); it cannot be built from a push.`,
        );
      else
        build = {
          context,
          dockerfile: normalize(join(context, str(b.dockerfile) ?? 'Dockerfile')) ?? join(context, 'Dockerfile'),
        };
    }
    const env: Record<string, string> = {};
    if (Array.isArray(raw.environment))
      for (const e of raw.environment) {
        const s = String(e);
        const i = s.indexOf('=');
        if (i > 0) env[s.slice(0, i)] = s.slice(i + 1);
      }
    else if (isObj(raw.environment))
      for (const [k, v] of Object.entries(raw.environment)) {
        const s = str(v);
        if (s !== null) env[k] = s;
      }
    const deps = Array.isArray(raw.depends_on)
      ? raw.depends_on.map(String)
      : isObj(raw.depends_on)
        ? Object.keys(raw.depends_on)
        : [];
    const waitsFor = isObj(raw.depends_on)
      ? Object.entries(raw.depends_on)
          .filter(([, v]) => isObj(v) && v.condition === 'service_completed_successfully')
          .map(([k]) => k)
      : [];
    const mounts = (Array.isArray(raw.volumes) ? raw.volumes : []).map((v: unknown) =>
      isObj(v) ? (v.type === 'bind' ? str(v.source) : null) : (str(v)?.split(':')[0] ?? null),
    );
    const ports = [...containerPorts(raw.ports), ...containerPorts(raw.expose)];
    const limits =
      isObj(raw.deploy) && isObj(raw.deploy.resources) && isObj(raw.deploy.resources.limits)
        ? raw.deploy.resources.limits
        : {};
    const hc = isObj(raw.healthcheck) ? raw.healthcheck.test : null;
    const hcText = Array.isArray(hc) ? hc.join(' ') : (str(hc) ?? '');
    services.push({
      key,
      build,
      image: str(raw.image),
      dependsOn: deps,
      env,
      waitsFor,
      ports,
      profiles: Array.isArray(raw.profiles) ? raw.profiles.map(String) : [],
      bindMounts: mounts.filter((m: string | null): m is string => !!m && /^\.{1,2}(\/|$)/.test(m)),
      port: ports[0] ?? labelPort(raw.labels),
      command: Array.isArray(raw.command) ? raw.command.join(' ') : str(raw.command),
      healthPath: /https?:\/\/[^/\s"']+(\/[^\s"']*)/.exec(hcText)?.[1] ?? null,
      volumes: (Array.isArray(raw.volumes) ? raw.volumes : [])
        .map((v: unknown) => (isObj(v) ? str(v.target) : (str(v)?.split(':')[1] ?? null)))
        .filter((v: string | null): v is string => !!v && v.startsWith('/')),
      memoryMb: memMb(limits.memory ?? raw.mem_limit),
      cpus:
        limits.cpus !== undefined
          ? Number(limits.cpus) || null
          : raw.cpus !== undefined
            ? Number(raw.cpus) || null
            : null,
    });
  }
  return { file, services };
}

function containerPorts(ports: unknown): number[] {
  if (!Array.isArray(ports)) return [];
  return ports
    .map((p) => {
      if (isObj(p)) return Number(p.target) || 0;
      const last = String(p)
        .replace(/\/(tcp|udp)$/, '')
        .split(':')
        .pop()!
        .split('-')[0];
      return Number(last);
    })
    .filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
}

/** Services published only through a reverse proxy declare their port in a label (Traefik, Caddy). */
function labelPort(labels: unknown): number | null {
  const list = Array.isArray(labels)
    ? labels.map(String)
    : isObj(labels)
      ? Object.entries(labels).map(([k, v]) => `${k}=${v}`)
      : [];
  for (const l of list) {
    const m =
      /^(?:traefik\.http\.services\.[^=]*\.loadbalancer\.server\.port|caddy\.reverse_proxy\b[^=]*)=.*?(\d{2,5})\s*\}*\s*$/.exec(
        l.trim(),
      );
    if (m) return Number(m[1]);
  }
  return null;
}

function memMb(v: unknown): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg])?i?b?$/i.exec(String(v ?? '').trim());
  if (!m) return null;
  const n = Number(m[1]);
  const u = (m[2] ?? '').toLowerCase();
  return Math.round(u === 'g' ? n * 1024 : u === 'm' ? n : u === 'k' ? n / 1024 : n / 1048576) || null;
}

/** Hosts named by environment values: URLs (postgres://db:5432), and *_HOST / *_ADDR variables. */
export function envHosts(env: Record<string, string>): { key: string; host: string }[] {
  const out: { key: string; host: string }[] = [];
  for (const [k, v] of Object.entries(env)) {
    for (const m of v.matchAll(/[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([A-Za-z0-9_.-]+)/gi))
      out.push({ key: k, host: m[1].toLowerCase() });
    if (/(HOST|HOSTNAME|ADDR|ADDRESS|SERVER)$/i.test(k) && /^[A-Za-z0-9_.-]+(:\d+)?$/.test(v))
      out.push({ key: k, host: v.split(':')[0].toLowerCase() });
  }
  return out;
}
