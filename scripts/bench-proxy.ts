// Proxy benchmark: req/s and p50/p99 latency through the Kyozo proxy vs. straight to the upstream.
// Upstream and proxy run in their own processes (like production); this process is the load generator.
// 127.0.0.1 only, bounded in time and count.
//   npx tsx scripts/bench-proxy.ts [--duration=10] [--concurrency=32] [--replicas=2]
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createProxyServer } from '../server/proxy/server.ts';
import { RouteTable } from '../server/proxy/routeTable.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const MAX_REQUESTS = 2_000_000;

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function child(role: string): Promise<void> {
  let port: number;
  if (role === 'upstream') {
    port = await listen(
      http.createServer((_req, res) => {
        res.setHeader('content-type', 'text/plain');
        res.end('hello world\n');
      }),
    );
  } else {
    const routes = new RouteTable('localhost');
    const ports = JSON.parse(process.env.BENCH_UPSTREAMS ?? '[]') as number[];
    routes.setApp({
      app: 'bench',
      state: 'live',
      primary: 'web',
      services: [{ service: 'web', upstreams: ports.map((p) => ({ host: '127.0.0.1', port: p })) }],
    });
    port = await listen(createProxyServer({ routes, log: (m) => console.error(m) }));
  }
  process.send!({ port });
  process.on('disconnect', () => process.exit(0));
}

function start(role: string, env: Record<string, string> = {}): Promise<{ proc: ChildProcess; port: number }> {
  const proc = fork(fileURLToPath(import.meta.url), ['--role=' + role], { env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve({ proc, port: m.port }));
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

type Result = { label: string; requests: number; errors: number; rps: number; p50: number; p99: number };

async function load(label: string, port: number, host: string, seconds: number, concurrency: number): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const once = () =>
    new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', agent, headers: { host } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end();
    });
  const warmEnd = Date.now() + 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < warmEnd) await once();
    }),
  );
  const lat = new Float64Array(MAX_REQUESTS);
  let n = 0;
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && n < MAX_REQUESTS) {
        const s = performance.now();
        if ((await once()) !== 200) errors++;
        lat[n++] = performance.now() - s;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = lat.slice(0, n).sort();
  const pct = (p: number) => sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)];
  return { label, requests: n, errors, rps: n / elapsed, p50: pct(50), p99: pct(99) };
}

async function main(): Promise<void> {
  const seconds = Math.min(arg('duration', 10), 60);
  const concurrency = Math.min(arg('concurrency', 32), 256);
  const replicas = Math.min(arg('replicas', 2), 8);
  const upstreams = await Promise.all(Array.from({ length: replicas }, () => start('upstream')));
  const proxy = await start('proxy', { BENCH_UPSTREAMS: JSON.stringify(upstreams.map((u) => u.port)) });
  try {
    const results = [
      await load('direct (1 upstream)', upstreams[0].port, 'localhost', seconds, concurrency),
      await load(`proxy (${replicas} replicas)`, proxy.port, 'bench.localhost', seconds, concurrency),
    ];
    console.log(`node ${process.version}, ${seconds}s per run, concurrency ${concurrency}, 1 s warm-up\n`);
    console.log('| target | requests | errors | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|');
    for (const r of results)
      console.log(
        `| ${r.label} | ${r.requests} | ${r.errors} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
      );
  } finally {
    for (const c of [...upstreams, proxy]) c.proc.kill();
  }
}

const role = process.argv.find((a) => a.startsWith('--role='))?.split('=')[1];
await (role ? child(role) : main());
