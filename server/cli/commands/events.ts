// kyozo events [-a APP] [--type T] [--since 1h] [--limit N]: the audit log, newest first.
import type { Commands } from '../command.ts';
import { shortTime, table } from '../parse.ts';

interface EventJson {
  id: number;
  at: string;
  app: string | null;
  service: string | null;
  type: string;
  level: string;
  actorEmail: string | null;
  ip: string | null;
  message: string;
  /** The app was deleted (admins only see these); its name may belong to another app now. */
  deleted?: boolean;
}

export const commands: Commands = {
  async events(ctx) {
    ctx.args(0, 0, '');
    const q = new URLSearchParams();
    const app = await ctx.appOrNull();
    if (app) q.set('app', app);
    for (const k of ['type', 'since', 'limit'] as const) {
      const v = ctx.flags[k];
      if (typeof v === 'string') q.set(k, v);
    }
    const res = await ctx.api.call<{ events: EventJson[]; nextBefore: number | null }>(
      'GET',
      `/api/events${q.size ? `?${q}` : ''}`,
    );
    if (ctx.json) return ctx.out(JSON.stringify(res, null, 2));
    if (!res.events.length) return ctx.out(`No events${app ? ` of ${app}` : ''}.`);
    ctx.out(
      table(
        ['TIME', 'TYPE', 'APP', 'BY', 'MESSAGE'],
        res.events.map((e) => [
          shortTime(e.at),
          e.level === 'info' ? e.type : `${e.type} (${e.level})`,
          ([e.app, e.service].filter(Boolean).join('/') || '-') + (e.deleted ? ' (deleted)' : ''),
          e.actorEmail ?? '-',
          e.message,
        ]),
      ),
    );
    if (res.nextBefore && !ctx.flags.limit)
      ctx.err(`(showing the newest ${res.events.length}; more with --limit N, up to 1000)`);
  },
};
