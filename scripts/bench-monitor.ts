// Monitoring overhead benchmark: N idle replicas (busybox httpd, host network, 127.0.0.1), the real
// collector every interval, CPU of this process + dockerd + containerd (+ shims, Postgres reported apart)
// averaged over the run, as % of one core. A baseline phase with the collector off runs first.
//   npx tsx scripts/bench-monitor.ts [--replicas=100] [--duration=300] [--baseline=60] [--interval=10000]
// Needs Docker and `bash scripts/build-stand-ins.sh`; uses DATABASE_URL or an embedded Postgres.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Dockerode from 'dockerode';
import { connect, runMigrations } from '../server/db/client.ts';
import { ephemeralSecrets } from '../server/db/secrets.ts';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { apps, releases, releaseServices, replicas, users } from '../server/db/schema.ts';
import { parseMetricsConfig } from '../server/metrics/config.ts';
import { mapBounded } from '../server/metrics/math.ts';
import { createMonitor } from '../server/metrics/monitor.ts';
import { startHealthMonitor } from '../server/monitor/monitor.ts';
import { startAppLogCollector } from '../server/logs/appLogs.ts';
import { RouteSync } from '../server/runtime/routeSync.ts';
import { parseConfig } from '../server/config.ts';
import { createDockerPort } from '../server/runtime/docker.ts';
import { allocatePort } from '../server/runtime/ports.ts';
import { containerSpec } from '../server/runtime/spec.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = Math.min(arg('replicas', 100), 500);
const DURATION_S = Math.min(arg('duration', 300), 3600);
const BASELINE_S = Math.min(arg('baseline', 60), 600);
const INTERVAL = Math.max(arg('interval', 10_000), 1000);
const TICK = 100; // USER_HZ
const runId = randomBytes(4).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** pids by process name (comm), from /proc. */
function pidsOf(pattern: RegExp): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return pattern.test(readFileSync(`/proc/${d}/comm`, 'utf8').trim());
      } catch {
        return false;
      }
    })
    .map(Number);
}
/** utime+stime per pid, in seconds. */
function cpuByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of pids) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(p, (Number(f[11]) + Number(f[12])) / TICK); // fields 14/15 of stat, counted after "pid (comm)"
    } catch {
      /* gone */
    }
  }
  return out;
}
const groups = { dockerd: /^dockerd$/, containerd: /^containerd$/, shims: /^containerd-shim/, postgres: /^postgres$/ };
type Key = keyof typeof groups | 'kyozo';
type Snap = { wall: number; byGroup: Record<Key, Map<number, number>> };
function snapshot(): Snap {
  const byGroup = Object.fromEntries(
    Object.entries(groups).map(([k, re]) => [k, cpuByPid(pidsOf(re))]),
  ) as Snap['byGroup'];
  const u = process.cpuUsage();
  byGroup.kyozo = new Map([[process.pid, (u.user + u.system) / 1e6]]);
  return { wall: performance.now() / 1000, byGroup };
}
/** % of one core per group; a pid counts from 0 if it started during the window, and not at all if it exited. */
const pct = (a: Snap, b: Snap) =>
  Object.fromEntries(
    (['kyozo', 'dockerd', 'containerd', 'shims', 'postgres'] as const).map((k) => {
      let used = 0;
      for (const [pid, t] of b.byGroup[k]) used += t - (a.byGroup[k].get(pid) ?? 0);
      return [k, Math.round((used / (b.wall - a.wall)) * 10000) / 100];
    }),
  ) as Record<Key, number>;

