// App log collector with the real engine: a replica printing lines → app_logs (masked, bounded) →
// GET /api/apps/:name/logs (tail, service filter, follow streams new lines).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Dockerode from 'dockerode';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, setAppConfig } from '../../server/db/apps.ts';
import { readAppLogs } from '../../server/db/appLogs.ts';
import { createRelease, promoteRelease } from '../../server/db/releases.ts';
import { addReplica } from '../../server/db/replicas.ts';
import { createUser, issueToken } from '../../server/db/users.ts';
import { appLogsRouter } from '../../server/http/appLogs.ts';
import { requireToken } from '../../server/http/auth.ts';
import type { HttpEnv } from '../../server/http/env.ts';
import { BadRequest } from '../../server/http/json.ts';
import { startAppLogCollector } from '../../server/logs/appLogs.ts';
import { createDockerPort } from '../../server/runtime/docker.ts';
import { containerSpec } from '../../server/runtime/spec.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const runId = randomBytes(4).toString('hex');
const SECRET = `pw-${runId}-hunter2`;
const docker = createDockerPort(new Dockerode({ socketPath: '/var/run/docker.sock' }));

describe('app log collector (real Docker)', () => {
  let t: TestDb;
  let token = '';
  let other = '';
  let containerId = '';
  let appId = 0;
  let collector: ReturnType<typeof startAppLogCollector>;
  const http = new Hono<HttpEnv>();

  beforeAll(async () => {
    execFileSync('bash', [path.resolve('scripts/build-stand-ins.sh')], { stdio: 'pipe', timeout: 170_000 });
    t = await createTestDb();
    const u = await createUser(t.db, 'owner@example.com');
    token = (await issueToken(t.db, u.id, 't')).token;
    other = (await issueToken(t.db, (await createUser(t.db, 'other@example.com')).id, 't')).token;
    const app = (await createApp(t.db, 'ticker', u.id))!;
    appId = app.id;
    await setAppConfig(t.db, app.id, { DB_PASSWORD: SECRET });
    const rel = await createRelease(t.db, {
      appId: app.id,
      kind: 'push',
      commit: 'f'.repeat(40),
      config: { DB_PASSWORD: SECRET },
    });
    await promoteRelease(t.db, app.id, rel.id);
    containerId = await docker.run(
      containerSpec({
        uid: app.uid,
        app: 'ticker',
        release: 1,
        service: 'worker',
        replica: 1,
        image: 'kyozo/static-standin:1',
        env: {},
        port: 1,
        network: { mode: 'host' },
        limits: { memoryMb: 32, cpus: 0.5 },
        suffix: runId,
        labels: { 'kyozo.instance': `test-${runId}`, 'kyozo.test': runId },
        cmd: [
          '/bin/busybox',
          'sh',
          '-c',
          `i=0; while true; do i=$((i+1)); echo "tick $i password=${SECRET}"; echo "warn $i" >&2; sleep 0.2; done`,
        ],
      }),
    );
    await addReplica(t.db, {
      releaseId: rel.id,
      service: 'worker',
      index: 1,
      containerId,
      host: '127.0.0.1',
      port: 1,
      state: 'running',
    });
    collector = startAppLogCollector({ db: t.db, docker, pollMs: 300, keepPerApp: 50 });
    http.use('*', requireToken(t.db));
    http.route('/api/apps/:name/logs', appLogsRouter({ database: t }, { followPollMs: 100 }));
    http.onError((e, c) =>
      e instanceof BadRequest ? c.json({ error: e.message }, 400) : c.json({ error: String(e) }, 500),
    );
  });
  afterAll(async () => {
    await collector?.stop();
    if (containerId) await docker.stopAndRemove(containerId, 1).catch(() => {});
    await t?.drop();
  });

  const waitFor = async <T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  it('stores stdout and stderr lines, masked, bounded per app, without duplicates', async () => {
    const rows = await waitFor(async () => {
      const r = await readAppLogs(t.db, { appId, tail: 100 });
      return r.some((l) => l.stream === 'stderr') && r.filter((l) => l.stream === 'stdout').length >= 5 && r;
    });
    const ticks = rows.filter((r) => r.stream === 'stdout');
    expect(ticks[0]).toMatchObject({ app: 'ticker', service: 'worker', replica: '1' });
    expect(ticks.every((r) => r.line.endsWith('password=****'))).toBe(true);
    const n = ticks.map((r) => Number(/tick (\d+)/.exec(r.line)![1]));
    expect(new Set(n).size).toBe(n.length); // no line stored twice across polls
    await waitFor(async () => (await t.sql`select count(*)::int as c from app_logs where app = 'ticker'`)[0].c >= 50);
    await collector.pollOnce();
    expect((await t.sql`select count(*)::int as c from app_logs where app = 'ticker'`)[0].c).toBeLessThanOrEqual(
      50 + 30,
    );
    expect(JSON.stringify(await readAppLogs(t.db, { appId, tail: 1000 }))).not.toContain(SECRET);
  });

  it('GET /api/apps/:name/logs: text lines, service filter, tenant, 400s', async () => {
    const res = await http.request('/api/apps/ticker/logs?tail=5', { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z worker#1 (tick \d+ password=\*\*\*\*|warn \d+)$/);
    expect(
      await (
        await http.request('/api/apps/ticker/logs?service=web', { headers: { authorization: `Bearer ${token}` } })
      ).text(),
    ).toBe('');
    expect(
      (await http.request('/api/apps/ticker/logs', { headers: { authorization: `Bearer ${other}` } })).status,
    ).toBe(404);
    const bad = await http.request('/api/apps/ticker/logs?tail=-1', { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^tail/);
  });

  it('follow=1 streams lines that arrive after the request', async () => {
    const res = await http.request('/api/apps/ticker/logs?follow=1&tail=0', {
      headers: { authorization: `Bearer ${token}` },
    });
    const reader = res.body!.getReader();
    const t0 = Date.now();
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(text).toMatch(/worker#1 (tick|warn) \d+/);
    const at = Date.parse(text.split(' ')[0]);
    expect(at).toBeGreaterThan(t0 - 2000); // a new line, not history
    await reader.cancel();
  });
});
