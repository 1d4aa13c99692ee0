// The metrics page: per app and service (CPU, memory, requests, 5xx, p95) or system-wide (admins),
// over 1 h / 24 h / 7 d. Only answers browsers: GET /metrics with a bearer token or without text/html in
// Accept falls through (Prometheus scrapes share the path).
import { Hono } from 'hono';
import { getApp } from '../db/apps.ts';
import { NotFound } from '../http/errors.ts';
import { appSeries, systemSeries } from '../metrics/query.ts';
import { MetricsPage, type ChartSet } from '../../views/MetricsPage.tsx';
import { appCharts, RANGE, systemCharts } from './charts.ts';
import { viewer, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { requireSession } from './middleware.ts';
import { metricServices, visibleAppNames } from './queriesOverview.ts';

export function metricsRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);

  r.get('/metrics', async (c, next) => {
    const browser =
      (c.req.header('accept') ?? '').includes('text/html') && !/^Bearer /i.test(c.req.header('authorization') ?? '');
    if (!browser) return next();
    return auth(c, async () => {
      const p = c.get('principal');
      const range = RANGE[c.req.query('range') ?? ''] ? c.req.query('range')! : '1h';
      const { ms, step } = RANGE[range];
      const until = new Date();
      const since = new Date(until.getTime() - ms);
      const apps = await visibleAppNames(db, p);
      let appName = c.req.query('app') || null;
      if (!appName && !p.isAdmin) appName = apps[0] ?? null;
      let charts: ChartSet[] = [];
      let services: string[] = [];
      let service: string | null = null;
      let note: string | null = null;
      if (appName) {
        const app = await getApp(db, p, appName);
        if (!app) throw new NotFound(`app "${appName}" not found`);
        services = await metricServices(db, app.id, new Date(until.getTime() - RANGE['7d'].ms));
        service = c.req.query('service') && services.includes(c.req.query('service')!) ? c.req.query('service')! : null;
        charts = appCharts(await appSeries(db, app, { since, until, step, service: service ?? undefined }));
      } else if (p.isAdmin) {
        charts = systemCharts(await systemSeries(db, { since, until, step }));
      } else note = 'No apps yet: metrics appear here once an app runs.';
      c.res = await c.html(
        <MetricsPage
          viewer={viewer(c)}
          assets={deps.assets}
          apps={apps}
          app={appName}
          services={services}
          service={service}
          range={range}
          since={since.getTime()}
          until={until.getTime()}
          charts={charts}
          note={note}
        />,
      );
    });
  });
  return r;
}
