// kyozo releases | releases:log VERSION [--follow] | rollback VERSION; and how every command that starts
// a release reports it (its version; with --wait, the live log and the outcome).
import type { Commands, Ctx } from '../command.ts';
import { CliError } from '../http.ts';
import { parseVersion, shortTime, table } from '../parse.ts';

export const appPath = (app: string, rest = '') => `/api/apps/${encodeURIComponent(app)}${rest}`;

interface ReleaseJson {
  version: number;
  status: string;
  kind: string;
  commit: string | null;
  baseVersion: number | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

/**
 * Prints the release an operation started (`{version, status}`; without a version, e.g. a stop, just the status).
 * With --wait, streams its log until it ends and exits 1 when it failed. With --json, stdout holds only the
 * API's JSON and the log goes to stderr.
 */
export async function reportRelease(
  ctx: Ctx,
  app: string,
  res: { version?: number; status: string },
  what: string,
  body: unknown = res,
): Promise<number> {
  if (ctx.json) ctx.out(JSON.stringify(body, null, 2));
  const say = ctx.json ? ctx.err : ctx.out;
  if (res.version === undefined) {
    if (!ctx.json) ctx.out(`${what}: ${res.status}`);
    return 0;
  }
  if (!ctx.json) ctx.out(`${what}: release v${res.version} ${res.status}`);
  if (!ctx.flags.wait) return 0;
  let told = false; // the log's own "Release vN is live at URL" line says it already
  await ctx.api.lines(appPath(app, `/releases/${res.version}/log?follow=1`), (line) => {
    if (line.startsWith(`Release v${res.version} is live`)) told = true;
    say(line);
  });
  const rel = await ctx.api.call<ReleaseJson>('GET', appPath(app, `/releases/${res.version}`));
  if (rel.status === 'failed')
    throw new CliError(`release v${rel.version} failed: ${rel.error ?? 'see kyozo releases:log'}`);
  if (!told || ctx.json) say(`Release v${rel.version} is ${rel.status}`);
  return 0;
}

export const commands: Commands = {
  async releases(ctx) {
    ctx.args(0, 0, '');
    const list = await ctx.api.call<ReleaseJson[]>('GET', appPath(await ctx.app(), '/releases'));
    if (ctx.json) return ctx.out(JSON.stringify(list, null, 2));
    if (!list.length) return ctx.out('No releases yet: git push kyozo main');
    ctx.out(
      table(
        ['VERSION', 'STATUS', 'KIND', 'COMMIT', 'CREATED', 'ERROR'],
        list.map((r) => [
          `v${r.version}`,
          r.status,
          r.kind + (r.baseVersion ? ` of v${r.baseVersion}` : ''),
          r.commit?.slice(0, 7) ?? '-',
          shortTime(r.createdAt),
          (r.error ?? '').replace(/\s+/g, ' ').slice(0, 80),
        ]),
      ),
    );
  },

  async 'releases:log'(ctx) {
    const [v] = ctx.args(1, 1, 'VERSION');
    const version = parseVersion(v);
    const path = appPath(await ctx.app(), `/releases/${version}/log${ctx.flags.follow ? '?follow=1' : ''}`);
    await ctx.api.lines(path, ctx.json ? (line) => ctx.out(JSON.stringify({ line })) : ctx.out);
  },

  async rollback(ctx) {
    const [v] = ctx.args(1, 1, 'VERSION');
    const version = parseVersion(v);
    const app = await ctx.app();
    const res = await ctx.api.call<{ version: number; status: string }>('POST', appPath(app, '/rollback'), { version });
    return reportRelease(ctx, app, res, `Rolling back ${app} to v${version}`);
  },
};
