// GET /api/events: the audit log with filters. Non-admins see the events of the apps they own now (by app
// id: not those of a deleted app whose name was created again) and their own account events (login, token.*);
// admins see everything, deleted apps' events marked `deleted: true`. Also: auditOf(c), the who/where of a
// request for ops functions.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { visibleAppIds } from '../db/apps.ts';
import type { Database } from '../db/client.ts';
import { listEvents, type AuditCtx, type EventFilter } from '../db/events.ts';
import type { Principal } from '../db/users.ts';
import type { HttpEnv } from './env.ts';
import { BadRequest } from './json.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The client address: the socket peer; behind a local reverse proxy, the first X-Forwarded-For hop. */
export function requestIp(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress ?? null;
  const xff = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (xff && (!peer || LOOPBACK.test(peer))) return xff.slice(0, 64);
  return peer;
}

export function auditOf<E extends HttpEnv>(c: Context<E>): AuditCtx {
  const p: Principal | undefined = c.get('principal');
  return { actor: p ? { userId: p.userId, email: p.email } : null, ip: requestIp(c) };
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;
const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses the query into a filter; throws BadRequest naming the parameter at fault. */
export function parseEventQuery(q: Record<string, string | undefined>, now = Date.now()): EventFilter {
  const f: EventFilter = {};
  for (const k of ['app', 'service', 'type'] as const) {
    const v = q[k];
    if (v === undefined || v === '') continue;
    if (!NAME.test(v)) throw new BadRequest(`${k} must be 1-100 characters of letters, digits, . _ -`);
    f[k] = v;
  }
  if (q.level) {
    if (!['info', 'warning', 'error'].includes(q.level))
      throw new BadRequest('level must be one of info, warning, error');
    f.level = q.level;
  }
  if (q.since) {
    const m = DURATION.exec(q.since);
    const t = m ? now - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : Date.parse(q.since);
    if (Number.isNaN(new Date(t).getTime()))
      throw new BadRequest('since must be an ISO 8601 time or a duration like 30m, 2h, 7d');
    f.since = new Date(t);
  }
  if (q.before) {
    if (!/^\d{1,15}$/.test(q.before) || Number(q.before) < 1)
      throw new BadRequest('before must be a positive event id');
    f.before = Number(q.before);
  }
  if (q.limit) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new BadRequest('limit must be an integer between 1 and 1000');
    f.limit = n;
  }
  return f;
}

export function eventsRouter(deps: { database: Database }) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();
  r.get('/', async (c) => {
    const f = parseEventQuery(c.req.query());
    const p = c.get('principal');
    if (!p.isAdmin) {
      f.appIds = await visibleAppIds(db, p);
      f.actorId = p.userId;
    }
    const limit = f.limit ?? 100;
    const events = await listEvents(db, { ...f, limit });
    return c.json({ events, nextBefore: events.length === limit ? events[events.length - 1].id : null });
  });
  return r;
}
