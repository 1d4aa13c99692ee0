// Audit events on real Postgres: ops functions record who/what/where; config values never reach an event;
// GET /api/events filters, validates and scopes by tenant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { listEvents, purgeEvents, recordEvent } from '../../server/db/events.ts';
import { promoteRelease } from '../../server/db/releases.ts';
import { createUser, issueToken } from '../../server/db/users.ts';
import { requireToken } from '../../server/http/auth.ts';
import type { HttpEnv } from '../../server/http/env.ts';
import { eventsRouter } from '../../server/http/events.ts';
import { BadRequest } from '../../server/http/json.ts';
import { createAppOp, deleteAppOp } from '../../server/ops/apps.ts';
import type { OpsDeps } from '../../server/ops/deps.ts';
import { changeConfig, releasePush, rollback } from '../../server/ops/releases.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';
import type { RouteSync } from '../../server/runtime/routeSync.ts';
import { LogBus } from '../../server/logs/releaseLog.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const SECRET = 'sk_live_very-secret-value-42';

describe('audit events', () => {
  let t: TestDb;
  let deps: OpsDeps;
  let reposDir: string;
  const users = { admin: { id: 0, token: '' }, alice: { id: 0, token: '' }, bob: { id: 0, token: '' } };
  let http: Hono<HttpEnv>;

  beforeAll(async () => {
    t = await createTestDb();
    reposDir = mkdtempSync(join(tmpdir(), 'kyozo-events-'));
    const routes = {
      syncApp: async () => {},
      removeApp: async () => {},
      waitIdle: async () => {},
    } as unknown as RouteSync;
    deps = {
      database: t,
      docker: createFakeDockerPort(),
      config: parseConfig({ KYOZO_NETWORK: 'host' }, '/tmp'),
      jobs: { enqueueDeploy: async () => {} },
      bus: new LogBus(),
      routes,
      reposDir,
      instance: 'events-test',
    };
    for (const [name, admin] of [
      ['admin', true],
      ['alice', false],
      ['bob', false],
    ] as const) {
      const u = await createUser(t.db, `${name}@example.com`, admin);
      users[name] = { id: u.id, token: (await issueToken(t.db, u.id, 't')).token };
    }
    http = new Hono<HttpEnv>();
    http.use('*', requireToken(t.db));
    http.route('/api/events', eventsRouter(deps));
    http.onError((e, c) =>
      e instanceof BadRequest ? c.json({ error: e.message }, 400) : c.json({ error: String(e) }, 500),
    );
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(reposDir, { recursive: true, force: true });
  });

  const get = async (who: keyof typeof users, qs = '') => {
    const res = await http.request(`/api/events${qs}`, { headers: { authorization: `Bearer ${users[who].token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('ops record app.create, release.create, config.set (keys only), rollback, app.delete with actor and ip', async () => {
    const audit = { actor: { userId: users.alice.id, email: 'alice@example.com' }, ip: '203.0.113.7' };
    const app = await createAppOp(deps, users.alice.id, 'shop', audit);
    const v1 = await releasePush(deps, app, 'c'.repeat(40), users.alice.id, audit);
    await promoteRelease(t.db, app.id, v1.id);
    const { config } = await changeConfig(deps, app, { STRIPE_KEY: SECRET, OLD: null }, users.alice.id, audit);
    expect(config.STRIPE_KEY).toBe(SECRET);
    await rollback(deps, { ...app, config }, 1, users.alice.id, audit);
    const other = await createAppOp(deps, users.bob.id, 'blog'); // no audit context: actor id only
    await deleteAppOp(deps, other, { actor: { userId: users.bob.id, email: 'bob@example.com' }, ip: '198.51.100.2' });

    const all = await listEvents(t.db, {});
    expect(all.map((e) => e.type).reverse()).toEqual([
      'app.create',
      'release.create',
      'config.set',
      'rollback',
      'app.create',
      'app.delete',
    ]);
    const cfg = all.find((e) => e.type === 'config.set')!;
    expect(cfg).toMatchObject({
      app: 'shop',
      actorId: users.alice.id,
      actorEmail: 'alice@example.com',
      ip: '203.0.113.7',
      data: { set: ['STRIPE_KEY'], unset: ['OLD'], version: 2 },
    });
    expect(all.find((e) => e.type === 'app.create' && e.app === 'blog')).toMatchObject({
      actorId: users.bob.id,
      actorEmail: null,
    });
    expect(all.find((e) => e.type === 'rollback')).toMatchObject({ data: { to: 1, version: 3 } });
    expect(JSON.stringify(all)).not.toContain(SECRET);
    expect(JSON.stringify(all)).not.toContain('very-secret');
  });

  it('GET /api/events: admins see all; owners see the apps they own now and their own account events', async () => {
    await recordEvent(t.db, { type: 'login', message: 'admin signed in', actor: { userId: users.admin.id } });
    const admin = await get('admin');
    expect(admin.status).toBe(200);
    expect(admin.body.events.length).toBe(7);
    const alice = await get('alice');
    expect(new Set(alice.body.events.map((e: any) => e.app))).toEqual(new Set(['shop']));
    // blog is gone: its events are the admins' now, even though bob did it (a new "blog" must start empty).
    expect((await get('bob')).body.events).toEqual([]);
    expect(admin.body.events.filter((e: any) => e.app === 'blog').map((e: any) => [e.type, e.deleted])).toEqual([
      ['app.delete', true],
      ['app.create', true],
    ]);
    expect(admin.body.events.filter((e: any) => e.app === 'shop').every((e: any) => e.deleted === false)).toBe(true);
  });

  it('filters: app, type, level, since, before, limit; 400 names the parameter', async () => {
    expect((await get('admin', '?app=shop&type=config.set')).body.events).toHaveLength(1);
    expect((await get('admin', '?level=warning')).body.events.map((e: any) => e.type)).toEqual(['app.delete']);
    expect((await get('admin', '?since=1h')).body.events).toHaveLength(7);
    expect((await get('admin', `?since=${new Date(Date.now() + 60_000).toISOString()}`)).body.events).toHaveLength(0);
    const page = await get('admin', '?limit=3');
    expect(page.body.events).toHaveLength(3);
    const next = await get('admin', `?limit=3&before=${page.body.nextBefore}`);
    expect(next.body.events[0].id).toBeLessThan(page.body.events[2].id);
    for (const [qs, param] of [
      ['?level=fatal', 'level'],
      ['?since=yesterday', 'since'],
      ['?limit=0', 'limit'],
      ['?before=x', 'before'],
      ['?app=%20bad', 'app'],
    ]) {
      const r = await get('admin', qs);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(new RegExp(`^${param}`));
    }
    expect((await http.request('/api/events')).status).toBe(401);
  });

  it('purgeEvents removes events older than the cutoff', async () => {
    await t.sql`update events set at = now() - interval '100 days' where type = 'login'`;
    expect(await purgeEvents(t.db, new Date(Date.now() - 90 * 86_400_000))).toBe(1);
    expect(await listEvents(t.db, { type: 'login' })).toHaveLength(0);
  });
});
