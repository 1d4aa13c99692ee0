// docker-compose.yml / compose.yaml → services (build contexts, images), ports, dependencies, env, volumes, limits.
import { isObj, type Ctx } from './context.ts';
import { join, normalize } from './tree.ts';
import type { IgnoredOption } from './types.ts';

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
  /** The command as one line (shown, matched by heuristics; an exec-form array joined by spaces), `$$` unescaped. */
  command: string | null;
  /** An exec-form `command: [...]`, element by element (`$$` unescaped), run without a shell; null for a string. */
  commandArgs: string[] | null;
  healthPath: string | null;
  volumes: string[];
  memoryMb: number | null;
  cpus: number | null;
  /** Every `volumes:` entry, classified: whether Kyozo honours it depends on the service (composeOptions). */
  mounts: ComposeMount[];
  /** Options Kyozo does not honour, but for `volumes:` (see composeOptions). */
  unhonoured: IgnoredOption[];
}
/** One entry of a service's `volumes:`. */
export interface ComposeMount {
  /** As written (the long syntax as source:target). */
  entry: string;
  target: string | null;
  /** named: a named or anonymous volume; host: a host path (./x, /etc, ~/x, ${VAR}, type: bind); socket: the Docker socket (or its folder). */
  kind: 'named' | 'host' | 'socket';
  /** A host path inside the repository (./x, ../x). */
  repo: boolean;
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

/** Compose's escape for a literal dollar: `$$` is `$` (compose unescapes it before the container sees it). */
export const unescapeDollars = (v: unknown) => String(v).replace(/\$\$/g, '$');
const unescapeDollarsOrNull = (v: string | null) => (v === null ? null : unescapeDollars(v));

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
      command: Array.isArray(raw.command)
        ? raw.command.map(unescapeDollars).join(' ')
        : unescapeDollarsOrNull(str(raw.command)),
      commandArgs: Array.isArray(raw.command) ? raw.command.map(unescapeDollars) : null,
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
      mounts: (Array.isArray(raw.volumes) ? raw.volumes : [])
        .map(composeMount)
        .filter((m: ComposeMount | null): m is ComposeMount => !!m),
      unhonoured: unhonoured(raw),
    });
  }
  return { file, services };
}

// Options Kyozo does not honour. The release deploys without them (README "Compose options Kyozo does not honour"):
// refusing a release for a `privileged: true` left over from development would refuse many real compose files.
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** The Docker (or Podman, containerd) socket, or the /run folder that holds it. */
const SOCKET = /(docker|podman|containerd)\.sock\b|^\/(var\/)?run\/?$|docker_engine/;
const REASONS = {
  privileged: 'Kyozo never runs privileged containers',
  socket: 'Kyozo never gives a container the Docker socket, which controls every container on the host',
  host: 'Kyozo never mounts host paths into containers',
  repo: 'Kyozo mounts no repository files into containers: build them into an image',
  named: 'only databases, caches and queues keep volumes; what this service writes there is lost at the next release',
  network: "the network is Kyozo's choice, set by KYOZO_NETWORK, not the compose file's",
  cap_add: 'Kyozo never adds Linux capabilities to a container',
  devices: 'Kyozo never passes host devices into a container',
  security_opt: 'Kyozo sets no-new-privileges and never relaxes seccomp, AppArmor or SELinux',
  cgroup_parent: 'Kyozo keeps every container under its own memory and CPU limits',
  volumes_from: "Kyozo never shares one service's volumes with another",
  ports:
    "Kyozo publishes no host ports: web services are reached through its router, the others by name from the app's services",
  extra_hosts: 'Kyozo adds no /etc/hosts entries; services reach each other by name',
  sysctls: 'Kyozo sets no kernel parameters for a container',
  shm_size: "Kyozo keeps Docker's default /dev/shm of 64 MB",
};
const NAMESPACES: [string, string][] = [
  ['pid', 'PID'],
  ['ipc', 'IPC'],
  ['uts', 'UTS'],
  ['userns_mode', 'user'],
  ['cgroup', 'cgroup'],
];
const sharesNamespace = (v: string) => v === 'host' || /^(container|service):/.test(v);

/** `SOURCE:TARGET[:MODE]` split on the colons outside `${...}` (a default may hold a path). */
function splitVolume(s: string): string[] {
  const parts = [''];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') depth++;
    else if (s[i] === '}' && depth > 0) depth--;
    if (s[i] === ':' && depth === 0) parts.push('');
    else parts[parts.length - 1] += s[i];
  }
  return parts;
}

