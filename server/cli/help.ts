// The client commands of `kyozo` (pure data: name, family, usage, flags) and the help texts built from it.
import type { FlagSpec } from './parse.ts';

export type Family = 'apps' | 'releases' | 'config' | 'ps' | 'logs' | 'events' | 'tokens';

export interface CommandSpec {
  name: string;
  family: Family;
  args: string;
  summary: string;
  /** Accepts --app/-a (and falls back to the `kyozo` git remote). */
  app?: boolean;
  /** Starts a release: accepts --wait. */
  release?: boolean;
  values?: string[];
  bools?: string[];
}

export const COMMANDS: CommandSpec[] = [
  { name: 'apps', family: 'apps', args: '', summary: 'list your apps: name, status, live version, url' },
  {
    name: 'apps:create',
    family: 'apps',
    args: 'NAME [--remote]',
    summary: 'create an app and print its git remote line (--remote adds the kyozo remote here)',
    bools: ['remote'],
  },
  { name: 'apps:info', family: 'apps', args: '', summary: 'status, URLs, releases and services of an app', app: true },
  {
    name: 'apps:destroy',
    family: 'apps',
    args: '--confirm NAME [--keep-data]',
    summary:
      'delete an app with its containers, the images built for it, its network, volumes and repository (--keep-data keeps the volumes)',
    app: true,
    values: ['confirm'],
    bools: ['keep-data'],
  },
  { name: 'releases', family: 'releases', args: '', summary: 'releases of an app, newest first', app: true },
  {
    name: 'releases:log',
    family: 'releases',
    args: 'VERSION [--follow]',
    summary: 'build and deploy log of a release (--follow streams it until it ends)',
    app: true,
    bools: ['follow'],
  },
  {
    name: 'rollback',
    family: 'releases',
    args: 'VERSION',
    summary: "roll out a new release from VERSION's images and config",
    app: true,
    release: true,
  },
  {
    name: 'config',
    family: 'config',
    args: '[--reveal]',
    summary: 'config vars as KEY=value (values masked unless --reveal)',
    app: true,
    bools: ['reveal'],
  },
  {
    name: 'config:set',
    family: 'config',
    args: 'KEY=VALUE…',
    summary: 'set config vars (rolls out a release when something is live)',
    app: true,
    release: true,
  },
  {
    name: 'config:unset',
    family: 'config',
    args: 'KEY…',
    summary: 'remove config vars (rolls out a release when something is live)',
    app: true,
    release: true,
  },
  { name: 'ps', family: 'ps', args: '', summary: 'services with status, replicas, ports and limits', app: true },
  {
    name: 'scale',
    family: 'ps',
    args: 'SERVICE=COUNT…',
    summary: 'set replicas per service, e.g. web=3 worker=1',
    app: true,
    release: true,
  },
  {
    name: 'restart',
    family: 'ps',
    args: '[SERVICE]',
    summary: 'new containers for one service or all, zero downtime',
    app: true,
    release: true,
  },
  {
    name: 'stop',
    family: 'ps',
    args: '[SERVICE]',
    summary: 'stop the app (hosts answer 503) or one service',
    app: true,
  },
  {
    name: 'start',
    family: 'ps',
    args: '[SERVICE]',
    summary: 'start a stopped app or service again',
    app: true,
    release: true,
  },
  {
    name: 'resources',
    family: 'ps',
    args: 'SERVICE:memory=MB,cpus=N…',
    summary: 'set memory/CPU limits per service, e.g. web:memory=256,cpus=0.5',
    app: true,
    release: true,
  },
  {
    name: 'logs',
    family: 'logs',
    args: '[--service S] [--tail N] [--follow]',
    summary: 'app container logs (--follow streams new lines)',
    app: true,
    values: ['service', 'tail'],
    bools: ['follow'],
  },
  {
    name: 'events',
    family: 'events',
    args: '[--type T] [--since 1h] [--limit N]',
    summary: 'the audit log, newest first (of the app when one is given or found)',
    app: true,
    values: ['type', 'since', 'limit'],
  },
  { name: 'tokens', family: 'tokens', args: '', summary: 'your API tokens' },
  { name: 'tokens:create', family: 'tokens', args: 'NAME', summary: 'create an API token (shown once)' },
  { name: 'tokens:revoke', family: 'tokens', args: 'ID', summary: 'revoke an API token' },
];

const GLOBAL: FlagSpec = { values: ['url', 'token'], bools: ['json', 'help'] };

export const findCommand = (name: string) => COMMANDS.find((c) => c.name === name);

export function flagSpecOf(c: CommandSpec): FlagSpec {
  return {
    values: [...GLOBAL.values, ...(c.app ? ['app'] : []), ...(c.values ?? [])],
    bools: [...GLOBAL.bools, ...(c.release ? ['wait'] : []), ...(c.bools ?? [])],
  };
}

const appHint = '  -a, --app NAME  the app (default: the app of the git remote "kyozo" in this folder)';
const common =
  '  --url URL       Kyozo server (env KYOZO_URL, default http://localhost:3000)\n  --token TOKEN   API token (env KYOZO_TOKEN)\n  --json          print the raw API JSON';

export function usageOf(c: CommandSpec): string {
  const lines = [
    `usage: kyozo ${c.name}${c.app ? ' [-a APP]' : ''}${c.args ? ` ${c.args}` : ''}${c.release ? ' [--wait]' : ''}`,
    `  ${c.summary}`,
    '',
  ];
  if (c.app) lines.push(appHint);
  if (c.release) lines.push('  --wait          follow the release log until it is live or failed (exit 1 when failed)');
  lines.push(common);
  return lines.join('\n');
}

export function helpText(): string {
  const rows: [string, string][] = [
    ['serve', 'start Kyozo (console, API, git, proxy); the default'],
    ['analyze [DIR] [--json]', 'show the services Kyozo finds in a folder'],
    ...COMMANDS.map((c): [string, string] => [`${c.name}${c.args ? ` ${c.args}` : ''}`, c.summary]),
    ['help [COMMAND]', 'this list, or the usage of one command (also: kyozo COMMAND --help)'],
  ];
  const w = Math.max(...rows.map(([l]) => l.length));
  return [
    'usage: kyozo COMMAND [options]',
    '',
    ...rows.map(([l, s]) => `  ${l.padEnd(w)}  ${s}`),
    '',
    'Client commands talk to a Kyozo server:',
    common,
    appHint,
    '  Commands that start a release accept --wait.',
  ].join('\n');
}
