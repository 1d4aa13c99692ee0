// The metrics/alerts routers on a real database, mounted the way server/http/app.ts mounts them.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsRouter } from '../../server/http/alerts.ts';
import { requireToken } from '../../server/http/auth.ts';
import type { HttpEnv } from '../../server/http/env.ts';
import { metricsRouter, prometheusHandler, requestMetrics, systemRouter } from '../../server/http/metrics.ts';
import { alerts, apps, metrics, releases, systemMetrics } from '../../server/db/schema.ts';
import { createUser, issueToken } from '../../server/db/users.ts';
import { Registry } from '../../server/metrics/prometheus.ts';
import { parseRangeQuery } from '../../server/metrics/params.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

let tdb: TestDb;
let api: Hono;
const tokens = { admin: '', bob: '' };
const registry = new Registry();

beforeAll(async () => {
  tdb = await createTestDb();
  const { db } = tdb;
  const admin = await createUser(db, 'admin@localhost', true);
  const bob = await createUser(db, 'bob@x');
  tokens.admin = (await issueToken(db, admin.id, 't')).token;
  tokens.bob = (await issueToken(db, bob.id, 't')).token;
  const [a] = await db.insert(apps).values({ name: 'shop', ownerId: admin.id }).returning();
  const [b] = await db.insert(apps).values({ name: 'bobs', ownerId: bob.id }).returning();
  await db.insert(releases).values({
    appId: a.id,
    version: 1,
    status: 'live',
    startedAt: new Date(Date.now() - 30_000),
    finishedAt: new Date(),
  });
  const at = new Date(Date.now() - 60_000);
  await db.insert(metrics).values([
    {
      tier: 'raw',
      at,
      app: 'shop',
      appId: a.id,
      service: 'web',
      replica: 'v1-0',
      cpuPct: 3,
      memBytes: 1000,
      memLimitBytes: 2000,
      pids: 2,
      restarts: 0,
    },
    { tier: 'raw', at, app: 'shop', appId: a.id, service: 'web', replica: '', requests: 5, s2xx: 5, p95Ms: 12 },
    { tier: 'raw', at, app: 'shop', appId: a.id, service: 'worker', replica: 'v1-0', cpuPct: 1, memBytes: 10, pids: 1 },
  ]);
  await db.insert(systemMetrics).values({
    tier: 'raw',
    at,
    cpuPct: 12,
    memUsedBytes: 1,
    memTotalBytes: 2,
    containersRunning: 3,
    containersCrashed: 0,
  });
  await db.insert(alerts).values([
    { app: 'shop', appId: a.id, service: 'web', kind: 'cpu', key: 'cpu:shop:web', message: 'hot' },
    { app: 'bobs', appId: b.id, service: 'web', kind: 'memory', key: 'memory:bobs:web', message: 'full' },
    { app: null, kind: 'disk', key: 'disk::', message: 'disk' },
  ]);
  const deps = { db, metricsConfig: { rawRetentionDays: 7, prometheusPublic: false }, registry };
  const app = new Hono<HttpEnv>();
  app.use('*', requestMetrics(registry));
  app.get('/metrics', prometheusHandler(deps));
  const r = new Hono<HttpEnv>();
  r.use('*', requireToken(db));
  r.route('/', metricsRouter(deps));
  r.route('/', systemRouter(deps));
  r.route('/', alertsRouter({ db }));
  app.route('/api', r);
  api = app as unknown as Hono;
});
afterAll(() => tdb?.drop());

const call = async (path: string, who: keyof typeof tokens = 'admin', init: RequestInit = {}) => {
  const res = await api.request(path, {
    ...init,
    headers: { authorization: `Bearer ${tokens[who]}`, ...(init.headers ?? {}) },
  });
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text(),
  };
};

describe('query params', () => {
  it('parses durations, ISO and epoch; rejects bad values naming the param', () => {
    const now = new Date('2025-01-01T12:00:00Z');
    expect(parseRangeQuery({ since: '2h' }, now)).toMatchObject({
      since: new Date('2025-01-01T10:00:00Z'),
      until: now,
      step: 'raw',
    });
    expect(parseRangeQuery({ since: '2d' }, now).step).toBe('1m');
    expect(parseRangeQuery({ since: '30d' }, now).step).toBe('1h');
    expect(parseRangeQuery({ since: '2024-12-31T12:00:00Z', until: String(now.getTime()), step: '1m' }, now).step).toBe(
      '1m',
    );
    expect(() => parseRangeQuery({ since: 'yesterday' }, now)).toThrow(/since must be/);
    expect(() => parseRangeQuery({ since: '1h', until: '2h' }, now)).toThrow(/since must be before until/);
    expect(() => parseRangeQuery({ step: '5m' }, now)).toThrow(/step must be one of/);
    expect(() => parseRangeQuery({ since: '30d', step: 'raw' }, now)).toThrow(/more than 5000 points/);
  });
});

