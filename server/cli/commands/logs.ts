// kyozo logs [--service S] [--tail N] [--follow]: app container logs; --follow streams until interrupted.
import type { Commands } from '../command.ts';
import { parseLogLine } from '../parse.ts';
import { appPath } from './releases.ts';

/** The query string of GET /api/apps/:name/logs from the command's flags (pure). */
export function logsQuery(flags: Record<string, string | true>): string {
  const q = new URLSearchParams();
  if (typeof flags.service === 'string') q.set('service', flags.service);
  if (typeof flags.tail === 'string') q.set('tail', flags.tail);
  if (flags.follow) q.set('follow', '1');
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const commands: Commands = {
  async logs(ctx) {
    ctx.args(0, 0, '');
    const app = await ctx.app();
    // --json: one JSON object per line ({at, service, replica, line}), so it can be piped into jq while following.
    await ctx.api.lines(appPath(app, `/logs${logsQuery(ctx.flags)}`), (line) => {
      if (!ctx.json) return ctx.out(line);
      if (line) ctx.out(JSON.stringify(parseLogLine(line) ?? { line }));
    });
  },
};
