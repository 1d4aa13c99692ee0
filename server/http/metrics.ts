// Metrics API: GET /api/apps/:name/metrics, GET /api/system/metrics (admin), GET /metrics (Prometheus),
// plus the request-counting middleware behind kyozo_http_requests_total.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Db } from '../db/client.ts';
import { authenticateToken } from '../db/users.ts';
import type { MetricsConfig } from '../metrics/config.ts';
import { ParamError, parseRangeQuery } from '../metrics/params.ts';
import { renderPrometheus, type Registry } from '../metrics/prometheus.ts';
import { appSeries, systemSeries } from '../metrics/query.ts';
import { dbFamilies } from '../metrics/scrape.ts';
import { bearerToken } from './auth.ts';
import type { HttpEnv } from './env.ts';
import { loadApp } from './loadApp.ts';

export interface MetricsHttpDeps {
  db: Db;
  metricsConfig: Pick<MetricsConfig, 'rawRetentionDays' | 'prometheusPublic'>;
  registry: Registry;
}

function range(c: Context, deps: MetricsHttpDeps, service = true) {
  const q = c.req.query();
  return parseRangeQuery(service ? q : { ...q, service: undefined }, new Date(), {
    rawRetentionMs: deps.metricsConfig.rawRetentionDays * 86_400_000,
  });
}

const paramError = (c: Context, e: unknown) => {
  if (e instanceof ParamError) return c.json({ error: e.message, param: e.param }, 400);
  throw e;
};

/** Mount at /api (behind requireToken): GET /apps/:name/metrics?since=&until=&step=&service= */
export function metricsRouter(deps: MetricsHttpDeps) {
  const r = new Hono<HttpEnv>();
  r.get('/apps/:name/metrics', loadApp(deps.db), async (c) => {
    try {
      return c.json(await appSeries(deps.db, c.get('app'), range(c, deps)));
    } catch (e) {
      return paramError(c, e);
    }
  });
  return r;
}

/** Mount at /api (behind requireToken): GET /system/metrics?since=&until=&step= (admins only). */
export function systemRouter(deps: MetricsHttpDeps) {
  const r = new Hono<HttpEnv>();
  r.get('/system/metrics', async (c) => {
    if (!c.get('principal').isAdmin) return c.json({ error: 'system metrics are for admins' }, 403);
    try {
      return c.json(await systemSeries(deps.db, range(c, deps, false)));
    } catch (e) {
      return paramError(c, e);
    }
  });
  return r;
}

/** GET /metrics in the Prometheus text format; needs an admin bearer token unless KYOZO_METRICS_PUBLIC. */
export function prometheusHandler(deps: MetricsHttpDeps) {
  return async (c: Context) => {
    if (!deps.metricsConfig.prometheusPublic) {
      const token = bearerToken(c.req.header('authorization'));
      const p = token ? await authenticateToken(deps.db, token) : null;
      if (!p?.isAdmin) {
        c.header('WWW-Authenticate', 'Bearer realm="kyozo"');
        return c.text('metrics need an admin bearer token (or KYOZO_METRICS_PUBLIC=true)\n', p ? 403 : 401);
      }
    }
    const families = [...deps.registry.families(), ...(await dbFamilies(deps.db))];
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(renderPrometheus(families));
  };
}

/** app.use('*', requestMetrics(registry)): counts requests by method and status code, times them. */
export function requestMetrics(registry: Registry): MiddlewareHandler {
  return async (c, next) => {
    const t0 = performance.now();
    try {
      await next();
    } finally {
      const method = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(c.req.method) ? c.req.method : 'OTHER';
      registry.inc('kyozo_http_requests_total', 'API/console requests by method and status', {
        method,
        code: String(c.res.status),
      });
      registry.observe(
        'kyozo_http_request_duration_seconds',
        'API/console request duration',
        { method },
        (performance.now() - t0) / 1000,
      );
    }
  };
}
