// Deploys wait (not fail) while Docker is down: fake port behind the breaker + real Postgres (+ graphile-worker).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { createApp } from '../../server/db/apps.ts';
import { createRelease, getRelease, promoteRelease, saveReleaseServices } from '../../server/db/releases.ts';
import { createUser } from '../../server/db/users.ts';
import { deployRelease } from '../../server/jobs/deploy.ts';
import { InfrastructureError, type JobDeps } from '../../server/jobs/deps.ts';
import { startJobs } from '../../server/jobs/worker.ts';
import { LogBus } from '../../server/logs/releaseLog.ts';
import { withCircuitBreaker } from '../../server/runtime/breaker.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';
import type { RouteSync } from '../../server/runtime/routeSync.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });
const routes = {
  syncApp: async () => {},
  removeApp: async () => {},
  waitIdle: async () => {},
  syncAll: async () => [],
} as unknown as RouteSync;

describe('deploys while Docker is down', () => {
  let t: TestDb;
  let appId = 0;
  let userId = 0;
  const fake = createFakeDockerPort();
  const docker = withCircuitBreaker(fake, { failureThreshold: 2, openMs: 150 });
  let deps: JobDeps;

  beforeAll(async () => {
    t = await createTestDb();
    userId = (await createUser(t.db, 'dev@example.com')).id;
    appId = (await createApp(t.db, 'waiter', userId))!.id;
    await fake.build({
      contextDir: '/x',
      dockerfile: 'Dockerfile',
      tag: 'kyozo/waiter-worker:v1',
      labels: {},
      onLine: () => {},
    });
    const v1 = await createRelease(t.db, { appId, kind: 'push', commit: 'a'.repeat(40), config: {} });
    await saveReleaseServices(t.db, v1.id, [
      { name: 'worker', type: 'worker', image: 'kyozo/waiter-worker:v1', memoryMb: 64, cpus: '1' },
    ]);
    await promoteRelease(t.db, appId, v1.id);
    const config = { ...parseConfig({ KYOZO_NETWORK: 'host' }, '/tmp'), healthTimeoutMs: 100 };
    deps = {
      db: t.db,
      docker,
      config,
      bus: new LogBus(),
      routes,
      reposDir: '/tmp/none',
      buildsDir: '/tmp/none',
      instance: 'test-breaker',
    };
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('mid-deploy outage → InfrastructureError, release back to queued; engine back → live', async () => {
    const r = await createRelease(t.db, { appId, kind: 'restart', baseVersion: 1, config: {}, createdBy: userId });
    const docker = withCircuitBreaker(fake, { failureThreshold: 1, openMs: 150 });
    const deps1 = { ...deps, docker };
    fake.fail('imageExists', refused(), 1);
    await expect(deployRelease(deps1, { releaseId: r.id })).rejects.toBeInstanceOf(InfrastructureError);
    expect((await getRelease(t.db, r.id))!.status).toBe('queued');
    expect(docker.state()).toBe('open');
    // While open: the job fails fast without touching the engine, still queued.
    const calls = fake.calls.length;
    await expect(deployRelease(deps1, { releaseId: r.id })).rejects.toBeInstanceOf(InfrastructureError);
    expect(fake.calls.length).toBe(calls);
    expect((await getRelease(t.db, r.id))!.status).toBe('queued');
    await new Promise((res) => setTimeout(res, 250)); // auto probe closes the breaker
    expect(docker.state()).toBe('closed');
    await deployRelease(deps1, { releaseId: r.id });
    expect((await getRelease(t.db, r.id))!.status).toBe('live');
  });

  it('graphile-worker retries the job with backoff and the release goes live once Docker is back', async () => {
    const r = await createRelease(t.db, { appId, kind: 'restart', baseVersion: 1, config: {}, createdBy: userId });
    fake.fail('ping', refused(), 1); // first attempt: ping false → InfrastructureError
    const jobs = await startJobs(t.url, deps, { concurrency: 1 });
    try {
      await jobs.enqueueDeploy('waiter', r.id);
      const deadline = Date.now() + 30_000;
      let seenQueuedAfterAttempt = false;
      for (;;) {
        const rel = (await getRelease(t.db, r.id))!;
        expect(rel.status, rel.error ?? '').not.toBe('failed');
        const [{ attempts }] =
          await t.sql`select coalesce(max(attempts), 0)::int as attempts from graphile_worker.jobs`;
        if (attempts >= 1 && rel.status === 'queued') seenQueuedAfterAttempt = true;
        if (rel.status === 'live') break;
        if (Date.now() > deadline) throw new Error(`release still ${rel.status}`);
        await new Promise((res) => setTimeout(res, 200));
      }
      expect(seenQueuedAfterAttempt).toBe(true);
    } finally {
      await jobs.stop();
    }
  });
});
