// Console page benchmark: server time of every page (in-process app.request, so no network) with 100 apps
// and 30 days of metrics (1h tier for 30 d, 1m for 24 h, raw for 1 h; one replica + one service row each),
// 3 releases per app, 20k events, open alerts. Target: every page ≤ 50 ms.
//   npx tsx scripts/bench-console.ts [--apps=100] [--runs=30]
// Uses DATABASE_URL (a scratch database is created on it) or an embedded Postgres.
import { parseMetricsConfig } from '../server/metrics/config.ts';
import { Registry } from '../server/metrics/prometheus.ts';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { parseConfig } from '../server/config.ts';
import { connect, runMigrations } from '../server/db/client.ts';
import { ephemeralSecrets } from '../server/db/secrets.ts';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { bootstrapAdmin } from '../server/db/users.ts';
import { createApp } from '../server/http/app.ts';
import { LogBus } from '../server/logs/releaseLog.ts';
import { createFakeDockerPort } from '../server/runtime/fake.ts';
import { RouteSync } from '../server/runtime/routeSync.ts';
import { seedConsoleBench } from './bench-console-seed.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const APPS = Math.min(arg('apps', 100), 1000);
const RUNS = Math.min(arg('runs', 30), 1000);
const TOKEN = 'kz_bench_console_token_000000000000000';

const dir = mkdtempSync(join(tmpdir(), 'kyozo-bench-console-'));
chmodSync(dir, 0o755); // as root, initdb runs as the postgres user
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(join(dir, 'pg'), () => {});
let url = process.env.DATABASE_URL ?? embedded!.url;
if (process.env.DATABASE_URL) {
  const name = `kyozo_bench_${Date.now()}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  url = u.toString();
}
const database = connect(url, { max: 10, secrets: ephemeralSecrets() });
await runMigrations(database);
await bootstrapAdmin(database.db, TOKEN);
const t0 = performance.now();
const rows = await seedConsoleBench(database.sql, APPS);
console.log(`seeded ${APPS} apps, ${rows.toLocaleString()} metric rows in ${Math.round(performance.now() - t0)} ms`);
await database.sql`analyze`;

const sink = {
  setApp: async () => {},
  removeApp: async () => {},
  replaceAll: async () => {},
  waitIdle: async () => {},
};
const app = createApp({
  database,
  docker: createFakeDockerPort(),
  config: parseConfig({ KYOZO_DATA_DIR: dir }),
  bus: new LogBus(),
  routes: new RouteSync(database.db, sink),
  jobs: { enqueueDeploy: async () => {} },
  reposDir: join(dir, 'repos'),
  instance: 'bench',
  hookSecret: 'x',
  metricsConfig: parseMetricsConfig({}),
  registry: new Registry(),
});

// Sign in once through the real login form.
const login = await app.request('/login');
const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
const pre = login.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const signed = await app.request('/login', {
  method: 'POST',
  headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: csrf, email: 'admin@localhost', password: TOKEN }).toString(),
});
const cookie = signed.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');

const mid = `app-${String(Math.floor(APPS / 2)).padStart(3, '0')}`;
const pages = [
  '/',
  '/apps',
  `/apps/${mid}`,
  `/apps/${mid}/releases/3`,
  `/apps/${mid}/releases/3?level=error`,
  `/apps/${mid}/deploy`,
  '/metrics?range=1h',
  '/metrics?range=24h',
  '/metrics?range=7d',
  `/metrics?app=${mid}&range=1h`,
  `/metrics?app=${mid}&range=24h`,
  `/metrics?app=${mid}&range=7d`,
  '/events',
  `/events?app=${mid}`,
  '/tokens',
];
console.log(`\n${'page'.padEnd(40)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}   bytes`);
let worst = 0;
for (const path of pages) {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const s = performance.now();
    const res = await app.request(path, { headers: { cookie, accept: 'text/html' } });
    const body = await res.text();
    const ms = performance.now() - s;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    size = body.length;
    if (i >= 3) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const q = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))];
  worst = Math.max(worst, q(0.5));
  console.log(
    `${path.padEnd(40)} ${q(0.5).toFixed(1).padStart(6)}ms ${q(0.95).toFixed(1).padStart(6)}ms ${times[times.length - 1].toFixed(1).padStart(6)}ms   ${size}`,
  );
}
console.log(`\nslowest median: ${worst.toFixed(1)} ms (target ≤ 50 ms)`);
await database.close();
await embedded?.stop();
rmSync(dir, { recursive: true, force: true });
