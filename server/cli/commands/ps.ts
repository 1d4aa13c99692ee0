// kyozo ps | scale web=3 worker=1 | restart [SERVICE] | stop [SERVICE] | start [SERVICE] | resources web:memory=256,cpus=0.5
import type { Commands, Ctx } from '../command.ts';
import { parseResources, parseScale, table } from '../parse.ts';
import type { AppJson } from './apps.ts';
import { appPath, reportRelease } from './releases.ts';

type Accepted = { version?: number; status: string };

async function act(
  ctx: Ctx,
  method: string,
  path: string,
  body: unknown,
  what: (app: string) => string,
): Promise<number> {
  const app = await ctx.app();
  const res = await ctx.api.call<Accepted>(method, appPath(app, path), body);
  return reportRelease(ctx, app, res, what(app));
}

/** restart / stop / start: the whole app or the one service named. */
function serviceAction(action: 'restart' | 'stop' | 'start', verb: string) {
  return async (ctx: Ctx) => {
    const [service] = ctx.args(0, 1, 'SERVICE');
    return act(
      ctx,
      'POST',
      `/${action}`,
      service ? { service } : {},
      (app) => `${verb} ${service ? `${service} of ${app}` : app}`,
    );
  };
}

export const commands: Commands = {
  async ps(ctx) {
    ctx.args(0, 0, '');
    const a = await ctx.api.call<AppJson>('GET', appPath(await ctx.app()));
    if (ctx.json) return ctx.out(JSON.stringify(a.services, null, 2));
    if (!a.services.length)
      return ctx.out(`${a.name} has no live release (status ${a.status}); deploy with git push kyozo main`);
    const rows = a.services.map((s) => [
      s.name,
      s.type,
      s.status,
      `${s.replicas.filter((r) => r.state === 'running').length}/${s.replicaCount}`,
      s.port === null ? '-' : String(s.port),
      `${s.memoryMb}M`,
      String(s.cpus),
      s.url ?? '-',
    ]);
    ctx.out(`=== ${a.name} (${a.status}${a.liveRelease ? `, v${a.liveRelease.version}` : ''})`);
    ctx.out(table(['SERVICE', 'TYPE', 'STATUS', 'REPLICAS', 'PORT', 'MEMORY', 'CPUS', 'URL'], rows));
    const reps = a.services.flatMap((s) =>
      s.replicas.map((r) => [`${s.name}#${r.index}`, r.state, r.host && r.port ? `${r.host}:${r.port}` : '-']),
    );
    if (reps.length) ctx.out('\n' + table(['REPLICA', 'STATE', 'ADDRESS'], reps));
  },

  async scale(ctx) {
    const counts = parseScale(ctx.args(1, Infinity, 'SERVICE=COUNT'));
    return act(
      ctx,
      'POST',
      '/scale',
      counts,
      (app) =>
        `Scaling ${app} to ${Object.entries(counts)
          .map(([s, n]) => `${s}=${n}`)
          .join(' ')}`,
    );
  },

  async resources(ctx) {
    const limits = parseResources(ctx.args(1, Infinity, 'SERVICE:memory=MB,cpus=N'));
    const desc = Object.entries(limits).map(
      ([s, l]) =>
        `${s}:${[l.memoryMb && `memory=${l.memoryMb}M`, l.cpus && `cpus=${l.cpus}`].filter(Boolean).join(',')}`,
    );
    return act(ctx, 'PATCH', '/resources', limits, (app) => `Setting limits of ${app}: ${desc.join(' ')}`);
  },

  restart: serviceAction('restart', 'Restarting'),
  stop: serviceAction('stop', 'Stopping'),
  start: serviceAction('start', 'Starting'),
};