async function main() {
  execFileSync('bash', [resolve('scripts/build-stand-ins.sh')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'kyozo-bench-mon-'));
  chmodSync(dir, 0o755); // as root, initdb runs as the postgres user
  const pg = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(join(dir, 'pg'), () => {});
  const database = connect(process.env.DATABASE_URL ?? pg!.url, { secrets: ephemeralSecrets() });
  const docker = createDockerPort(new Dockerode());
  const instance = `bench-${runId}`;
  try {
    await runMigrations(database);
    const { db } = database;
    const [u] = await db
      .insert(users)
      .values({ email: `bench-${runId}@x` })
      .returning();
    const [a] = await db
      .insert(apps)
      .values({ name: `bench-${runId}`, ownerId: u.id })
      .returning();
    const [rel] = await db.insert(releases).values({ appId: a.id, version: 1, status: 'live' }).returning();
    await db.insert(releaseServices).values({
      releaseId: rel.id,
      name: 'web',
      type: 'web',
      image: 'kyozo/static-standin:1',
      memoryMb: 32,
      cpus: '0.25',
    });
    const used = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < N; i++) {
      const p = await allocatePort(used);
      used.add(p);
      ports.push(p);
    }
    const t0 = Date.now();
    await mapBounded(ports, 8, async (port) => {
      const i = ports.indexOf(port);
      const id = await docker.run(
        containerSpec({
          uid: a.uid,
          app: a.name,
          release: 1,
          service: 'web',
          replica: i,
          image: 'kyozo/static-standin:1',
          env: {},
          port,
          network: { mode: 'host' },
          limits: { memoryMb: 32, cpus: 0.25 },
          cmd: ['busybox', 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www'],
          suffix: randomBytes(3).toString('hex'),
          labels: { 'kyozo.instance': instance, 'kyozo.bench': runId },
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
    });
    console.log(`started ${N} replicas in ${((Date.now() - t0) / 1000).toFixed(1)} s; settling 15 s`);
    await sleep(15_000);

    const b0 = snapshot();
    await sleep(BASELINE_S * 1000);
    const b1 = snapshot();
    console.log(`baseline (collector off, ${BASELINE_S} s), % of one core:`, JSON.stringify(pct(b0, b1)));

    const config = { ...parseMetricsConfig({}), intervalMs: INTERVAL };
    const monitor = createMonitor({
      db,
      docker,
      instance,
      dataDir: dir,
      config,
      proxy: { drainMetrics: async () => [] },
    });
    // The replica health monitor runs on the same beat: one container list + one HTTP probe per replica.
    const routes = new RouteSync(db, {
      setApp: async () => {},
      removeApp: async () => {},
      replaceAll: async () => {},
      waitIdle: async () => {},
    });
    // …and the app log collector at its default 2 s poll (json-file logs read from disk).
    const appLogs = startAppLogCollector({ db, docker });
    const health = startHealthMonitor(
      { db, docker, config: parseConfig({ KYOZO_NETWORK: 'host' }), routes, proxy: { mark: async () => {} }, instance },
      { intervalMs: 3_600_000 },
    );
    const cycles: number[] = [];
    const m0 = snapshot();
    const end = Date.now() + DURATION_S * 1000;
    while (Date.now() < end) {
      const c0 = performance.now();
      const [obs] = await Promise.all([monitor.runOnce(), health.tick()]);
      cycles.push(performance.now() - c0);
      if (cycles.length === 1)
        console.log(
          `cycle 1: ${obs?.replicas.length} replicas sampled, sources ${JSON.stringify(monitor.sampler.lastSources)}`,
        );
      await sleep(Math.max(0, Math.min(INTERVAL - (performance.now() - c0), end - Date.now())));
    }
    const m1 = snapshot();
    await monitor.stop();
    await health.stop();
    await appLogs.stop();
    const r = pct(m0, m1);
    const sorted = [...cycles].sort((x, y) => x - y);
    console.log(
      `measured (collector on, ${DURATION_S} s, ${cycles.length} cycles, interval ${INTERVAL} ms), % of one core:`,
      JSON.stringify(r),
    );
    console.log(
      `kyozo + dockerd + containerd = ${(r.kyozo + r.dockerd + r.containerd).toFixed(2)}% (baseline dockerd + containerd ${(pct(b0, b1).dockerd + pct(b0, b1).containerd).toFixed(2)}%)`,
    );
    console.log(
      `cycle ms: p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)}; sources ${JSON.stringify(monitor.sampler.lastSources)}`,
    );
  } finally {
    const left = await docker.list({ 'kyozo.bench': runId });
    await mapBounded(left, 8, (c) => docker.remove(c.id));
    console.log(`removed ${left.length} containers`);
    await database.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
