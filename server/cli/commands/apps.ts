// kyozo apps | apps:create NAME [--remote] | apps:info | apps:destroy --confirm NAME
import { git, type Commands, type Ctx } from '../command.ts';
import { CliError } from '../http.ts';
import { remoteUrlWithToken, shortTime, table, UsageError } from '../parse.ts';
import { appPath } from './releases.ts';

interface ReleaseJson {
  version: number;
  status: string;
  kind: string;
  commit: string | null;
  createdAt: string;
  error: string | null;
}
export interface ServiceJson {
  name: string;
  type: string;
  status: string;
  port: number | null;
  url: string | null;
  memoryMb: number;
  cpus: number;
  replicaCount: number;
  replicas: { index: number; host: string | null; port: number | null; state: string }[];
}
export interface AppJson {
  name: string;
  gitUrl: string;
  url: string;
  status: string;
  state: string;
  createdAt: string;
  liveRelease: ReleaseJson | null;
  latestRelease: ReleaseJson | null;
  services: ServiceJson[];
}

/** DELETE /api/apps/:name's answer (ops/apps.ts DeletedApp). */
interface DestroyedJson {
  containers: number;
  images: string[];
  networks: string[];
  volumes: string[];
  keptVolumes: string[];
}

function destroyedLines(app: string, d: DestroyedJson | null, keep: boolean): string[] {
  if (!d) return [`Destroyed app ${app}`];
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  const lines = [
    `Destroyed app ${app}: removed ${n(d.containers, 'container')}, ${n(d.images.length, 'image')}, ${n(d.networks.length, 'network')}, ${n(d.volumes.length, 'volume')}`,
  ];
  if (d.keptVolumes.length)
    lines.push(
      keep
        ? 'Kept its volumes (the data stays until you remove them with docker volume rm):'
        : 'Volumes still in use, kept:',
      ...d.keptVolumes.map((v) => `  ${v}`),
    );
  return lines;
}

const printJson = (ctx: Ctx, v: unknown) => ctx.out(JSON.stringify(v, null, 2));
const releaseLine = (r: ReleaseJson | null) =>
  r
    ? `v${r.version} ${r.status} (${r.kind}${r.commit ? ` ${r.commit.slice(0, 7)}` : ''}, ${shortTime(r.createdAt)})${r.error ? `: ${r.error}` : ''}`
    : '-';

export const commands: Commands = {
  async apps(ctx) {
    ctx.args(0, 0, '');
    const apps = await ctx.api.call<AppJson[]>('GET', '/api/apps');
    if (ctx.json) return printJson(ctx, apps);
    if (!apps.length) return ctx.out('No apps yet. Create one with: kyozo apps:create NAME');
    ctx.out(
      table(
        ['NAME', 'STATUS', 'LIVE', 'URL'],
        apps.map((a) => [a.name, a.status, a.liveRelease ? `v${a.liveRelease.version}` : '-', a.url]),
      ),
    );
  },

  async 'apps:create'(ctx) {
    const [name] = ctx.args(1, 1, 'NAME');
    const app = await ctx.api.call<{ name: string; gitUrl: string; url: string }>('POST', '/api/apps', { name });
    if (ctx.json) printJson(ctx, app);
    else ctx.out(`Created app ${app.name}\n  url: ${app.url}\n  git: ${app.gitUrl}`);
    if (ctx.flags.remote) {
      const r = await git(['remote', 'add', 'kyozo', remoteUrlWithToken(app.gitUrl, encodeURIComponent(ctx.token))]);
      if (r.code !== 0)
        throw new CliError(`app ${app.name} was created, but \`git remote add kyozo\` failed: ${r.stderr.trim()}`);
      if (!ctx.json)
        ctx.out(
          `Added git remote kyozo (${app.gitUrl}, with your token as password). Deploy with:\n  git push kyozo main`,
        );
      return;
    }
    if (!ctx.json)
      ctx.out(
        `Add it as a git remote (the password is an API token) and deploy:\n  git remote add kyozo ${remoteUrlWithToken(app.gitUrl, '$KYOZO_TOKEN')}\n  git push kyozo main`,
      );
  },

  async 'apps:info'(ctx) {
    ctx.args(0, 0, '');
    const a = await ctx.api.call<AppJson>('GET', appPath(await ctx.app()));
    if (ctx.json) return printJson(ctx, a);
    ctx.out(
      [
        `=== ${a.name}`,
        `Status:   ${a.status}${a.state === 'stopped' ? ' (stopped)' : ''}`,
        `URL:      ${a.url}`,
        `Git:      ${a.gitUrl}`,
        `Live:     ${releaseLine(a.liveRelease)}`,
        `Latest:   ${releaseLine(a.latestRelease)}`,
        `Created:  ${shortTime(a.createdAt)}`,
        `Services: ${a.services.map((s) => `${s.name} (${s.type}, ${s.status}, ${s.replicas.filter((r) => r.state === 'running').length}/${s.replicaCount})`).join(', ') || '-'}`,
      ].join('\n'),
    );
  },

  async 'apps:destroy'(ctx) {
    const [given] = ctx.args(0, 1, 'NAME');
    const confirm = typeof ctx.flags.confirm === 'string' ? ctx.flags.confirm : undefined;
    const app = given ?? (await ctx.appOrNull()) ?? confirm;
    if (!app) throw new UsageError('which app? Pass --confirm NAME');
    if (confirm !== app) {
      throw new CliError(
        `this deletes app "${app}" with its containers, the images built for it, its network, its volumes (its data; --keep-data keeps them) and its repository. To go ahead, run again with --confirm ${app}`,
      );
    }
    const keep = ctx.flags['keep-data'] === true;
    const done = await ctx.api.call<DestroyedJson | null>('DELETE', appPath(app, keep ? '?keepData=true' : ''));
    if (ctx.json) return printJson(ctx, { name: app, destroyed: true, ...(done ?? {}) });
    ctx.out(destroyedLines(app, done, keep).join('\n'));
  },
};
