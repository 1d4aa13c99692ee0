// The client side of `kyozo`: resolves the server URL, token and app, wraps fetch for the JSON API, runs a
// command from its family module (loaded lazily) and turns errors into messages and exit codes.
import { execFile } from 'node:child_process';
import { findCommand, flagSpecOf, helpText, usageOf, type Family } from './help.ts';
import { appFromRemoteUrl, parseArgv, UsageError } from './parse.ts';

/** A failure to report: message on stderr, exit `code` (1 unless said otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export interface Api {
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** GETs a text endpoint and hands over each line as it arrives (for ?follow=1 streams). */
  lines(path: string, onLine: (line: string) => void): Promise<void>;
}

export interface Ctx {
  command: string;
  flags: Record<string, string | true>;
  json: boolean;
  url: string;
  token: string;
  api: Api;
  /** The positional arguments, between min and max of them (else a usage error naming `what`). */
  args(min: number, max: number, what: string): string[];
  /** --app/-a, else the app of the `kyozo` git remote here; a usage error when neither. */
  app(): Promise<string>;
  appOrNull(): Promise<string | null>;
  out(text: string): void;
  err(text: string): void;
}

export type Commands = Record<string, (ctx: Ctx) => Promise<number | void>>;

const FAMILIES: Record<Family, () => Promise<{ commands: Commands }>> = {
  apps: () => import('./commands/apps.ts'),
  releases: () => import('./commands/releases.ts'),
  config: () => import('./commands/config.ts'),
  ps: () => import('./commands/ps.ts'),
  logs: () => import('./commands/logs.ts'),
  events: () => import('./commands/events.ts'),
  tokens: () => import('./commands/tokens.ts'),
};

/** --url/--token over KYOZO_URL/KYOZO_TOKEN (pure). The URL comes back without a trailing slash. */
export function resolveSettings(flags: Record<string, string | true>, env: Record<string, string | undefined>) {
  const raw = (typeof flags.url === 'string' ? flags.url : env.KYOZO_URL) || 'http://localhost:3000';
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(raw).protocol);
  } catch {
    /* reported below */
  }
  if (!ok) throw new UsageError(`not an http(s) URL: "${raw}" (--url or KYOZO_URL, e.g. http://localhost:3000)`);
  const token = (typeof flags.token === 'string' ? flags.token : env.KYOZO_TOKEN) || null;
  return { url: raw.replace(/\/+$/, ''), token };
}

export const NO_TOKEN =
  'no API token: set KYOZO_TOKEN (export KYOZO_TOKEN=kz_...) or pass --token TOKEN. ' +
  "The admin token is printed once on the server's first start (or set there as KYOZO_ADMIN_TOKEN); an admin can create users with their own tokens.";

function unreachable(url: string, e: unknown): CliError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why =
    cause?.code === 'ECONNREFUSED' ? 'connection refused' : (cause?.code ?? cause?.message ?? (e as Error).message);
  return new CliError(`could not reach Kyozo at ${url} (${why}). Is it running? Set KYOZO_URL or pass --url.`);
}

export function createApi(url: string, token: string): Api {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw unreachable(url, e);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let msg: string | undefined;
    try {
      msg = JSON.parse(text).error;
    } catch {
      /* not JSON */
    }
    msg ??= `${method} ${path} answered ${res.status} ${res.statusText}`;
    throw new CliError(res.status === 401 ? `${msg} (check KYOZO_TOKEN or --token)` : msg);
  }
  return {
    async call(method, path, body) {
      const text = await (await send(method, path, body)).text();
      try {
        return text ? JSON.parse(text) : null;
      } catch {
        throw new CliError(`${url} did not answer JSON on ${path}; is KYOZO_URL a Kyozo server?`);
      }
    },
    async lines(path, onLine) {
      const reader = (await send('GET', path)).body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          throw unreachable(url, e);
        }
        buf += dec.decode(chunk.value, { stream: !chunk.done });
        const parts = buf.split('\n');
        buf = chunk.done ? '' : parts.pop()!;
        for (const l of chunk.done && parts.at(-1) === '' ? parts.slice(0, -1) : parts) onLine(l);
        if (chunk.done) return;
      }
    },
  };
}

export function git(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile('git', args, { cwd }, (err, stdout, stderr) =>
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 127) : 0,
        stdout,
        stderr: stderr || (err?.message ?? ''),
      }),
    ),
  );
}

export async function runClientCommand(name: string, argv: string[]): Promise<number> {
  const spec = findCommand(name);
  if (!spec) {
    process.stderr.write(`kyozo: unknown command "${name}"\n\n${helpText()}\n`);
    return 2;
  }
  try {
    const { flags, positionals } = parseArgv(argv, flagSpecOf(spec));
    if (flags.help) {
      process.stdout.write(usageOf(spec) + '\n');
      return 0;
    }
    const { url, token } = resolveSettings(flags, process.env);
    if (!token) throw new CliError(NO_TOKEN);
    let remote: Promise<string | null> | undefined;
    const appOrNull = async () =>
      typeof flags.app === 'string'
        ? flags.app
        : (remote ??= git(['remote', 'get-url', 'kyozo']).then((r) =>
            r.code === 0 ? appFromRemoteUrl(r.stdout) : null,
          ));
    const ctx: Ctx = {
      command: name,
      flags,
      json: flags.json === true,
      url,
      token,
      api: createApi(url, token),
      appOrNull,
      args(min, max, what) {
        if (positionals.length < min) throw new UsageError(`missing ${what}`);
        if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
        return positionals;
      },
      async app() {
        const app = await appOrNull();
        if (!app)
          throw new UsageError(
            'which app? Pass --app NAME (or -a NAME), or run this in a git repo with a "kyozo" remote',
          );
        return app;
      },
      out: (text) => void process.stdout.write(text + '\n'),
      err: (text) => void process.stderr.write(text + '\n'),
    };
    const { commands } = await FAMILIES[spec.family]();
    return (await commands[spec.name](ctx)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) process.stderr.write(`kyozo ${name}: ${e.message}\n${usageOf(spec)}\n`);
    else if (e instanceof CliError) process.stderr.write(`kyozo ${name}: ${e.message}\n`);
    else throw e;
    return e instanceof UsageError ? 2 : e.code;
  }
}
