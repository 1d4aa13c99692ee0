// Integration: real Postgres + real Docker (host network, 127.0.0.1 only). Two busybox httpd replicas of
// app "mon" are monitored; a fake proxy supplies request windows. Everything carries kyozo.test=<runId>.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAlertSettings } from '../../server/alerts/store.ts';
import {
  alerts,
  apps,
  metrics,
  releases,
  releaseServices,
  replicas,
  systemMetrics,
  users,
} from '../../server/db/schema.ts';
import { parseMetricsConfig } from '../../server/metrics/config.ts';
import { createMonitor, type Monitor } from '../../server/metrics/monitor.ts';
import { enforceRetention, rollup } from '../../server/metrics/rollup.ts';
import type { ServiceMetrics } from '../../server/proxy/metrics.ts';
import { createDockerPort } from '../../server/runtime/docker.ts';
import { allocatePort } from '../../server/runtime/ports.ts';
import { containerSpec } from '../../server/runtime/spec.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const runId = randomBytes(4).toString('hex');
const instance = `test-${runId}`;
const docker = createDockerPort(new Dockerode());
let tdb: TestDb;
let monitor: Monitor;
let appId = 0;
const hooks: { event: string; alert: { kind: string } }[] = [];
let hookServer: http.Server;
let windows: ServiceMetrics[] = [];

