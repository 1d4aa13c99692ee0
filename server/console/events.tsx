// The events page: the audit log (server/db/events.ts listEvents) with the API's filters and tenant scope.
import { Hono } from 'hono';
import { listEvents, type Event } from '../db/events.ts';
import { parseEventQuery } from '../http/events.ts';
import { BadRequest } from '../http/json.ts';
import { EventsPage, type EventsQuery } from '../../views/EventsPage.tsx';
import { viewer, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { requireSession } from './middleware.ts';
import { visibleAppNames } from './queriesOverview.ts';

const PAGE = 100;

export function eventsRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();

  r.get('/events', requireSession(db), async (c) => {
    const p = c.get('principal');
    const raw = c.req.query();
    const query: EventsQuery = { app: raw.app, type: raw.type, level: raw.level, since: raw.since };
    const apps = await visibleAppNames(db, p);
    let events: Event[] = [];
    let error: string | null = null;
    try {
      const f = parseEventQuery({ ...query, before: raw.before });
      if (!p.isAdmin) Object.assign(f, { apps, actorId: p.userId });
      events = await listEvents(db, { ...f, limit: PAGE });
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      error = e.message;
    }
    const nextBefore = events.length === PAGE ? events[events.length - 1].id : null;
    return c.html(<EventsPage viewer={viewer(c)} events={events} apps={apps} query={query} nextBefore={nextBefore} error={error} />, error ? 400 : 200);
  });
  return r;
}
