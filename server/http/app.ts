// The hono app on KYOZO_PORT: /healthz, the JSON API, the git hook callback. Git itself is served
// by the git front before hono sees the request (server/main.ts).
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { pingDb } from '../db/client.ts';
import { describeError } from '../db/errors.ts';
import type { OpsDeps } from '../ops/deps.ts';
import { appsRouter } from './apps.ts';
import { formationRouter } from './formation.ts';
import { requireToken } from './auth.ts';
import type { HttpEnv } from './env.ts';
import { errorStatus } from './errors.ts';
import { securityHeaders } from './securityHeaders.ts';
import { hookRouter } from './hook.ts';
import { consoleRouter } from '../console/index.tsx';
import { appLogsRouter } from './appLogs.ts';
import { eventsRouter } from './events.ts';
import { jobsRouter } from './jobs.ts';
import { tokensRouter, usersRouter } from './users.ts';
import { alertsRouter } from './alerts.ts';
import { metricsRouter, prometheusHandler, requestMetrics, systemRouter } from './metrics.ts';
import type { MetricsConfig } from '../metrics/config.ts';
import type { Registry } from '../metrics/prometheus.ts';

export interface HttpDeps extends OpsDeps {
  hookSecret: string;
  metricsConfig: MetricsConfig;
  registry: Registry;
}

export function createApp(deps: HttpDeps) {
  const app = new Hono<HttpEnv>();
  const mdeps = { db: deps.database.db, metricsConfig: deps.metricsConfig, registry: deps.registry };
  app.use('*', requestMetrics(deps.registry));
  app.use('*', securityHeaders());

  app.get('/healthz', async (c) => {
    const [db, docker] = await Promise.all([pingDb(deps.database), deps.docker.ping().catch(() => false)]);
    return c.json(
      { status: db ? 'ok' : 'degraded', db: db ? 'ok' : 'down', docker: docker ? 'ok' : 'down' },
      db ? 200 : 503,
    );
  });

  app.route('/internal/git', hookRouter(deps, deps.hookSecret));

  const api = new Hono<HttpEnv>();
  api.use('*', requireToken(deps.database.db));
  api.route('/apps', appsRouter(deps));
  api.route('/apps', formationRouter(deps));
  api.route('/', metricsRouter(mdeps));
  api.route('/', systemRouter(mdeps));
  api.route('/', alertsRouter({ db: deps.database.db }));
  // Operations: audit log, app container logs, dead-letter queue (admin).
  api.route('/events', eventsRouter(deps));
  api.route('/apps/:name/logs', appLogsRouter(deps));
  api.route('/jobs', jobsRouter(deps));
  api.route('/tokens', tokensRouter(deps));
  api.route('/users', usersRouter(deps));
  api.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.route('/api', api);
  app.route('/', consoleRouter(deps)); // web console: pages, htmx fragments, SSE, /assets
  // After the console: browsers asking for /metrics get the metrics page, scrapers get Prometheus text.
  app.get('/metrics', prometheusHandler(mdeps));

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    const status = errorStatus(err);
    if (status !== 500) return c.json({ error: err.message }, status);
    console.error(`[http] ${c.req.method} ${c.req.path}: ${describeError(err)}`);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
