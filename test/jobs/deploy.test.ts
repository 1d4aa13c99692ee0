// The deploy job end to end through the fake Docker port on real Postgres: a push is exported, analyzed,
// planned and built once; later releases keep, replace, scale and restart; a failed release puts the
// stopped backing service back and leaves the previous release serving. The release log is compared
// line by line (container ids, ports and timings masked): it is what `git push` shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { createApp, getAppById } from '../../server/db/apps.ts';
import { readLogLines } from '../../server/db/logs.ts';
import {
  createRelease,
  getRelease,
  liveRelease,
  saveReleaseServices,
  servicesOf,
  setReleaseStatus,
} from '../../server/db/releases.ts';
import { replicasOf } from '../../server/db/replicas.ts';
import { updateSettings } from '../../server/db/settings.ts';
import { createUser } from '../../server/db/users.ts';
import { deployRelease } from '../../server/jobs/deploy.ts';
import type { JobDeps } from '../../server/jobs/deps.ts';
import { LogBus } from '../../server/logs/releaseLog.ts';
import { deleteAppOp } from '../../server/ops/apps.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';
import type { DockerPort } from '../../server/runtime/port.ts';
import type { RouteSync } from '../../server/runtime/routeSync.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { run, WorkingCopy } from '../support/gitRepo.ts';

const compose = `services:
  web:
    build: .
    command: node worker.js
    depends_on: [db]
    environment:
      MODE: batch
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata:
`;
const files = {
  'docker-compose.yml': compose,
  'package.json': '{"name":"shop","version":"1.0.0","scripts":{"start":"node worker.js"}}',
  'worker.js': 'setInterval(() => {}, 1000);\n',
};

/** The app's uid, as the expected names write it. */
let uid = '<unset>';
const u = (s: string) => s.replaceAll(uid, '<uid>');
const mask = (l: string) =>
  u(l)
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\(\d+ files, [\d.]+ ms\)/, '(<n> files, <t> ms)')
    .replace(/after \d+ ms/, 'after <t> ms');

