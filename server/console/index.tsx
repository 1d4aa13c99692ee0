// The web console on KYOZO_PORT: server-rendered pages (views/), htmx fragments, SSE streams. Mounted at /
// by server/http/app.ts; every route declares its own session guard, so /api, /git and /healthz are untouched.
import { Hono } from 'hono';
import { describeError } from '../db/errors.ts';
import { errorStatus } from '../http/errors.ts';
import type { OpsDeps } from '../ops/deps.ts';
import { ErrorPage, InlineError } from '../../views/ErrorPage.tsx';
import { appsRouter } from './apps.tsx';
import { assetsRouter, loadAssets } from './assets.ts';
import { authRouter } from './authRoutes.tsx';
import { deployRouter } from './deploy.tsx';
import { eventsRouter } from './events.tsx';
import { metricsRouter } from './metrics.tsx';
import { isHtmx, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { overviewRouter } from './overview.tsx';
import { releasesRouter } from './releases.tsx';
import { servicesRouter } from './services.tsx';
import type { SlidingWindowLimiter } from './rateLimit.ts';

export function consoleRouter(ops: OpsDeps, opts: { loginLimiter?: SlidingWindowLimiter } = {}) {
  // The static files are read here, once per console (not at import time); pages get their URLs as props.
  const assets = loadAssets();
  const deps: ConsoleDeps = { ...ops, assets: assets.urls };
  const r = new Hono<ConsoleEnv>();
  r.route('/', assetsRouter(assets));
  r.route('/', authRouter(deps, opts.loginLimiter));
  r.route('/', overviewRouter(deps));
  r.route('/', appsRouter(deps));
  r.route('/', releasesRouter(deps));
  r.route('/', servicesRouter(deps));
  r.route('/', deployRouter(deps));
  r.route('/', eventsRouter(deps));
  r.route('/', metricsRouter(deps));

  r.onError((err, c) => {
    const status = errorStatus(err);
    if (status === 500) console.error(`[console] ${c.req.method} ${c.req.path}: ${describeError(err)}`);
    const message = status === 500 ? 'Something went wrong; the error is in the server log.' : err.message;
    const principal = c.get('principal');
    const viewer = principal ? { email: principal.email, isAdmin: principal.isAdmin, csrf: c.get('csrf') } : null;
    if (isHtmx(c)) {
      c.header('HX-Retarget', '#flash');
      c.header('HX-Reswap', 'innerHTML');
      return c.html(<InlineError message={message} />, status as 400);
    }
    return c.html(<ErrorPage status={status} message={message} viewer={viewer} assets={assets.urls} />, status as 400);
  });
  return r;
}
