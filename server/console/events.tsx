// The events page: the audit log (server/db/events.ts listEvents) with the API's filters and tenant scope.
// The newest page stays live over SSE (the same rows fragment, re-rendered when new events arrive).
import { Hono, type Context } from 'hono';
import { listEvents, type Event } from '../db/events.ts';
import { parseEventQuery } from '../http/events.ts';
import { BadRequest } from '../http/json.ts';
import { EventRows, EventsPage, type EventsQuery } from '../../views/EventsPage.tsx';
import { viewer, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { html, liveFragments } from './live.ts';
import { requireSession } from './middleware.ts';
import { visibleAppIds } from '../db/apps.ts';
import { visibleAppNames } from './queriesOverview.ts';

const PAGE = 100;

export function eventsRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();

  /** The events a viewer may see under the page's filters; a bad filter is an error message, not a throw. */
  async function load(c: Context<ConsoleEnv>, query: EventsQuery, before?: string) {
    const p = c.get('principal');
    const apps = await visibleAppNames(db, p);
    try {
      const f = parseEventQuery({ ...query, before });
      // The same scope as GET /api/events: apps owned now (by id) and the viewer's own account events.
      if (!p.isAdmin) Object.assign(f, { appIds: await visibleAppIds(db, p), actorId: p.userId });
      return { apps, events: await listEvents(db, { ...f, limit: PAGE }), error: null };
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      return { apps, events: [] as Event[], error: e.message };
    }
  }
  const queryOf = (c: Context<ConsoleEnv>): EventsQuery => {
    const raw = c.req.query();
    return { app: raw.app, type: raw.type, level: raw.level, since: raw.since };
  };

  r.get('/events', requireSession(db), async (c) => {
    const query = queryOf(c);
    const before = c.req.query('before');
    const { apps, events, error } = await load(c, query, before);
    const nextBefore = events.length === PAGE ? events[events.length - 1].id : null;
    return c.html(
      <EventsPage
        viewer={viewer(c)}
        assets={deps.assets}
        events={events}
        apps={apps}
        query={query}
        nextBefore={nextBefore}
        error={error}
        live={!before && !error}
      />,
      error ? 400 : 200,
    );
  });

  r.get('/events/stream/log', requireSession(db), async (c) => {
    const query = queryOf(c);
    return liveFragments(c, async () => ({ events: await html(<EventRows events={(await load(c, query)).events} />) }));
  });
  return r;
}