describe('GET /api/apps/:name/metrics and /api/system/metrics', () => {
  it('returns replica and service series; service filter; bad since → 400 naming the param', async () => {
    const r = await call('/api/apps/shop/metrics?since=1h');
    expect(r.status).toBe(200);
    expect(r.body.step).toBe('raw');
    expect(r.body.replicas.map((x: { service: string }) => x.service).sort()).toEqual(['web', 'worker']);
    expect(r.body.replicas.find((x: { service: string }) => x.service === 'web').points[0]).toMatchObject({
      cpuPct: 3,
      memBytes: 1000,
      pids: 2,
    });
    expect(r.body.services[0]).toMatchObject({ service: 'web', points: [{ requests: 5, p95Ms: 12 }] });
    expect((await call('/api/apps/shop/metrics?service=worker')).body.replicas).toHaveLength(1);
    const bad = await call('/api/apps/shop/metrics?since=soon');
    expect(bad).toMatchObject({ status: 400, body: { param: 'since' } });
    expect(bad.body.error).toMatch(/^since must be/);
  });

  it('apps of other users are 404; system metrics are admin-only', async () => {
    expect((await call('/api/apps/shop/metrics', 'bob')).status).toBe(404);
    expect((await call('/api/system/metrics', 'bob')).status).toBe(403);
    const s = await call('/api/system/metrics?since=1h');
    expect(s.status).toBe(200);
    expect(s.body.latest).toMatchObject({ cpuPct: 12, containersRunning: 3 });
    expect(s.body.points).toHaveLength(1);
    expect((await call('/api/system/metrics?step=2m')).body.param).toBe('step');
  });
});

describe('alerts API', () => {
  it('lists open alerts; non-admins see only their apps', async () => {
    expect((await call('/api/alerts')).body.map((a: { key?: string; kind: string }) => a.kind).sort()).toEqual([
      'cpu',
      'disk',
      'memory',
    ]);
    expect((await call('/api/alerts', 'bob')).body.map((a: { app: string }) => a.app)).toEqual(['bobs']);
    expect((await call('/api/alerts?state=bogus')).status).toBe(400);
  });

  it('PATCH /api/apps/:name/alerts validates and merges thresholds and the webhook', async () => {
    const patch = (body: unknown, who: keyof typeof tokens = 'admin') =>
      call('/api/apps/shop/alerts', who, { method: 'PATCH', body: JSON.stringify(body) });
    expect((await patch({ thresholds: { cpuPct: 50 }, webhookUrl: 'http://127.0.0.1:9/h' })).body).toMatchObject({
      thresholds: { cpuPct: 50, memoryPct: 90 },
      webhookUrl: 'http://127.0.0.1:9/h',
    });
    expect((await patch({ thresholds: { p95Ms: 300 } })).body.overrides).toEqual({ cpuPct: 50, p95Ms: 300 });
    expect((await patch({ thresholds: { cpu: 1 } })).status).toBe(400);
    expect((await patch({ webhookUrl: 'ftp://x' })).status).toBe(400);
    expect((await patch({ thresholds: { cpuPct: 1 } }, 'bob')).status).toBe(404);
    const got = await call('/api/apps/shop/alerts');
    expect(got.body).toMatchObject({
      overrides: { cpuPct: 50, p95Ms: 300 },
      webhookUrl: 'http://127.0.0.1:9/h',
      open: [{ kind: 'cpu' }],
    });
  });
});

describe('GET /metrics (Prometheus)', () => {
  it('needs an admin token and renders registry and database families', async () => {
    expect((await api.request('/metrics')).status).toBe(401);
    expect((await call('/metrics', 'bob')).status).toBe(403);
    const r = await call('/metrics');
    expect(r.status).toBe(200);
    expect(r.body).toContain('# TYPE kyozo_http_requests_total counter');
    expect(r.body).toMatch(/kyozo_http_requests_total\{method="GET",code="200"\} \d+/);
    expect(r.body).toContain('kyozo_releases{status="live"} 1');
    expect(r.body).toContain('kyozo_deploy_duration_seconds_bucket{outcome="live",le="60"} 1');
    expect(r.body).toContain('kyozo_deploy_duration_seconds_count{outcome="live"} 1');
    expect(r.body).toContain('kyozo_alerts_open{kind="cpu",severity="warning"} 1');
  });
});
