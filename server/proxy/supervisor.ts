// Finds or starts the proxy daemon. A daemon of the same version and settings is reused (so a Kyozo
// restart is invisible to app traffic); a different one is replaced.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { ProxyClient } from './client.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface ProxySettings {
  port: number;
  host: string;
  domain: string;
  runDir: string;
  /** X-Forwarded-Port: the port clients connect to (KYOZO_PUBLIC_PROXY_PORT); default `port`. */
  publicPort?: number;
  /** KYOZO_TRUSTED_PROXIES: front proxies whose forwarding headers are kept; default none. */
  trustedProxies?: readonly string[];
}

/** Version = proxy source + settings: changing either replaces the daemon. */
export function proxyVersion(s: ProxySettings): string {
  const h = createHash('sha256');
  for (const f of readdirSync(here)
    .filter((f) => f.endsWith('.ts'))
    .sort())
    h.update(f).update(readFileSync(join(here, f)));
  h.update(JSON.stringify([s.port, s.host, s.domain, s.publicPort ?? s.port, s.trustedProxies ?? []]));
  return h.digest('hex').slice(0, 16);
}

export function socketPathFor(runDir: string): string {
  const p = join(runDir, 'proxy.sock');
  // Unix socket paths are limited to ~107 bytes.
  return Buffer.byteLength(p) < 100
    ? p
    : join('/tmp', `kyozo-proxy-${createHash('sha1').update(runDir).digest('hex').slice(0, 12)}.sock`);
}

export async function ensureProxyDaemon(s: ProxySettings, log: (m: string) => void): Promise<ProxyClient> {
  mkdirSync(s.runDir, { recursive: true });
  const client = new ProxyClient(socketPathFor(s.runDir));
  const version = proxyVersion(s);
  const running = await client.status().catch(() => null);
  if (running?.version === version) {
    log(`proxy: reusing daemon pid ${running.pid} (${running.apps} apps routed)`);
    return client;
  }
  if (running) {
    log(`proxy: replacing daemon pid ${running.pid} (version ${running.version} → ${version})`);
    await client.shutdown().catch(() => {});
    await waitFor(async () => !(await client.status().catch(() => null)), 5000);
  }
  killStale(join(s.runDir, 'proxy.pid'));
  const out = openSync(join(s.runDir, 'proxy.log'), 'a');
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, join(here, 'daemon.ts')], {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      KYOZO_PROXY_PORT: String(s.port),
      KYOZO_HOST: s.host,
      KYOZO_DOMAIN: s.domain,
      KYOZO_PUBLIC_PROXY_PORT: String(s.publicPort ?? s.port),
      KYOZO_TRUSTED_PROXIES: (s.trustedProxies ?? []).join(','),
      KYOZO_PROXY_SOCKET: client.socketPath,
      KYOZO_PROXY_PIDFILE: join(s.runDir, 'proxy.pid'),
      KYOZO_PROXY_VERSION: version,
    },
  });
  child.unref();
  closeSync(out);
  const ok = await waitFor(async () => (await client.status().catch(() => null))?.version === version, 15_000);
  if (!ok) throw new Error(`proxy daemon did not start on ${s.host}:${s.port}; see ${join(s.runDir, 'proxy.log')}`);
  log(`proxy: started daemon pid ${child.pid} on ${s.host}:${s.port}`);
  return client;
}

function killStale(pidFile: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (Number.isInteger(pid) && pid > 1)
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
