// Name reuse is a new app (real Postgres, the full API and console on the fake Docker port): alice's app
// "reuse" gets events, app logs, metrics and alerts through the real writers (ops, the log collector, the
// metrics collector, the alert engine); she deletes it; bob creates "reuse". Bob's API and console show his
// app.create and nothing of alice's (not her e-mail, logs, metrics or alerts); an admin still sees her audit
// events, marked deleted; alice herself, not an admin, no longer does.
import { tmpdir } from 'node:os';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../server/alerts/engine.ts';
import { getAppByName, type App } from '../../server/db/apps.ts';
import { createRelease, promoteRelease, saveReleaseServices } from '../../server/db/releases.ts';
import { addReplica } from '../../server/db/replicas.ts';
import { alerts, appLogs, metrics } from '../../server/db/schema.ts';
import { createUser, issueToken } from '../../server/db/users.ts';
import { startAppLogCollector } from '../../server/logs/appLogs.ts';
import { collectOnce, type CollectDeps } from '../../server/metrics/collect.ts';
import { ContainerSampler } from '../../server/metrics/sampler.ts';
import { HostSampler } from '../../server/metrics/system.ts';
import type { ServiceMetrics } from '../../server/proxy/metrics.ts';
import type { FakeDockerPort } from '../../server/runtime/fake.ts';
import { ADMIN_TOKEN, consoleHarness, type Client, type ConsoleHarness } from '../console/harness.ts';