function composeMount(v: unknown): ComposeMount | null {
  let source: string | null;
  let target: string | null;
  let bind: boolean;
  let entry: string;
  if (isObj(v)) {
    const type = str(v.type);
    if (type === 'tmpfs') return null;
    source = str(v.source);
    target = str(v.target);
    bind = type === 'bind' || type === 'npipe' || (!!source && type === null && !VOLUME_NAME.test(source));
    entry = source ? `${source}:${target ?? ''}` : (target ?? '');
  } else {
    entry = str(v) ?? '';
    const parts = splitVolume(entry);
    [source, target] = parts.length > 1 ? [parts[0], parts[1]] : [null, parts[0]];
    bind = !!source && !VOLUME_NAME.test(source);
  }
  if (!entry) return null;
  const kind = source && SOCKET.test(source) ? 'socket' : bind ? 'host' : 'named';
  return { entry, target, kind, repo: kind === 'host' && /^\.{1,2}(\/|$)/.test(source ?? '') };
}

const entries = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((x) => (isObj(x) ? (str(x.source) ?? JSON.stringify(x)) : String(x)))
    : isObj(v)
      ? Object.entries(v).map(([k, x]) => `${k}=${str(x) ?? ''}`)
      : str(v)
        ? [str(v)!]
        : [];

/** The options of one service Kyozo does not honour, but for its volumes (composeOptions adds those). */
function unhonoured(raw: Record<string, any>): IgnoredOption[] {
  const out: IgnoredOption[] = [];
  const add = (option: string, value: string, action: IgnoredOption['action'], reason: string) =>
    out.push({ option, value, action, reason });
  if (str(raw.privileged)?.toLowerCase() === 'true') add('privileged', 'true', 'dropped', REASONS.privileged);
  const network = str(raw.network_mode);
  if (network && network !== 'bridge' && network !== 'default')
    add('network_mode', network, sharesNamespace(network) ? 'dropped' : 'ignored', REASONS.network);
  for (const [key, label] of NAMESPACES) {
    const v = str(raw[key]);
    if (v && sharesNamespace(v))
      add(
        key,
        v,
        'dropped',
        `Kyozo gives each container its own ${label} namespace, never the host's or another container's`,
      );
  }
  const dropList = (key: string, reason: string, keep: (e: string) => boolean = () => true) => {
    const list = entries(raw[key]).filter(keep);
    if (list.length) add(key, list.join(', '), 'dropped', reason);
  };
  dropList('cap_add', REASONS.cap_add);
  dropList('devices', REASONS.devices);
  dropList('device_cgroup_rules', REASONS.devices);
  dropList('gpus', REASONS.devices);
  dropList('security_opt', REASONS.security_opt, (e) => !/^no-new-privileges([:=]true)?$/i.test(e.trim()));
  dropList('cgroup_parent', REASONS.cgroup_parent);
  const ignoreList = (key: 'volumes_from' | 'extra_hosts' | 'sysctls' | 'shm_size') => {
    const list = entries(raw[key]);
    if (list.length) add(key, list.join(', '), 'ignored', REASONS[key]);
  };
  ignoreList('volumes_from');
  for (const p of Array.isArray(raw.ports) ? raw.ports : []) {
    const hostSide = isObj(p)
      ? str(p.published) || str(p.host_ip)
        ? `${str(p.host_ip) ? `${str(p.host_ip)}:` : ''}${str(p.published) ?? ''}:${str(p.target) ?? ''}`
        : null
      : String(p).includes(':')
        ? String(p)
        : null;
    if (hostSide) add('ports', hostSide, 'ignored', REASONS.ports);
  }
  ignoreList('extra_hosts');
  ignoreList('sysctls');
  ignoreList('shm_size');
  return out;
}

/**
 * Every option of a compose service Kyozo does not honour, the dropped ones first. `kept` is what Kyozo mounts:
 * the service's `volumes` for databases, caches and queues (a Kyozo volume at each path), nothing for the others.
 */
export function composeOptions(cs: ComposeService, kept: string[], backing: boolean): IgnoredOption[] {
  const volumes: IgnoredOption[] = [];
  const add = (m: ComposeMount, action: IgnoredOption['action'], reason: string) =>
    volumes.push({ option: 'volumes', value: m.entry, action, reason });
  for (const m of cs.mounts) {
    const mounted = m.target !== null && kept.includes(m.target);
    const instead = mounted ? `; ${m.target} gets a Kyozo volume instead` : '';
    if (m.kind === 'socket') add(m, 'dropped', REASONS.socket + instead);
    else if (m.kind === 'host') add(m, 'dropped', (m.repo ? REASONS.repo : REASONS.host) + instead);
    else if (!mounted)
      add(m, 'ignored', backing ? `Kyozo keeps named volumes only: write it as NAME:${m.target}` : REASONS.named);
  }
  const all = [...cs.unhonoured, ...volumes];
  return [...all.filter((o) => o.action === 'dropped'), ...all.filter((o) => o.action === 'ignored')];
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
