// kyozo config [--reveal] | config:set KEY=VALUE… | config:unset KEY…
import type { Commands, Ctx } from '../command.ts';
import { maskConfig, parseConfigPairs, UsageError } from '../parse.ts';
import { appPath, reportRelease } from './releases.ts';

type Patched = { config: Record<string, string>; release: { version: number; status: string } | null };

async function patch(ctx: Ctx, body: Record<string, string | null>, what: string): Promise<number> {
  const app = await ctx.app();
  const res = await ctx.api.call<Patched>('PATCH', appPath(app, '/config'), body);
  const shown = { ...res, config: maskConfig(res.config, false) }; // values never echoed back
  if (res.release) return reportRelease(ctx, app, res.release, `${what} on ${app}`, shown);
  if (ctx.json) ctx.out(JSON.stringify(shown, null, 2));
  else ctx.out(`${what} on ${app} (nothing is live yet: the next deploy uses it)`);
  return 0;
}

export const commands: Commands = {
  async config(ctx) {
    ctx.args(0, 0, '');
    const app = await ctx.app();
    const config = maskConfig(
      await ctx.api.call<Record<string, string>>('GET', appPath(app, '/config')),
      ctx.flags.reveal === true,
    );
    if (ctx.json) return ctx.out(JSON.stringify(config, null, 2));
    const lines = Object.entries(config).map(([k, v]) => `${k}=${v}`);
    ctx.out(lines.length ? lines.join('\n') : `${app} has no config vars (kyozo config:set KEY=VALUE)`);
  },

  async 'config:set'(ctx) {
    const pairs = parseConfigPairs(ctx.args(1, Infinity, 'KEY=VALUE'));
    return patch(ctx, pairs, `Set ${Object.keys(pairs).join(', ')}`);
  },

  async 'config:unset'(ctx) {
    const keys = ctx.args(1, Infinity, 'KEY');
    const bad = keys.find((k) => k.includes('='));
    if (bad) throw new UsageError(`config:unset takes keys, not KEY=VALUE ("${bad}")`);
    return patch(ctx, Object.fromEntries(keys.map((k) => [k, null])), `Unset ${keys.join(', ')}`);
  },
};
