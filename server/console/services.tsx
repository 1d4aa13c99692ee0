// Service controls on the app page: scale, start, stop, restart — the same ops as the API (ops/formation.ts,
// ops/releases.ts restart). The answer is the refreshed cards plus a flash message (out of band).
import { Hono, type MiddlewareHandler } from 'hono';
import { NotFound } from '../http/errors.ts';
import { appJson } from '../ops/appView.ts';
import { OpError } from '../ops/deps.ts';
import { scale, start, stop } from '../ops/formation.ts';
import { restart } from '../ops/releases.ts';
import { ServiceCards, type Controls } from '../../views/ServiceCard.tsx';
import { clientIp, formString, isHtmx, type AppCtx, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { requireApp, requireSession } from './middleware.ts';
import { latestServiceStats } from './queries.ts';

/** Every service control is wired to an op (formation.ts scale/start/stop, releases.ts restart). */
export const controlsAvailable: Controls = { scale: true, lifecycle: true };

const VERBS = ['scale', 'start', 'stop', 'restart'] as const;
type Verb = (typeof VERBS)[number];

/** An unknown verb is a 404 before the app is looked up. */
const knownVerb: MiddlewareHandler = async (c, next) => {
  const verb = c.req.param('verb') as Verb;
  if (!VERBS.includes(verb)) throw new NotFound(`no such action: ${verb}`);
  await next();
};

export function servicesRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);
  const withApp = requireApp(db);

  const run = async (c: AppCtx, verb: Verb, service: string): Promise<string> => {
    const app = c.get('app');
    const p = c.get('principal');
    const actor = { userId: p.userId, email: p.email };
    if (verb === 'scale') {
      const raw = formString(await c.req.parseBody(), 'replicas');
      const n = Number(raw);
      if (raw === '' || !Number.isInteger(n)) throw new OpError(400, 'replicas must be a whole number');
      const release = await scale(deps, app, { [service]: n }, actor);
      return `Scaling ${service} to ${n} (v${release.version}).`;
    }
    if (verb === 'restart') {
      const release = await restart(deps, app, service, p.userId, { actor, ip: clientIp(c) });
      return `Restarting ${service} (v${release.version}).`;
    }
    const release = await (verb === 'stop' ? stop : start)(deps, app, service, actor);
    return `${verb === 'stop' ? 'Stopping' : 'Starting'} ${service}${release ? ` (v${release.version})` : ''}.`;
  };

  r.post('/apps/:name/services/:service/:verb', auth, knownVerb, withApp, async (c) => {
    const app = c.get('app');
    const message = await run(c, c.req.param('verb') as Verb, c.req.param('service'));
    if (!isHtmx(c)) return c.redirect(`/apps/${app.name}`, 303);
    const [view, stats] = await Promise.all([
      appJson(db, deps.config, app, c.req.header('host')),
      latestServiceStats(db, app.id),
    ]);
    return c.html(
      <>
        <ServiceCards
          app={app.name}
          services={view.services}
          stats={stats}
          controls={controlsAvailable}
          csrf={c.get('csrf')}
        />
        <div id="flash" hx-swap-oob="true">
          <p class="alert good" role="status">
            {message}
          </p>
        </div>
      </>,
      202,
    );
  });
  return r;
}
