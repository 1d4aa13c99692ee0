// The client side of `kyozo`: resolves the server URL, token and app, builds the command's context over the JSON
// API client (http.ts), runs the command from its family module (loaded lazily) and turns errors into messages and
// exit codes.
import { git, type Commands, type Ctx } from './command.ts';
import { findCommand, flagSpecOf, helpText, usageOf, type Family } from './help.ts';
import { CliError, createApi } from './http.ts';
import { appFromRemoteUrl, parseArgv, UsageError } from './parse.ts';

// The helpers the commands share live in http.ts and command.ts, so the commands never import this dispatcher
// (client → commands → helpers); the ones callers of the client use are re-exported here.
export { CliError, createApi } from './http.ts';
export type { Ctx } from './command.ts';

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