beforeAll(async () => {
  execFileSync('bash', [path.resolve('scripts/build-stand-ins.sh')], { stdio: 'pipe', timeout: 170_000 });
  tdb = await createTestDb();
  const { db } = tdb;
  const [u] = await db
    .insert(users)
    .values({ email: `mon-${runId}@x` })
    .returning();
  const [a] = await db.insert(apps).values({ name: 'mon', ownerId: u.id }).returning();
  appId = a.id;
  const [rel] = await db.insert(releases).values({ appId: a.id, version: 1, status: 'live' }).returning();
  await db.insert(releaseServices).values({
    releaseId: rel.id,
    name: 'web',
    type: 'web',
    image: 'kyozo/static-standin:1',
    memoryMb: 64,
    cpus: '0.5',
  });
  const used = new Set<number>();
  for (const i of [0, 1]) {
    const port = await allocatePort(used);
    used.add(port);
    const id = await docker.run(
      containerSpec({
        uid: a.uid,
        app: 'mon',
        release: 1,
        service: 'web',
        replica: i,
        image: 'kyozo/static-standin:1',
        env: {},
        port,
        network: { mode: 'host' },
        limits: { memoryMb: 64, cpus: 0.5 },
        cmd: ['busybox', 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www'],
        suffix: randomBytes(3).toString('hex'),
        labels: { 'kyozo.instance': instance, 'kyozo.test': runId },
      }),
    );
    await db.insert(replicas).values({
      releaseId: rel.id,
      service: 'web',
      index: i,
      containerId: id,
      host: '127.0.0.1',
      port,
      state: 'running',
    });
  }
  hookServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hooks.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  monitor = createMonitor({
    db,
    docker,
    instance,
    dataDir: tmpdir(),
    config: parseMetricsConfig({}),
    webhook: { baseDelayMs: 50 },
    log: () => {},
    proxy: {
      drainMetrics: async () => {
        const w = windows;
        windows = [];
        return w;
      },
    },
  });
});

afterAll(async () => {
  await monitor?.stop();
  hookServer?.close();
  for (const c of await docker.list({ 'kyozo.test': runId })) await docker.remove(c.id);
  await tdb?.drop();
});

const win = (requests: number, s5xx: number, lat: number[]): ServiceMetrics => ({
  app: 'mon',
  service: 'web',
  since: Date.now() - 10_000,
  requests,
  bytesIn: 100,
  bytesOut: 1000,
  latencySamples: lat,
  latencyMaxMs: Math.max(...lat),
  status: { '1xx': 0, '2xx': requests - s5xx, '3xx': 0, '4xx': 0, '5xx': s5xx },
});

describe('collection, rollup, retention', () => {
  it('writes raw replica rows (cpu, memory, pids) and service rows from the proxy window', async () => {
    const { db } = tdb;
    windows = [win(40, 2, [5, 10, 20, 40])];
    const t = Date.now();
    await monitor.runOnce(t);
    await new Promise((r) => setTimeout(r, 1000));
    await monitor.runOnce(t + 10_000);
    const rows = await db
      .select()
      .from(metrics)
      .where(and(eq(metrics.app, 'mon'), eq(metrics.tier, 'raw')));
    const reps = rows.filter((r) => r.replica !== '');
    expect(new Set(reps.map((r) => r.replica))).toEqual(new Set(['v1-0', 'v1-1']));
    expect(reps).toHaveLength(4);
    for (const r of reps) {
      expect(r.memBytes).toBeGreaterThan(0);
      expect(r.memLimitBytes).toBe(64 * 1024 * 1024);
      expect(r.pids).toBeGreaterThanOrEqual(1);
    }
    expect(reps.filter((r) => r.cpuPct !== null)).toHaveLength(2); // second sample of each replica
    expect(monitor.sampler.lastSources.missing).toBe(0);
    console.log('sample sources:', JSON.stringify(monitor.sampler.lastSources));
    const svc = rows.filter((r) => r.replica === '');
    expect(svc).toHaveLength(1);
    expect(svc[0]).toMatchObject({
      service: 'web',
      requests: 40,
      s2xx: 38,
      s5xx: 2,
      bytesIn: 100,
      p50Ms: 10,
      p95Ms: 40,
    });
    const [sys] = await db.select().from(systemMetrics).where(eq(systemMetrics.tier, 'raw')).limit(1);
    expect(sys.containersRunning).toBe(2);
    expect(sys.memTotalBytes).toBeGreaterThan(0);
    expect(sys.diskTotalBytes).toBeGreaterThan(0);
  });

  it('rolls up raw → 1m → 1h with averages, sums and weighted percentiles, once', async () => {
    const { db } = tdb;
    const t0 = new Date(Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000 + 5 * 60_000);
    await db.insert(metrics).values([
      {
        tier: 'raw',
        at: t0,
        app: 'calc',
        service: 'web',
        replica: 'v1-0',
        cpuPct: 10,
        memBytes: 100,
        pids: 2,
        restarts: 0,
      },
      {
        tier: 'raw',
        at: new Date(t0.getTime() + 10_000),
        app: 'calc',
        service: 'web',
        replica: 'v1-0',
        cpuPct: 30,
        memBytes: 300,
        pids: 5,
        restarts: 1,
      },
      {
        tier: 'raw',
        at: t0,
        app: 'calc',
        service: 'web',
        replica: '',
        requests: 10,
        s5xx: 1,
        p50Ms: 10,
        p95Ms: 100,
        p99Ms: 200,
      },
      {
        tier: 'raw',
        at: new Date(t0.getTime() + 20_000),
        app: 'calc',
        service: 'web',
        replica: '',
        requests: 30,
        s5xx: 0,
        p50Ms: 20,
        p95Ms: 200,
        p99Ms: 300,
      },
    ]);
    const now = new Date(Date.now() + 120_000);
    const first = await rollup(db, now, 0);
    expect(first['1m']).toBeGreaterThan(0);
    const m1 = await db
      .select()
      .from(metrics)
      .where(and(eq(metrics.app, 'calc'), eq(metrics.tier, '1m')));
    expect(m1.find((r) => r.replica === 'v1-0')).toMatchObject({
      at: t0,
      cpuPct: 20,
      memBytes: 200,
      pids: 5,
      restarts: 1,
    });
    expect(m1.find((r) => r.replica === '')).toMatchObject({
      at: t0,
      requests: 40,
      s5xx: 1,
      p50Ms: 17.5,
      p95Ms: 175,
      p99Ms: 300,
    });
    const mon1m = await db
      .select()
      .from(metrics)
      .where(and(eq(metrics.app, 'mon'), eq(metrics.tier, '1m')));
    expect(mon1m.filter((r) => r.replica !== '').length).toBeGreaterThanOrEqual(2);
    const h1 = await db
      .select()
      .from(metrics)
      .where(and(eq(metrics.app, 'calc'), eq(metrics.tier, '1h')));
    expect(h1.find((r) => r.replica === '')).toMatchObject({ requests: 40, at: new Date(t0.getTime() - 5 * 60_000) });
    expect(await rollup(db, now, 0)).toEqual({ '1m': 0, '1h': 0 }); // idempotent
    const sys1m = await db.select().from(systemMetrics).where(eq(systemMetrics.tier, '1m'));
    expect(sys1m.length).toBeGreaterThanOrEqual(1);
  });

  it('retention deletes rows older than the policy, per tier', async () => {
    const { db } = tdb;
    const ago = (d: number) => new Date(Date.now() - d * 86_400_000);
    const old = (tier: string, days: number) => ({
      tier,
      at: ago(days),
      app: 'old',
      service: 'web',
      replica: 'v1-0',
      cpuPct: 1,
    });
    await db.insert(metrics).values([old('raw', 40), old('1m', 40), old('1h', 40), old('raw', 8), old('1m', 8)]);
    await db.insert(systemMetrics).values([
      { tier: 'raw', at: ago(40) },
      { tier: '1h', at: ago(40) },
    ]);
    const n = await enforceRetention(db, { retentionDays: 30, rawRetentionDays: 7 });
    expect(n).toBe(6);
    const left = await db.select().from(metrics).where(eq(metrics.app, 'old'));
    expect(left.map((r) => r.tier)).toEqual(['1m']); // the 8-day-old 1m row stays
    expect((await db.select().from(metrics).where(eq(metrics.app, 'calc'))).length).toBeGreaterThan(0);
  });
});

describe('alerts on real samples', () => {
  it('a tiny memory threshold opens exactly one alert across cycles, raising it resolves; the webhook gets both', async () => {
    const { db } = tdb;
    const url = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    await saveAlertSettings(db, appId, { alerts: { memoryPct: 0.0001 }, webhookUrl: url });
    await monitor.runOnce();
    await monitor.runOnce();
    const open = await db.select().from(alerts).where(eq(alerts.kind, 'memory'));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      app: 'mon',
      service: 'web',
      key: 'memory:mon:web',
      resolvedAt: null,
      threshold: 0.0001,
    });
    await saveAlertSettings(db, appId, { alerts: { memoryPct: 100 } });
    await monitor.runOnce();
    const after = await db.select().from(alerts).where(eq(alerts.kind, 'memory'));
    expect(after).toHaveLength(1);
    expect(after[0].resolvedAt).not.toBeNull();
    for (let i = 0; i < 100 && hooks.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hooks.filter((h) => h.alert.kind === 'memory').map((h) => h.event)).toEqual([
      'alert.opened',
      'alert.resolved',
    ]);
    const [notified] = await db.select().from(alerts).where(eq(alerts.kind, 'memory'));
    expect(notified.notifiedAt).not.toBeNull();
  });

  it('a failed latest release opens deploy-failed; a later live release resolves it', async () => {
    const { db } = tdb;
    await db.insert(releases).values({ appId, version: 2, status: 'failed', error: 'build failed: exit 1' });
    await monitor.runOnce();
    const [a] = await db.select().from(alerts).where(eq(alerts.kind, 'deploy-failed'));
    expect(a).toMatchObject({ app: 'mon', resolvedAt: null, severity: 'critical' });
    expect(a.message).toContain('release v2 failed: build failed');
    await db.insert(releases).values({ appId, version: 3, status: 'live' });
    await monitor.runOnce();
    const [b] = await db.select().from(alerts).where(eq(alerts.kind, 'deploy-failed'));
    expect(b.resolvedAt).not.toBeNull();
  });
});