describe('deploy job (fake Docker, real Postgres)', () => {
  let t: TestDb;
  let deps: JobDeps;
  let appId = 0;
  let userId = 0;
  let commit = '';
  let dir = '';
  const fake = createFakeDockerPort();
  const synced: string[] = [];
  const drained: string[][] = [];
  const routes = {
    syncApp: async (app: string, releaseId?: number) => void synced.push(`${app}:${releaseId ?? 'live'}`),
    removeApp: async () => {},
    waitIdle: async (ids: string[]) => void drained.push(ids),
    syncAll: async () => [],
  } as unknown as RouteSync;
  // Containers "listen" on their PORT (a plain HTTP server stands in for the app and for postgres), so
  // health checks pass; replicas of `web` started with CRASH=1 exit at once (an app that crashes on start).
  const listening = new Map<string, Server>();
  const names = new Map<string, string>();
  const listen = async (id: string) => {
    const c = fake.containers.get(id)!;
    const port = Number(c.spec.Env!.find((e) => e.startsWith('PORT='))!.slice(5));
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((res) => server.listen(port, '127.0.0.1', res));
    listening.set(id, server);
  };
  const close = async (id: string) => {
    const full = [...fake.containers.keys()].find((k) => k.startsWith(id)) ?? id;
    await new Promise((res) => listening.get(full)?.close(res) ?? res(null));
    listening.delete(full);
  };
  const docker: DockerPort = {
    ...fake,
    async run(spec) {
      const id = await fake.run(spec);
      names.set(id, u(spec.name!.replace(/-[0-9a-f]{6}$/, '')));
      if (spec.Env?.includes('CRASH=1') && spec.Labels?.['kyozo.service'] === 'web') fake.exit(id, 1, 'boom');
      else await listen(id);
      return id;
    },
    async start(id) {
      await fake.start(id);
      await listen(id);
    },
    async stop(id, timeout) {
      await close(id);
      await fake.stop(id, timeout);
    },
    async stopAndRemove(id, timeout) {
      await close(id);
      await fake.stopAndRemove(id, timeout);
    },
  };
  const logOf = async (releaseId: number) => (await readLogLines(t.db, releaseId)).map((r) => mask(r.line));
  const release = async (kind: 'push' | 'config' | 'scale' | 'restart', config: Record<string, string> = {}) => {
    const live = await liveRelease(t.db, appId);
    return createRelease(t.db, {
      appId,
      kind,
      commit: kind === 'push' ? commit : undefined,
      baseVersion: kind === 'push' ? undefined : live!.version,
      config,
      createdBy: userId,
    });
  };

  beforeAll(async () => {
    t = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'kyozo-deploy-'));
    userId = (await createUser(t.db, 'dev@example.com')).id;
    const app = (await createApp(t.db, 'shop', userId))!;
    appId = app.id;
    uid = app.uid;
    await run('git', ['init', '-q', '--bare', join(dir, 'repos', 'shop.git')], dir);
    const wc = new WorkingCopy();
    await wc.write(files);
    await wc.commit('v1');
    expect((await wc.push(join(dir, 'repos', 'shop.git'))).code).toBe(0);
    commit = (await run('git', ['rev-parse', 'HEAD'], wc.dir)).out.trim();
    rmSync(wc.dir, { recursive: true, force: true });
    fake.images.set('sha256:pg', { id: 'sha256:pg', tags: ['postgres:16'], labels: {}, created: 0, size: 1 });
    const config = { ...parseConfig({ KYOZO_NETWORK: 'host' }, dir), healthTimeoutMs: 100, drainMs: 0 };
    deps = {
      db: t.db,
      docker,
      config,
      bus: new LogBus(),
      routes,
      reposDir: join(dir, 'repos'),
      buildsDir: join(dir, 'builds'),
      instance: 'test-deploy',
    };
  });
  afterAll(async () => {
    for (const id of [...listening.keys()]) await close(id);
    await t?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Deploys and returns what it did: status, release log, Docker calls, replicas (by container) and route syncs. */
  const deploy = async (r: { id: number }, restart?: string[]) => {
    fake.calls.length = 0;
    synced.length = 0;
    drained.length = 0;
    await deployRelease(deps, { releaseId: r.id, restart });
    const rel = (await getRelease(t.db, r.id))!;
    return {
      status: rel.status,
      log: await logOf(r.id),
      docker: fake.calls
        .filter((c) => ['run', 'stop', 'start', 'remove', 'build'].includes(c.method))
        .map((c) =>
          c.method === 'run'
            ? `run ${u((c.args[0] as { name: string }).name.replace(/-[0-9a-f]{6}$/, ''))}`
            : c.method === 'build'
              ? `build ${u((c.args[0] as { tag: string }).tag)} ${(c.args[0] as { dockerfile: string }).dockerfile}`
              : `${c.method} ${name(String(c.args[0]))}`,
        ),
      replicas: (await replicasOf(t.db, r.id)).map((x) => `${x.service}#${x.index} ${name(x.containerId)}`).sort(),
      synced: [...synced],
      drained: drained.map((ids) => ids.map(name)),
    };
  };
  /** A container by the name it was created with (without the random suffix), e.g. kyozo-<uid>-web-v1-1. */
  const name = (id: string) => [...names].find(([full]) => full.startsWith(id))?.[1] ?? id;
  const running = () =>
    [...fake.containers.values()]
      .filter((c) => c.state.running)
      .map((c) => u(c.state.name.replace(/-[0-9a-f]{6}$/, '')))
      .sort();
  const analysisLines = (version: number) => [
    `-----> Release v${version} of shop (push of <id>)`,
    '-----> Exporting commit <id>',
    '-----> Detected 2 services (<n> files, <t> ms)',
    '       web (.): web, node, confidence 55%',
    '         - package.json has a start script',
    '         - service "web" in docker-compose.yml builds .',
    '       db (postgres:16): database, postgres, confidence 97%, port 5432',
    '         - service "db" in docker-compose.yml runs image postgres:16',
    '         - postgres is a postgres database',
    '       web → db (depends_on in docker-compose.yml)',
    '       [medium] compose-dockerfile-missing (Dockerfile): Service "web" in docker-compose.yml builds with Dockerfile, which is not in the repository; Kyozo generates a Dockerfile from the folder instead.',
    '       [medium] port-unknown (.): web: no listening port found. Kyozo sets PORT; make the app listen on process PORT (or EXPOSE it in the Dockerfile).',
  ];
  const reused = ['       db: postgres:16', '       web: kyozo/<uid>/web:v1'];

  it('v1: a push is exported, analyzed, built once from the generated Dockerfile and started dependencies first', async () => {
    expect(await deploy(await release('push'))).toEqual({
      status: 'live',
      log: [
        ...analysisLines(1),
        '-----> web: building with a generated Dockerfile (node)',
        '       Step 1/1 : FROM fake',
        '       web: image kyozo/<uid>/web:v1 (<id>)',
        '-----> Start order: db → web',
        '-----> Started db#1 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: db',
        '       db#1 accepting connections on 127.0.0.1:<port>',
        '-----> Started web#1 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: web',
        '       web#1 healthy: GET / → 200 after <t> ms',
        '-----> Switching routes to v1',
        'Release v1 is live at http://shop.localhost:8080',
      ],
      docker: ['build kyozo/<uid>/web:v1 Dockerfile.kyozo', 'run kyozo-<uid>-db-v1-1', 'run kyozo-<uid>-web-v1-1'],
      replicas: ['db#1 kyozo-<uid>-db-v1-1', 'web#1 kyozo-<uid>-web-v1-1'],
      synced: ['shop:1'],
      drained: [],
    });
    const [db] = [...fake.containers.values()].filter((c) => u(c.state.name).startsWith('kyozo-<uid>-db-'));
    // Backing services drop every capability but the few their entrypoints use to chown and switch users.
    expect(db.spec.HostConfig?.CapDrop).toEqual(['ALL']);
    expect(db.spec.HostConfig?.CapAdd).toEqual(['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID']);
    expect(db.spec.HostConfig?.SecurityOpt).toEqual(['no-new-privileges']);
    expect(db.spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: `kyozo_${uid}_db_var.lib.postgresql.data`, Target: '/var/lib/postgresql/data' },
    ]);
    // Created before the container, labelled (a volume Docker makes for a mount carries no labels).
    expect(fake.volumes.get(`kyozo_${uid}_db_var.lib.postgresql.data`)?.labels).toEqual({
      'kyozo.app': uid,
      'kyozo.app.name': 'shop',
      'kyozo.service': 'db',
      'kyozo.path': '/var/lib/postgresql/data',
      'kyozo.instance': 'test-deploy',
    });
    const [web] = [...fake.containers.values()].filter((c) => u(c.state.name).startsWith('kyozo-<uid>-web-'));
    expect(web.spec.HostConfig?.CapDrop).toEqual(['ALL']);
    expect(web.spec.HostConfig?.Mounts).toBeUndefined();
    // Replicas start from the image id the build recorded, never from a tag another build could move.
    expect(web.spec.Image).toMatch(/^sha256:/);
  });

  it('v2: the same source again reuses the image and keeps every running container', async () => {
    expect(await deploy(await release('push'))).toEqual({
      status: 'live',
      log: [
        ...analysisLines(2),
        '-----> web: source unchanged, reusing kyozo/<uid>/web:v1',
        '-----> Start order: db → web',
        '-----> db: unchanged, keeping 1 running replica',
        '-----> web: unchanged, keeping 1 running replica',
        '-----> Switching routes to v2',
        'Release v2 is live at http://shop.localhost:8080',
      ],
      docker: [],
      replicas: ['db#1 kyozo-<uid>-db-v1-1', 'web#1 kyozo-<uid>-web-v1-1'],
      synced: ['shop:2'],
      drained: [],
    });
  });

  it('v3: a config change replaces the backing service (stopped, not removed, until the switch) and the web service', async () => {
    expect(await deploy(await release('config', { FOO: 'bar' }))).toEqual({
      status: 'live',
      log: [
        '-----> Release v3 of shop (config change on v2)',
        ...reused,
        '-----> Start order: db → web',
        '-----> db: definition changed, replacing the backing service (brief interruption)',
        '-----> Started db#1 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: db',
        '       db#1 accepting connections on 127.0.0.1:<port>',
        '-----> Started web#1 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: web',
        '       web#1 healthy: GET / → 200 after <t> ms',
        '-----> Switching routes to v3',
        'Release v3 is live at http://shop.localhost:8080',
        '-----> Stopped 2 replicas of v2 (shop)',
      ],
      docker: [
        'stop kyozo-<uid>-db-v1-1',
        'run kyozo-<uid>-db-v3-1',
        'run kyozo-<uid>-web-v3-1',
        'stop kyozo-<uid>-db-v1-1',
        'remove kyozo-<uid>-db-v1-1',
        'stop kyozo-<uid>-web-v1-1',
        'remove kyozo-<uid>-web-v1-1',
      ],
      replicas: ['db#1 kyozo-<uid>-db-v3-1', 'web#1 kyozo-<uid>-web-v3-1'],
      synced: ['shop:3'],
      drained: [['kyozo-<uid>-db-v1-1', 'kyozo-<uid>-web-v1-1']],
    });
  });

  it('v4: scaling keeps the running replica and starts the missing indexes', async () => {
    await updateSettings(t.db, appId, (s) => ({ ...s, formation: { web: { replicas: 3 } } }));
    expect(await deploy(await release('scale', { FOO: 'bar' }))).toEqual({
      status: 'live',
      log: [
        '-----> Release v4 of shop (restart of v3)',
        ...reused,
        '-----> Start order: db → web',
        '-----> db: unchanged, keeping 1 running replica',
        '-----> web: unchanged, keeping 1 running replica',
        '-----> Started web#2 (<id>) on 127.0.0.1:<port>',
        '-----> Started web#3 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: web',
        '       web#2 healthy: GET / → 200 after <t> ms',
        '       web#3 healthy: GET / → 200 after <t> ms',
        '-----> Switching routes to v4',
        'Release v4 is live at http://shop.localhost:8080',
      ],
      docker: ['run kyozo-<uid>-web-v4-2', 'run kyozo-<uid>-web-v4-3'],
      replicas: [
        'db#1 kyozo-<uid>-db-v3-1',
        'web#1 kyozo-<uid>-web-v3-1',
        'web#2 kyozo-<uid>-web-v4-2',
        'web#3 kyozo-<uid>-web-v4-3',
      ],
      synced: ['shop:4'],
      drained: [],
    });
  });

  it('v5: a restart of one service replaces all its replicas and keeps the others', async () => {
    expect(await deploy(await release('restart', { FOO: 'bar' }), ['web'])).toEqual({
      status: 'live',
      log: [
        '-----> Release v5 of shop (restart of v4)',
        ...reused,
        '-----> Start order: db → web',
        '-----> db: unchanged, keeping 1 running replica',
        '-----> Started web#1 (<id>) on 127.0.0.1:<port>',
        '-----> Started web#2 (<id>) on 127.0.0.1:<port>',
        '-----> Started web#3 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: web',
        '       web#1 healthy: GET / → 200 after <t> ms',
        '       web#2 healthy: GET / → 200 after <t> ms',
        '       web#3 healthy: GET / → 200 after <t> ms',
        '-----> Switching routes to v5',
        'Release v5 is live at http://shop.localhost:8080',
        '-----> Stopped 3 replicas of v4 (shop)',
      ],
      docker: [
        'run kyozo-<uid>-web-v5-1',
        'run kyozo-<uid>-web-v5-2',
        'run kyozo-<uid>-web-v5-3',
        'stop kyozo-<uid>-web-v3-1',
        'stop kyozo-<uid>-web-v4-2',
        'stop kyozo-<uid>-web-v4-3',
        'remove kyozo-<uid>-web-v3-1',
        'remove kyozo-<uid>-web-v4-2',
        'remove kyozo-<uid>-web-v4-3',
      ],
      replicas: [
        'db#1 kyozo-<uid>-db-v3-1',
        'web#1 kyozo-<uid>-web-v5-1',
        'web#2 kyozo-<uid>-web-v5-2',
        'web#3 kyozo-<uid>-web-v5-3',
      ],
      synced: ['shop:5'],
      drained: [['kyozo-<uid>-web-v3-1', 'kyozo-<uid>-web-v4-2', 'kyozo-<uid>-web-v4-3']],
    });
  });

  it('v6: a release whose app crashes fails as a whole; the stopped backing service is started again, v5 serves', async () => {
    expect(await deploy(await release('config', { FOO: 'bar', CRASH: '1' }))).toEqual({
      status: 'failed',
      log: [
        '-----> Release v6 of shop (config change on v5)',
        ...reused,
        '-----> Start order: db → web',
        '-----> db: definition changed, replacing the backing service (brief interruption)',
        '-----> Started db#1 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: db',
        '       db#1 accepting connections on 127.0.0.1:<port>',
        '-----> Started web#1 (<id>) on 127.0.0.1:<port>',
        '-----> Started web#2 (<id>) on 127.0.0.1:<port>',
        '-----> Started web#3 (<id>) on 127.0.0.1:<port>',
        '-----> Health checks: web',
        '-----> put back backing container <id> of the previous release',
        '! Release v6 failed: service web failed its health check (http://127.0.0.1:<port>/): container exited with code 1; last output: boom — v5 is still live',
      ],
      docker: [
        'stop kyozo-<uid>-db-v3-1',
        'run kyozo-<uid>-db-v6-1',
        'run kyozo-<uid>-web-v6-1',
        'run kyozo-<uid>-web-v6-2',
        'run kyozo-<uid>-web-v6-3',
        'stop kyozo-<uid>-web-v6-1',
        'stop kyozo-<uid>-web-v6-2',
        'stop kyozo-<uid>-web-v6-3',
        'remove kyozo-<uid>-web-v6-1',
        'remove kyozo-<uid>-web-v6-2',
        'remove kyozo-<uid>-web-v6-3',
        'stop kyozo-<uid>-db-v6-1',
        'remove kyozo-<uid>-db-v6-1',
        'start kyozo-<uid>-db-v3-1',
      ],
      replicas: [],
      synced: ['shop:live'],
      drained: [],
    });
    expect((await liveRelease(t.db, appId))!.version).toBe(5);
    expect(running()).toEqual([
      'kyozo-<uid>-db-v3-1',
      'kyozo-<uid>-web-v5-1',
      'kyozo-<uid>-web-v5-2',
      'kyozo-<uid>-web-v5-3',
    ]);
  });

  it('v7: a backing service from before volumes were named from the uid keeps its data when it is replaced', async () => {
    // As a release recorded before this version did: paths but no volume names (release_services.volume_names null).
    const live = (await liveRelease(t.db, appId))!;
    await t.sql`update release_services set volume_names = null where release_id = ${live.id} and name = 'db'`;
    const legacy = 'kyozo-shop-db-var-lib-postgresql-data';
    const r = await deploy(await release('config', { FOO: 'baz' }));
    expect(r.status).toBe('live');
    expect(r.docker).toContain('run kyozo-<uid>-db-v7-1');
    const [db] = [...fake.containers.values()].filter((c) => u(c.state.name).startsWith('kyozo-<uid>-db-v7-'));
    expect(db.spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: legacy, Target: '/var/lib/postgresql/data' },
    ]);
    // Recorded, so every later release (and a rollback to this one) finds the same volume.
    const rows = await servicesOf(t.db, (await liveRelease(t.db, appId))!.id);
    expect(rows.find((x) => x.name === 'db')?.volumeNames).toEqual({ '/var/lib/postgresql/data': legacy });
    expect(rows.find((x) => x.name === 'web')?.volumeNames).toBeNull();
  });

  it('deleting the app removes exactly its objects; keepData keeps and names its volumes', async () => {
    const app = (await getAppById(t.db, appId))!;
    // An image built for this app before images carried the uid (labelled with its name, no installation),
    // one of another installation's app of the same name, an image Kyozo built for another app and a base image.
    const img = (id: string, tags: string[], labels: Record<string, string>) =>
      fake.images.set(id, { id, tags, labels, created: 0, size: 1 });
    img('sha256:legacy', ['kyozo/shop-web:v0'], { 'kyozo.app': 'shop', 'kyozo.service': 'web' });
    img('sha256:foreign', ['kyozo/shop-web:v9'], { 'kyozo.app': 'shop', 'kyozo.service': 'web' });
    img('sha256:other', ['kyozo/0123456789ab/web:v1'], {
      'kyozo.app': '0123456789ab',
      'kyozo.instance': 'test-deploy',
    });
    img('sha256:base', ['kyozo/node-standin:20'], {});
    const old = await createRelease(t.db, { appId, kind: 'push', commit: commit, config: {} });
    await saveReleaseServices(t.db, old.id, [
      { name: 'web', type: 'web', image: 'kyozo/shop-web:v0', imageId: 'sha256:legacy', memoryMb: 64, cpus: 1 },
    ]);
    await setReleaseStatus(t.db, old.id, 'failed');
    await fake.createVolume('kyozo_0123456789ab_db_data', { 'kyozo.app': '0123456789ab' });
    await fake.ensureNetwork('kyozo-shop', { 'kyozo.managed': 'true', 'kyozo.instance': 'test-deploy' });
    await fake.ensureNetwork(`kyozo-${uid}`, { 'kyozo.app': uid, 'kyozo.instance': 'test-deploy' });
    const live = [...fake.containers.values()].filter((c) => c.state.labels['kyozo.app'] === uid).length;
    expect(live).toBeGreaterThan(0);

    const done = await deleteAppOp(
      {
        database: t,
        docker,
        config: deps.config,
        jobs: { enqueueDeploy: async () => {} },
        bus: deps.bus,
        routes,
        reposDir: deps.reposDir,
        instance: 'test-deploy',
      },
      app,
      undefined,
      { keepData: true },
    );
    expect(done).toMatchObject({ name: 'shop', networks: [`kyozo-${uid}`, 'kyozo-shop'], volumes: [] });
    expect(done.keptVolumes).toEqual([
      'kyozo-shop-db-var-lib-postgresql-data',
      `kyozo_${uid}_db_var.lib.postgresql.data`,
    ]);
    expect(done.images.map(u).sort()).toEqual(['kyozo/<uid>/web:v1', 'kyozo/shop-web:v0']);
    expect([...fake.containers.values()].filter((c) => c.state.labels['kyozo.app'] === uid)).toEqual([]);
    expect([...fake.images.keys()].sort()).toEqual(['sha256:base', 'sha256:foreign', 'sha256:other', 'sha256:pg']);
    expect([...fake.volumes.keys()].sort()).toEqual(
      [
        'kyozo-shop-db-var-lib-postgresql-data',
        `kyozo_${uid}_db_var.lib.postgresql.data`,
        'kyozo_0123456789ab_db_data',
      ].sort(),
    );
    expect([...fake.networks.keys()]).toEqual([]);
  });
});
