// GET /api/apps/:name/logs?service=&tail=&follow=1 — collected app container logs as text lines
// "<iso time> <service>#<replica> <line>"; follow keeps the response open and streams new lines.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { readAppLogs, type AppLogRow } from '../db/appLogs.ts';
import type { Database } from '../db/client.ts';
import type { HttpEnv } from './env.ts';
import { BadRequest } from './json.ts';
import { loadApp } from './loadApp.ts';

export const formatAppLogLine = (r: Pick<AppLogRow, 'at' | 'service' | 'replica' | 'line'>) =>
  `${new Date(r.at).toISOString()} ${r.service}#${r.replica} ${r.line}\n`;

/** Mount at /apps/:name/logs inside the authenticated /api sub-app. */
export function appLogsRouter(deps: { database: Database }, opts: { followPollMs?: number } = {}) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();
  r.get('/', loadApp(db), async (c) => {
    const app = c.get('app');
    const q = c.req.query();
    const service = q.service || undefined;
    if (service !== undefined && !/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(service))
      throw new BadRequest('service must be a service name');
    const tail = q.tail === undefined || q.tail === '' ? 100 : Number(q.tail);
    if (!Number.isInteger(tail) || tail < 0 || tail > 10_000)
      throw new BadRequest('tail must be an integer between 0 and 10000');
    const follow = q.follow === '1' || q.follow === 'true';
    if (q.follow !== undefined && !['0', '1', 'true', 'false', ''].includes(q.follow))
      throw new BadRequest('follow must be 1 or 0');
    const first = tail > 0 ? await readAppLogs(db, { appId: app.id, service, tail }) : [];
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    if (!follow) return c.body(first.map(formatAppLogLine).join(''));
    let after = first.length
      ? first[first.length - 1].id
      : ((await readAppLogs(db, { appId: app.id, service, tail: 1 }))[0]?.id ?? 0);
    return stream(c, async (s) => {
      let open = true;
      s.onAbort(() => {
        open = false;
      });
      if (first.length) await s.write(first.map(formatAppLogLine).join(''));
      while (open && !s.aborted) {
        const rows = await readAppLogs(db, { appId: app.id, service, afterId: after, limit: 1000 });
        if (rows.length) {
          after = rows[rows.length - 1].id;
          await s.write(rows.map(formatAppLogLine).join(''));
          continue;
        }
        await s.sleep(opts.followPollMs ?? 500);
      }
    });
  });
  return r;
}
