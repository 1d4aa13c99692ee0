// Dead-letter queue over a real graphile-worker: permanently failed jobs are listed (admin only),
// retried (fresh attempts, run now) or discarded. The cleanup crontab line parses.
import { Hono } from 'hono';
import { parseCrontab, run, type Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, issueToken } from '../../server/db/users.ts';
import { CLEANUP_CRONTAB } from '../../server/jobs/cleanup.ts';
import { requireToken } from '../../server/http/auth.ts';
import type { HttpEnv } from '../../server/http/env.ts';
import { jobsRouter, listFailedJobs } from '../../server/http/jobs.ts';
import { BadRequest } from '../../server/http/json.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

describe('dead-letter queue', () => {
  let t: TestDb;
  let runner: Runner;
  let admin = '';
  let user = '';
  let healthy = false;
  const ran: number[] = [];
  const http = new Hono<HttpEnv>();

  beforeAll(async () => {
    t = await createTestDb();
    admin = (await issueToken(t.db, (await createUser(t.db, 'root@example.com', true)).id, 't')).token;
    user = (await issueToken(t.db, (await createUser(t.db, 'u@example.com')).id, 't')).token;
    http.use('*', requireToken(t.db));
    http.route('/api/jobs', jobsRouter({ database: t }));
    http.onError((e, c) =>
      e instanceof BadRequest ? c.json({ error: e.message }, 400) : c.json({ error: String(e) }, 500),
    );
    expect(await listFailedJobs(t.db)).toEqual([]); // before graphile-worker created its schema
    runner = await run({
      connectionString: t.url,
      concurrency: 1,
      pollInterval: 100,
      noHandleSignals: true,
      logger: new (await import('graphile-worker')).Logger(() => () => {}),
      taskList: {
        flaky: async (p) => {
          ran.push((p as { n: number }).n);
          if (!healthy) throw new Error(`engine down (${(p as { n: number }).n})`);
        },
      },
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await t?.drop();
  });

  const call = async (method: string, p: string, token = admin) => {
    const res = await http.request(p, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
  };

  it('lists, retries and discards permanently failed jobs', async () => {
    await runner.addJob('flaky', { n: 1 }, { maxAttempts: 1, queueName: 'app:one' });
    await runner.addJob('flaky', { n: 2 }, { maxAttempts: 1 });
    const end = Date.now() + 15_000;
    while ((await listFailedJobs(t.db)).length < 2) {
      if (Date.now() > end) throw new Error('jobs did not fail');
      await new Promise((r) => setTimeout(r, 100));
    }
    const list = await call('GET', '/api/jobs/failed');
    expect(list.status).toBe(200);
    const one = list.body.find((j: any) => j.payload.n === 1);
    expect(one).toMatchObject({
      task: 'flaky',
      queue: 'app:one',
      attempts: 1,
      maxAttempts: 1,
      lastError: expect.stringContaining('engine down (1)'),
    });
    const two = list.body.find((j: any) => j.payload.n === 2);

    expect((await call('GET', '/api/jobs/failed', user)).status).toBe(403);
    expect((await call('POST', '/api/jobs/failed/abc/retry')).status).toBe(400);
    expect((await call('POST', '/api/jobs/failed/999999/retry')).status).toBe(404);

    healthy = true;
    expect((await call('POST', `/api/jobs/failed/${one.id}/retry`)).body).toEqual({ id: one.id, retried: true });
    const end2 = Date.now() + 15_000;
    while ((await t.sql`select 1 from graphile_worker.jobs where id = ${one.id}`).length > 0) {
      if (Date.now() > end2) throw new Error('retried job did not run');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ran.filter((n) => n === 1)).toHaveLength(2);

    expect((await call('DELETE', `/api/jobs/failed/${two.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/jobs/failed/${two.id}`)).status).toBe(404);
    expect((await call('GET', '/api/jobs/failed')).body).toEqual([]);
    expect(ran.filter((n) => n === 2)).toHaveLength(1);
  });

  it('CLEANUP_CRONTAB is a valid hourly graphile-worker crontab for the cleanup task', () => {
    const [item] = parseCrontab(CLEANUP_CRONTAB);
    expect(item).toMatchObject({ task: 'cleanup', options: { maxAttempts: 1, jobKey: 'kyozo-cleanup' } });
  });
});
