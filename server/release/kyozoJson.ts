// kyozo.json: optional overrides at the repo root (pure). Zero config stays the default; an invalid
// file fails the release naming the exact field.

export interface ServiceOverride {
  port?: number;
  healthPath?: string;
  replicas?: number;
  memoryMb?: number;
  cpus?: number;
}

export interface KyozoJson {
  primary?: string;
  exclude?: string[];
  services?: Record<string, ServiceOverride>;
}

export class KyozoJsonError extends Error {}

const fail = (field: string, msg: string): never => {
  throw new KyozoJsonError(`kyozo.json: ${field} ${msg}`);
};

function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(field, `must be an integer between ${min} and ${max}`);
  return v as number;
}

export function parseKyozoJson(text: string | null): KyozoJson | null {
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new KyozoJsonError(`kyozo.json is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(root)', 'must be a JSON object');
  const r = raw as Record<string, unknown>;
  const known = new Set(['$schema', 'primary', 'exclude', 'services']);
  for (const k of Object.keys(r)) if (!known.has(k)) fail(k, 'is not a known setting (primary, exclude, services)');
  const out: KyozoJson = {};
  if (r.primary !== undefined) {
    if (typeof r.primary !== 'string' || !r.primary) fail('primary', 'must be a service name');
    out.primary = r.primary as string;
  }
  if (r.exclude !== undefined) {
    if (!Array.isArray(r.exclude)) fail('exclude', 'must be an array of folder paths');
    out.exclude = (r.exclude as unknown[]).map((p, i) => {
      if (typeof p !== 'string' || !p || p.startsWith('/') || p.split('/').includes('..'))
        fail(`exclude[${i}]`, 'must be a relative folder path inside the repository');
      return (p as string).replace(/^\.\//, '').replace(/\/+$/, '');
    });
  }
  if (r.services !== undefined) {
    if (typeof r.services !== 'object' || r.services === null || Array.isArray(r.services))
      fail('services', 'must be an object keyed by service name');
    out.services = {};
    for (const [name, v] of Object.entries(r.services as Record<string, unknown>)) {
      const f = `services.${name}`;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(f, 'must be an object');
      const s = v as Record<string, unknown>;
      const o: ServiceOverride = {};
      for (const k of Object.keys(s))
        if (!['port', 'healthPath', 'replicas', 'memoryMb', 'cpus'].includes(k))
          fail(`${f}.${k}`, 'is not a known setting (port, healthPath, replicas, memoryMb, cpus)');
      if (s.port !== undefined) o.port = intIn(s.port, `${f}.port`, 1, 65535);
      if (s.replicas !== undefined) o.replicas = intIn(s.replicas, `${f}.replicas`, 1, 20);
      if (s.memoryMb !== undefined) o.memoryMb = intIn(s.memoryMb, `${f}.memoryMb`, 16, 65536);
      if (s.cpus !== undefined) {
        if (typeof s.cpus !== 'number' || !(s.cpus >= 0.05 && s.cpus <= 64))
          fail(`${f}.cpus`, 'must be a number between 0.05 and 64');
        o.cpus = s.cpus as number;
      }
      if (s.healthPath !== undefined) {
        if (typeof s.healthPath !== 'string' || !s.healthPath.startsWith('/'))
          fail(`${f}.healthPath`, 'must be a path starting with "/"');
        o.healthPath = s.healthPath as string;
      }
      out.services[name] = o;
    }
  }
  return out;
}

/** Checks that overrides name services that exist (after analysis). */
export function checkOverrideNames(k: KyozoJson, services: string[]): void {
  const known = new Set(services);
  if (k.primary && !known.has(k.primary))
    fail('primary', `names "${k.primary}", which is not a detected service (${services.join(', ') || 'none'})`);
  for (const name of Object.keys(k.services ?? {}))
    if (!known.has(name)) fail(`services.${name}`, `is not a detected service (${services.join(', ') || 'none'})`);
}

/** Drops paths under excluded folders (before analysis). */
export function excludePaths(paths: string[], exclude: string[] | undefined): string[] {
  if (!exclude?.length) return paths;
  return paths.filter((p) => !exclude.some((e) => e === '.' || p === e || p.startsWith(e + '/')));
}
