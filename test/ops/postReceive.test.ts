// The post-receive use case on real Postgres: what the hook is answered, who is recorded as the pusher,
// and that a deploy-branch push queues exactly one push release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { createApp } from '../../server/db/apps.ts';
import { listEvents } from '../../server/db/events.ts';
import { getRelease } from '../../server/db/releases.ts';
import { createUser } from '../../server/db/users.ts';
import { addTicket } from '../../server/git/tickets.ts';
import { LogBus } from '../../server/logs/releaseLog.ts';
import type { OpsDeps } from '../../server/ops/deps.ts';
import { postReceive } from '../../server/ops/postReceive.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';
import type { RouteSync } from '../../server/runtime/routeSync.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const sha = (c: string) => c.repeat(40);
const push = (ref: string, newSha: string, app = 'shop') => ({
  app,
  ref,
  oldSha: sha('0'),
  newSha,
  pusher: '',
});

describe('postReceive', () => {
  let t: TestDb;
  let deps: OpsDeps;
  let userId = 0;
  const queued: [string, number][] = [];

  beforeAll(async () => {
    t = await createTestDb();
    userId = (await createUser(t.db, 'dev@example.com')).id;
    await createApp(t.db, 'shop', userId);
    deps = {
      database: t,
      docker: createFakeDockerPort(),
      config: parseConfig({}, '/tmp'),
      jobs: { enqueueDeploy: async (app, releaseId) => void queued.push([app, releaseId]) },
      bus: new LogBus(),
      routes: {} as RouteSync,
      reposDir: '/tmp/none',
      instance: 'test-post-receive',
    };
  });
  afterAll(async () => {
    await t?.drop();
  });

  const answer = (body: unknown, secretHeader: string | undefined = 's3cret') =>
    postReceive(deps, { secret: 's3cret', secretHeader, body });

  it('rejects a wrong secret and bodies that are not a push', async () => {
    expect(await answer(push('refs/heads/main', sha('a')), 'nope')).toEqual({
      kind: 'reject',
      status: 401,
      message: 'bad hook secret',
    });
    expect(await answer(null)).toEqual({ kind: 'reject', status: 400, message: 'JSON object body required' });
    expect(queued).toEqual([]);
  });

  it('answers refs that do not deploy, and pushes to apps deleted since, in one line', async () => {
    expect(await answer(push('refs/heads/feature', sha('b')))).toEqual({
      kind: 'reply',
      line: 'Branch feature stored; only main/master deploy.',
    });
    expect(await answer(push('refs/heads/main', sha('0')))).toEqual({
      kind: 'reply',
      line: 'Branch main deleted; the running release is unchanged.',
    });
    expect(await answer(push('refs/heads/main', sha('c'), 'gone'))).toEqual({
      kind: 'reply',
      line: '! app gone no longer exists',
    });
    expect(queued).toEqual([]);
  });

  it('queues a push release of the deploy branch, naming the pusher from the git front ticket', async () => {
    addTicket('shop', sha('d'), String(userId));
    const a = await answer(push('refs/heads/main', sha('d')));
    expect(a).toEqual({
      kind: 'follow',
      line: `Kyozo: shop v1 queued for ${'d'.repeat(12)}`,
      releaseId: expect.any(Number),
    });
    const release = (await getRelease(t.db, (a as { releaseId: number }).releaseId))!;
    expect(release).toMatchObject({ kind: 'push', commit: sha('d'), version: 1, createdBy: userId, status: 'queued' });
    expect(queued).toEqual([['shop', release.id]]);
    const events = await listEvents(t.db, { app: 'shop' });
    expect(events.map((e) => [e.type, e.message, e.actorEmail])).toEqual([
      ['release.create', `v1 queued: push of ${'d'.repeat(12)}`, 'dev@example.com'],
      ['git.push', `dev@example.com pushed ${'d'.repeat(12)}`, 'dev@example.com'],
    ]);
  });

  it('still deploys when nobody can be named', async () => {
    const a = await answer(push('refs/heads/master', sha('e')));
    expect(a).toMatchObject({ kind: 'follow', line: `Kyozo: shop v2 queued for ${'e'.repeat(12)}` });
    expect((await getRelease(t.db, (a as { releaseId: number }).releaseId))!.createdBy).toBeNull();
  });
});