describe('a re-created app name is a new app', () => {
  let h: ConsoleHarness;
  let fake: FakeDockerPort;
  const tokens = { admin: ADMIN_TOKEN, alice: '', bob: '' };
  let old: App;
  let windows: ServiceMetrics[] = [];
  /** Container creation times (the fake lists every container as created at 0, "unknown"). */
  const created = new Map<string, number>();
  let collect: () => Promise<void>;

  beforeAll(async () => {
    h = await consoleHarness();
    fake = h.deps.docker;
    for (const who of ['alice', 'bob'] as const) {
      const u = await createUser(h.t.db, `${who}@example.com`);
      tokens[who] = (await issueToken(h.t.db, u.id, 't')).token;
    }
    const deps: CollectDeps = {
      db: h.t.db,
      docker: {
        list: async (labels) =>
          (await fake.list(labels)).map((c) => ({ ...c, created: created.get(c.id) ?? c.created })),
        stats: (id, o) => fake.stats(id, o),
      },
      proxy: {
        drainMetrics: async () => {
          const w = windows;
          windows = [];
          return w;
        },
      },
      instance: h.deps.instance,
    };
    const sampler = new ContainerSampler(deps.docker, { cgroupRoot: '' });
    const host = new HostSampler(tmpdir());
    const engine = new AlertEngine({ db: h.t.db, webhooks: { enqueue: () => {} } });
    collect = async () => {
      await engine.evaluate(await collectOnce(deps, sampler, host, { intervalMs: 10_000 }));
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  const api = async (who: keyof typeof tokens, path: string, init: RequestInit & { json?: unknown } = {}) => {
    const res = await h.app.request(`http://localhost${path}`, {
      ...init,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: init.json === undefined ? init.body : JSON.stringify(init.json),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
    };
  };

  /** A replica container of `app` on the fake port, labelled the way Kyozo labels them. */
  const runContainer = async (appLabel: string, at = Date.now() - 1_800_000) => {
    if (!fake.images.has('sha256:web'))
      fake.images.set('sha256:web', {
        id: 'sha256:web',
        tags: ['kyozo/reuse-web:v1'],
        labels: {},
        created: 0,
        size: 1,
      });
    const id = await fake.run({
      name: `kyozo-reuse-web-${created.size}`,
      Image: 'kyozo/reuse-web:v1',
      Labels: {
        'kyozo.app': appLabel,
        'kyozo.service': 'web',
        'kyozo.release': '1',
        'kyozo.replica': '0',
        'kyozo.instance': h.deps.instance,
      },
    });
    created.set(id, Math.floor(at / 1000));
    return id;
  };

  it("alice's app gets events, logs, metrics and alerts, all under its id", async () => {
    expect((await api('alice', '/api/apps', { method: 'POST', json: { name: 'reuse' } })).status).toBe(201);
    // Created an hour ago; its containers have run for half an hour.
    await h.t.sql`update apps set created_at = now() - interval '1 hour' where name = 'reuse'`;
    old = (await getAppByName(h.t.db, 'reuse'))!;
    await api('alice', '/api/apps/reuse/config', { method: 'PATCH', json: { GREETING: 'hi' } });
    const settings = await api('alice', '/api/apps/reuse/alerts', {
      method: 'PATCH',
      json: { thresholds: { memoryPct: 0.0001 } },
    });
    expect(settings.status).toBe(200);
    // A live release with one replica (a container labelled with the app's uid, with a replica row), plus a
    // container of the same app labelled with its name, the way containers were labelled before uids.
    const rel = await createRelease(h.t.db, { appId: old.id, kind: 'push', commit: 'a'.repeat(40), config: {} });
    await saveReleaseServices(h.t.db, rel.id, [
      { name: 'web', type: 'web', image: 'kyozo/reuse-web:v1', memoryMb: 64, cpus: '0.5' },
    ]);
    await promoteRelease(h.t.db, old.id, rel.id);
    const replica = await runContainer(old.uid);
    await addReplica(h.t.db, {
      releaseId: rel.id,
      service: 'web',
      index: 0,
      containerId: replica,
      host: '127.0.0.1',
      port: 1,
      state: 'running',
    });
    await runContainer('reuse'); // no replica row: found by its name label
    fake.containers.get(replica)!.logs.push('alice says hello', 'alice@example.com logged in');
    const logs = startAppLogCollector({ db: h.t.db, docker: fake, pollMs: 3_600_000 });
    await logs.stop(); // after its first poll (stop waits for the run in progress)
    await logs.pollOnce();
    windows = [
      {
        app: 'reuse',
        service: 'web',
        since: Date.now() - 10_000,
        requests: 40,
        status: { '1xx': 0, '2xx': 10, '3xx': 0, '4xx': 0, '5xx': 30 },
        bytesIn: 1,
        bytesOut: 2,
        latencySamples: [5, 10],
        latencyMaxMs: 10,
      },
    ];
    await collect();

    const db = h.t.db;
    const mine = await db.select().from(metrics).where(eq(metrics.appId, old.id));
    expect(mine.filter((m) => m.replica !== '')).toHaveLength(2); // both containers, each by its own route
    expect(mine.filter((m) => m.replica === '')).toHaveLength(1);
    expect(await db.select().from(appLogs).where(eq(appLogs.appId, old.id))).toHaveLength(2);
    const open = await db.select().from(alerts).where(eq(alerts.appId, old.id));
    expect(open.map((a) => a.kind).sort()).toEqual(['error-rate', 'memory']);

    const events = (await api('alice', '/api/events?app=reuse')).json.events;
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual([
      'alert.open',
      'alert.open',
      'alerts.settings',
      'app.create',
      'config.set',
    ]);
    expect(events.every((e: { appId: number }) => e.appId === old.id)).toBe(true);
    expect((await api('alice', '/api/apps/reuse/logs')).text).toContain('alice says hello');
    expect((await api('alice', '/api/apps/reuse/metrics?since=1h')).json.replicas).toHaveLength(1);
    expect((await api('alice', '/api/alerts')).json).toHaveLength(2);
  });

  it('deleting it deletes its metrics, logs and open alerts; its audit events stay', async () => {
    expect([200, 204]).toContain((await api('alice', '/api/apps/reuse', { method: 'DELETE' })).status);
    const db = h.t.db;
    expect(await db.select().from(metrics).where(eq(metrics.appId, old.id))).toEqual([]);
    expect(await db.select().from(appLogs).where(eq(appLogs.appId, old.id))).toEqual([]);
    expect(await db.select().from(alerts).where(eq(alerts.appId, old.id))).toEqual([]);
    const kept = (await api('admin', '/api/events?app=reuse')).json.events;
    expect(kept.map((e: { type: string }) => e.type)).toContain('app.delete');
  });

  it("bob's new reuse starts empty: API", async () => {
    expect((await api('bob', '/api/apps', { method: 'POST', json: { name: 'reuse' } })).status).toBe(201);
    const fresh = (await getAppByName(h.t.db, 'reuse'))!;
    expect(fresh.id).not.toBe(old.id);
    // Alice's containers outlived the delete (labelled as the fake's delete does not find them, or Docker
    // was down): a collection cycle gives bob's app none of their samples.
    await runContainer(old.uid);
    await runContainer('reuse');
    await collect();
    const logs = startAppLogCollector({ db: h.t.db, docker: fake, pollMs: 3_600_000 });
    await logs.stop(); // after its first poll (stop waits for the run in progress)
    await logs.pollOnce();

    const events = await api('bob', '/api/events');
    expect(events.json.events.map((e: { type: string; app: string }) => [e.type, e.app])).toEqual([
      ['app.create', 'reuse'],
    ]);
    expect(events.text).not.toContain('alice@example.com');
    expect((await api('bob', '/api/events?app=reuse')).json.events).toHaveLength(1);
    expect((await api('bob', '/api/apps/reuse/logs?tail=1000')).text).toBe('');
    const m = (await api('bob', '/api/apps/reuse/metrics?since=1h')).json;
    expect([m.replicas, m.services]).toEqual([[], []]);
    expect((await api('bob', '/api/alerts?state=all')).json).toEqual([]);
    expect((await api('bob', '/api/alerts?app=reuse&state=all')).json).toEqual([]);
    expect((await api('bob', '/api/apps/reuse/alerts')).json).toMatchObject({ open: [], overrides: {} });
    expect(await h.t.db.select().from(metrics).where(eq(metrics.appId, fresh.id))).toEqual([]);
  });

  it("bob's new reuse starts empty: console", async () => {
    const b: Client = h.client();
    await b.signIn('bob@example.com', tokens.bob);
    const events = (await b.page('/events')).html;
    expect(events).toContain('app reuse created');
    expect(events).not.toContain('alice@example.com');
    expect(events).not.toContain('config: set GREETING');
    expect((await b.page('/events?app=reuse')).html).not.toContain('alert.open');
    const metricsPage = await b.request('/metrics?app=reuse', { headers: { accept: 'text/html' } });
    expect(metricsPage.status).toBe(200);
    expect(await metricsPage.text()).toContain('no data in this window');
    const overview = (await b.page('/')).html;
    expect(overview).toContain('No open alerts');
    expect((await b.page('/apps/reuse')).res.status).toBe(200);
  });

  it('an admin still sees the deleted app’s audit events (marked deleted); a non-admin does not', async () => {
    const admin = (await api('admin', '/api/events?app=reuse')).json.events as {
      type: string;
      actorEmail: string | null;
      deleted: boolean;
      appId: number;
    }[];
    const gone = admin.filter((e) => e.appId === old.id);
    expect(gone.map((e) => e.type)).toEqual([
      'app.delete',
      'alert.open',
      'alert.open',
      'alerts.settings',
      'config.set',
      'app.create',
    ]);
    expect(gone.every((e) => e.deleted)).toBe(true);
    expect(gone.find((e) => e.type === 'app.create')!.actorEmail).toBe('alice@example.com');
    expect(admin.filter((e) => !e.deleted).map((e) => e.type)).toEqual(['app.create']);
    const c = h.client();
    await c.signIn();
    const page = (await c.page('/events?app=reuse')).html;
    expect(page).toContain('alice@example.com');
    expect(page).toContain('(deleted)');

    // Alice owns no app now: of her history she sees her account events only.
    expect((await api('alice', '/api/events')).json.events).toEqual([]);
    expect((await api('alice', '/api/tokens', { method: 'POST', json: { name: 'ci' } })).status).toBe(201);
    expect((await api('alice', '/api/events')).json.events.map((e: { type: string }) => e.type)).toEqual([
      'token.create',
    ]);
    const a = h.client();
    await a.signIn('alice@example.com', tokens.alice);
    const mine = (await a.page('/events')).html;
    expect(mine).not.toContain('app reuse created');
    expect(mine).not.toContain('(deleted)');
  });
});
