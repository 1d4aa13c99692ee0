// runCleanup on real Postgres + real Docker: keeps the last N releases' images (and live / in-use ones),
// removes orphaned and stopped containers of this installation only, stale build dirs, old events, excess logs.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/db/apps.ts';
import { insertAppLogs } from '../../server/db/appLogs.ts';
import { recordEvent } from '../../server/db/events.ts';
import { createRelease, saveReleaseServices, setReleaseStatus } from '../../server/db/releases.ts';
import { addReplica } from '../../server/db/replicas.ts';
import type { ReleaseStatus } from '../../server/db/schema.ts';
import { createUser } from '../../server/db/users.ts';
import { runCleanup } from '../../server/jobs/cleanup.ts';
import { createDockerPort } from '../../server/runtime/docker.ts';
import { containerSpec } from '../../server/runtime/spec.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

const run = randomBytes(4).toString('hex');
const app = `cl${run}`;
const instance = `test-${run}`;
const docker = createDockerPort(new Dockerode({ socketPath: '/var/run/docker.sock' }));
const tag = (v: number) => `kyozo/${app}-web:v${v}`;
const sh = (args: string[], input?: string) =>
  execFileSync('docker', args, { input, stdio: ['pipe', 'pipe', 'pipe'] })
    .toString()
    .trim();

describe('runCleanup (real Docker)', () => {
  let t: TestDb;
  let buildsDir: string;
  const ids: Record<string, string> = {};
  const start = (name: string, v: number, cmd: string[], inst = instance) =>
    docker
      .run(
        containerSpec({
          uid: app,
          app,
          release: v,
          service: 'web',
          replica: 1,
          image: tag(v),
          env: {},
          port: 1,
          network: { mode: 'host' },
          limits: { memoryMb: 32, cpus: 0.2 },
          suffix: `${name}-${run}`,
          labels: { 'kyozo.instance': inst, 'kyozo.test': run },
          cmd,
        }),
      )
      .then((id) => {
        ids[name] = id;
        return id;
      });

  beforeAll(async () => {
    execFileSync('bash', [path.resolve('scripts/build-stand-ins.sh')], { stdio: 'pipe', timeout: 170_000 });
    for (let v = 1; v <= 8; v++)
      sh(['build', '-q', '-t', tag(v), '-'], `FROM kyozo/static-standin:1\nLABEL kyozo.test=${run} v=${v}\n`);
    t = await createTestDb();
    const u = await createUser(t.db, 'o@example.com');
    const a = (await createApp(t.db, app, u.id))!;
    const status = (v: number): ReleaseStatus =>
      v === 8 ? 'building' : v === 7 ? 'live' : v === 4 ? 'failed' : 'superseded';
    for (let v = 1; v <= 8; v++) {
      const r = await createRelease(t.db, { appId: a.id, kind: 'push', commit: 'a'.repeat(40), config: {} });
      await saveReleaseServices(t.db, r.id, [{ name: 'web', type: 'web', image: tag(v), memoryMb: 32, cpus: '0.2' }]);
      await setReleaseStatus(t.db, r.id, status(v));
      if (v === 7)
        await addReplica(t.db, {
          releaseId: r.id,
          service: 'web',
          index: 1,
          containerId: await start('live', 7, ['/bin/busybox', 'sleep', '300']),
          host: '127.0.0.1',
          port: 1,
          state: 'running',
        });
    }
    await start('orphanRunning', 6, ['/bin/busybox', 'sleep', '300']);
    await start('stopped', 5, ['/bin/busybox', 'true']);
    await start('inProgress', 8, ['/bin/busybox', 'sleep', '300']);
    await start('otherInstance', 2, ['/bin/busybox', 'sleep', '300'], `other-${run}`); // v2's image stays in use
    ids.foreign = sh(['create', '--label', `kyozo.test=${run}`, tag(3)]); // not Kyozo's: v3's image is in use (409)
    buildsDir = mkdtempSync(path.join(tmpdir(), 'kyozo-builds-'));
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const v of ['v3', 'v8', 'v9']) mkdirSync(path.join(buildsDir, app, v), { recursive: true });
    for (const v of ['v3', 'v8']) utimesSync(path.join(buildsDir, app, v), old, old);
    await recordEvent(t.db, { type: 'old', message: 'old' });
    await recordEvent(t.db, { type: 'new', message: 'new' });
    await t.sql`update events set at = now() - interval '91 days' where type = 'old'`;
    await insertAppLogs(
      t.db,
      Array.from({ length: 150 }, (_, i) => ({
        app,
        appId: a.id,
        service: 'web',
        replica: '1',
        at: new Date(),
        line: `l${i}`,
      })),
    );
    // A deleted app's line: its id is no app's, whatever its name.
    await insertAppLogs(t.db, [
      { app: 'deleted-app', appId: a.id + 1000, service: 'web', replica: '1', at: new Date(), line: 'x' },
    ]);
  });
  afterAll(async () => {
    for (const id of sh(['ps', '-aq', '--filter', `label=kyozo.test=${run}`])
      .split('\n')
      .filter(Boolean))
      sh(['rm', '-f', id]);
    for (let v = 1; v <= 8; v++)
      try {
        sh(['rmi', '-f', tag(v)]);
      } catch {
        /* gone */
      }
    rmSync(buildsDir, { recursive: true, force: true });
    await t?.drop();
  });

  it('removes what is old or orphaned and nothing else', async () => {
    await new Promise((r) => setTimeout(r, 1200)); // 'stopped' has exited
    const r = await runCleanup(
      { db: t.db, docker, instance, buildsDir },
      { keepReleases: 5, orphanGraceMs: 0, appLogLines: 100 },
    );
    expect(r.errors).toEqual([]);
    // Releases v4..v8 are the last 5 (v7 live, v8 building). v1 goes; v2 runs in another installation's
    // Kyozo container (never attempted); v3 is used by a foreign container (engine says 409).
    expect(r.images).toEqual([tag(1)]);
    expect(r.imagesInUse).toEqual([tag(3)]);
    for (let v = 2; v <= 8; v++) expect(await docker.imageExists(tag(v))).toBe(true);
    expect(await docker.imageExists(tag(1))).toBe(false);
    expect(new Set(r.containers)).toEqual(new Set([ids.orphanRunning, ids.stopped]));
    for (const k of ['live', 'inProgress', 'otherInstance']) expect((await docker.inspect(ids[k]))?.running).toBe(true);
    expect(await docker.inspect(ids.orphanRunning)).toBeNull();
    expect(r.buildDirs).toEqual([path.join(buildsDir, app, 'v3')]);
    expect(existsSync(path.join(buildsDir, app, 'v8'))).toBe(true);
    expect(existsSync(path.join(buildsDir, app, 'v9'))).toBe(true);
    expect(r.events).toBe(1);
    expect(r.appLogs).toBe(51); // 50 over the bound + the deleted app's line
    const [{ c }] = await t.sql`select count(*)::int as c from app_logs where app = ${app}`;
    expect(c).toBe(100);
  });

  it('a second run is a no-op; the grace period protects fresh running orphans', async () => {
    await start('fresh', 6, ['/bin/busybox', 'sleep', '300']);
    const r = await runCleanup({ db: t.db, docker, instance, buildsDir }, { keepReleases: 5 });
    expect(r).toMatchObject({
      images: [],
      imagesInUse: [tag(3)],
      containers: [],
      buildDirs: [],
      events: 0,
      appLogs: 0,
      errors: [],
    });
    expect((await docker.inspect(ids.fresh))?.running).toBe(true);
  });
});
