// PURE parsing for the client commands of `kyozo`: argv, git remote URL → app, KEY=VALUE, web=3,
// web:memory=256,cpus=0.5, release versions, app log lines, tables. No I/O here; tested in test/cli.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in the command line: the dispatcher prints it with the command's usage and exits 2. */
export class UsageError extends Error {}

export interface FlagSpec {
  values: readonly string[];
  bools: readonly string[];
}
export interface ParsedArgs {
  flags: Record<string, string | true>;
  positionals: string[];
}

const SHORT: Record<string, string> = { app: 'a', help: 'h' };

/**
 * `--flag value`, `--flag=value`, `-a NAME`, boolean `--flag`, `--` ends the flags (node:util parseArgs).
 * Unknown flags, missing values and values on booleans throw a UsageError in Kyozo's words, from parseArgs's
 * tokens (so the message names the flag as it was typed).
 */
export function parseArgv(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const options: ParseArgsConfig['options'] = {};
  for (const [names, type] of [
    [spec.values, 'string'],
    [spec.bools, 'boolean'],
  ] as const)
    for (const name of names) options[name] = { type, ...(SHORT[name] ? { short: SHORT[name] } : {}) };
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  // The flag as typed (up to an `=` for long ones): Kyozo takes no bundled short flags such as -ashop or -hj.
  const typed = (i: number) => {
    const eq = argv[i].startsWith('--') ? argv[i].indexOf('=') : -1;
    return eq < 0 ? argv[i] : argv[i].slice(0, eq);
  };
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const type = Object.hasOwn(options, t.name) ? options[t.name].type : undefined;
    if (!type || typed(t.index) !== t.rawName) throw new UsageError(`unknown option ${typed(t.index)}`);
    if (type === 'boolean' && t.value !== undefined) throw new UsageError(`--${t.name} takes no value`);
    // parseArgs takes the next word as the value even when it looks like a flag; Kyozo never did.
    if (type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')))
      throw new UsageError(`${t.rawName} needs a value`);
  }
  return { flags: { ...values } as Record<string, string | true>, positionals };
}

/** `http(s)://[user:pass@]host/…/git/<app>.git` → `<app>`; anything else → null. */
export function appFromRemoteUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const m = /\/git\/([a-z][a-z0-9-]{0,62})(?:\.git)?\/?$/.exec(u.pathname);
  return m ? m[1] : null;
}

/** The git URL with `kyozo:<token>@` in it (token as given, e.g. a real token or `$KYOZO_TOKEN`). */
export function remoteUrlWithToken(gitUrl: string, token: string): string {
  return gitUrl.replace(/^(https?:\/\/)(?:[^@/]*@)?/, `$1kyozo:${token}@`);
}

/** `KEY=VALUE …` → `{KEY: VALUE}`; the value may be empty or hold `=`. */
export function parseConfigPairs(args: readonly string[]): Record<string, string> {
  if (!args.length) throw new UsageError('give at least one KEY=VALUE');
  const out: Record<string, string> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected KEY=VALUE, got "${a}"`);
    out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

const SERVICE = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/** `web=3 worker=1` → `{web: 3, worker: 1}`. */
export function parseScale(args: readonly string[]): Record<string, number> {
  if (!args.length) throw new UsageError('give at least one SERVICE=COUNT, e.g. web=2');
  const out: Record<string, number> = {};
  for (const a of args) {
    const m = /^([^=]+)=(\d{1,4})$/.exec(a);
    if (!m || !SERVICE.test(m[1])) throw new UsageError(`expected SERVICE=COUNT (e.g. web=2), got "${a}"`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** `web:memory=256,cpus=0.5` (memory in MB, or with m/g suffix) → `{web: {memoryMb: 256, cpus: 0.5}}`. */
export function parseResources(args: readonly string[]): Record<string, { memoryMb?: number; cpus?: number }> {
  if (!args.length) throw new UsageError('give at least one SERVICE:memory=MB,cpus=N');
  const out: Record<string, { memoryMb?: number; cpus?: number }> = {};
  for (const a of args) {
    const colon = a.indexOf(':');
    const service = a.slice(0, colon);
    if (colon <= 0 || !SERVICE.test(service) || colon === a.length - 1)
      throw new UsageError(`expected SERVICE:memory=MB,cpus=N, got "${a}"`);
    const limits: { memoryMb?: number; cpus?: number } = (out[service] ??= {});
    for (const part of a.slice(colon + 1).split(',')) {
      const [k, v = ''] = part.split('=', 2);
      const key = k.trim().toLowerCase();
      if (['memory', 'mem', 'memorymb'].includes(key)) {
        const m = /^(\d+(?:\.\d+)?)\s*(m|mb|g|gb)?$/i.exec(v.trim());
        if (!m) throw new UsageError(`${service}: memory must be megabytes like 256, 512m or 1g, got "${v}"`);
        limits.memoryMb = Math.round(Number(m[1]) * (/^g/i.test(m[2] ?? '') ? 1024 : 1));
      } else if (key === 'cpus' || key === 'cpu') {
        if (!/^\d*\.?\d+$/.test(v.trim()))
          throw new UsageError(`${service}: cpus must be a number like 0.5, got "${v}"`);
        limits.cpus = Number(v);
      } else throw new UsageError(`${service}: unknown resource "${k}" (memory, cpus)`);
    }
  }
  return out;
}

/** `3` or `v3` → 3. */
export function parseVersion(s: string | undefined): number {
  const m = /^v?(\d{1,9})$/i.exec(s ?? '');
  if (!m || Number(m[1]) < 1) throw new UsageError(`expected a release version like 3 or v3, got "${s ?? ''}"`);
  return Number(m[1]);
}

/** One app log line `<iso time> <service>#<replica> <text>` as an object (for --json). */
export function parseLogLine(line: string): { at: string; service: string; replica: number; line: string } | null {
  const m = /^(\S+) ([^\s#]+)#(\d+) ?(.*)$/.exec(line);
  return m ? { at: m[1], service: m[2], replica: Number(m[3]), line: m[4] } : null;
}

export const maskConfig = (config: Record<string, string>, reveal: boolean) =>
  Object.fromEntries(
    Object.entries(config)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, reveal ? v : '****']),
  );

/** ISO time → `2026-01-31 12:00:00` (UTC), `-` when missing. */
export const shortTime = (iso: string | null | undefined) =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';

/** Left-aligned columns, two spaces apart, trailing spaces trimmed. */
export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(w[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
