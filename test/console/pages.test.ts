// Overview, events and metrics pages: empty data, seeded data, filters, tenant scope, the overview stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAppByName } from '../../server/db/apps.ts';
import { alerts, metrics, systemMetrics } from '../../server/db/schema.ts';
import { createUser, issueToken } from '../../server/db/users.ts';
import { readStreamUntil, signedInConsole, type Client, type ConsoleHarness } from './harness.ts';

describe('console overview, events, metrics', () => {
  let h: ConsoleHarness;
  let c: Client;
  beforeAll(async () => {
    ({ h, c } = await signedInConsole());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('renders every page with empty data', async () => {
    const overview = await c.page('/');
    expect(overview.res.status).toBe(200);
    expect(overview.html).toContain('No open alerts');
    expect(overview.html).toContain('sse-connect="/events/stream/overview"');
    const m = await c.request('/metrics', { headers: { accept: 'text/html' } });
    expect(m.status).toBe(200);
    expect(await m.text()).toContain('no data in this window');
    const e = await c.page('/events');
    expect(e.res.status).toBe(200);
    expect(e.html).toContain('signed in to the console');
  });

  it('shows host gauges, open alerts and app metrics charts from seeded data', async () => {
    await c.post('/apps', { name: 'api' });
    const appId = (await getAppByName(h.t.db, 'api'))!.id;
    const now = Date.now();
    await h.t.db.insert(systemMetrics).values({
      tier: 'raw',
      at: new Date(now - 5000),
      cpuPct: 42.5,
      memUsedBytes: 2 ** 30,
      memTotalBytes: 4 * 2 ** 30,
      diskUsedBytes: 10 * 2 ** 30,
      diskTotalBytes: 100 * 2 ** 30,
      containersRunning: 3,
      containersCrashed: 0,
    });
    await h.t.db.insert(alerts).values({
      app: 'api',
      appId,
      service: 'web',
      kind: 'cpu',
      key: 'api/web/cpu',
      severity: 'warning',
      message: 'CPU above 90% for 5 minutes',
    });
    const rows = Array.from({ length: 30 }, (_, i) => new Date(now - (30 - i) * 60_000));
    await h.t.db.insert(metrics).values(
      rows.flatMap((at, i) => [
        { tier: '1m', at, app: 'api', appId, service: 'web', replica: 'r0', cpuPct: 10 + i, memBytes: 50e6 },
        {
          tier: '1m',
          at,
          app: 'api',
          appId,
          service: 'web',
          replica: '',
          requests: 100 + i,
          s5xx: i % 3,
          p95Ms: 20 + i,
        },
      ]),
    );
    const { html } = await c.page('/');
    expect(html).toMatch(/43%<\/div><div class="label">Host CPU/);
    expect(html).toContain('CPU above 90% for 5 minutes');
    const res = await c.request('/metrics?app=api&range=24h', { headers: { accept: 'text/html' } });
    const page = await res.text();
    expect(res.status).toBe(200);
    for (const id of ['cpu', 'memory', 'requests', '5xx', 'latency']) expect(page).toContain(`data-chart="${id}"`);
    expect(page.match(/<polyline/g)?.length).toBeGreaterThanOrEqual(5);
    const sys = await (await c.request('/metrics?range=7d', { headers: { accept: 'text/html' } })).text();
    expect(sys).toContain('data-chart="containers"');
  });

  it('filters events and refuses bad filters', async () => {
    const { html } = await c.page('/events?type=app.create');
    expect(html).toContain('app api created');
    expect(html).not.toContain('signed in to the console');
    expect((await c.request('/events?level=loud')).status).toBe(400);
  });

  it('scopes events, alerts and metrics to the user', async () => {
    const bob = await createUser(h.t.db, 'bob@example.com');
    const { token } = await issueToken(h.t.db, bob.id, 'bob');
    const b = h.client();
    await b.signIn('bob@example.com', token);
    const { html } = await b.page('/');
    expect(html).not.toContain('CPU above 90%');
    expect(html).not.toContain('Host CPU');
    expect((await b.page('/events')).html).not.toContain('app api created');
    expect((await b.request('/metrics?app=api', { headers: { accept: 'text/html' } })).status).toBe(404);
  });

  it('lets non-browser GET /metrics fall through (Prometheus shares the path)', async () => {
    const res = await c.request('/metrics', { headers: { accept: 'text/plain' } });
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
  });

  it('keeps the newest events page live over SSE, with the page filters', async () => {
    const page = await c.page('/events?type=app.create');
    expect(page.html).toContain('sse-connect="/events/stream/log?type=app.create"');
    expect((await c.page('/events?before=1')).html).not.toContain('sse-connect="/events/stream/log');
    const text = await readStreamUntil(await c.request('/events/stream/log?type=app.create'), 'event: events');
    expect(text).toContain('app.create');
    expect(text).not.toContain('login');
  });

  it('streams overview fragments over SSE', async () => {
    const text = await readStreamUntil(await c.request('/events/stream/overview'), 'event: releases');
    expect(text).toContain('event: stats');
    expect(text).toContain('event: apps');
  });
});
