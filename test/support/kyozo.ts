// Runs a real Kyozo process (bin/kyozo.js serve) for end-to-end tests: own data dir, ports and database.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../server/db/embedded.ts';
import { ProxyClient } from '../../server/proxy/client.ts';
import { socketPathFor } from '../../server/proxy/supervisor.ts';
import { createTestDb } from './db.ts';

export const STANDIN_ENV = {
  KYOZO_IMAGE_NODE: 'kyozo/node-standin:20',
  KYOZO_IMAGE_NODE_BUILD: 'kyozo/node-standin:20',
  KYOZO_IMAGE_STATIC: 'kyozo/static-standin:1',
};

export interface KyozoProcess {
  url: string;
  port: number;
  proxyPort: number;
  token: string;
  dataDir: string;
  output(): string;
  /** This installation's id: the kyozo.instance label on every container it runs. */
  instance(): string;
  /** Stops the Kyozo process (the proxy daemon keeps running, as in production). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  /** Stops Kyozo and its proxy daemon and removes the data dir. */
  destroy(): Promise<void>;
}

export async function startKyozoProcess(opts: {
  /** Omitted: Kyozo starts its own embedded Postgres in the data dir, as a fresh install does. */
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<KyozoProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kyozo-e2e-'));
  const port = await freePort();
  const proxyPort = await freePort();
  const token = `kz_test_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const env = {
    ...process.env,
    ...STANDIN_ENV,
    KYOZO_PORT: String(port),
    KYOZO_PROXY_PORT: String(proxyPort),
    KYOZO_HOST: '127.0.0.1',
    KYOZO_DATA_DIR: dataDir,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    KYOZO_DOMAIN: 'localhost',
    KYOZO_ADMIN_TOKEN: token,
    // KYOZO_TEST_NETWORK=bridge runs the suite in bridge mode (on the testbed engine, see .ci/run).
    KYOZO_NETWORK: process.env.KYOZO_TEST_NETWORK ?? 'host',
    KYOZO_HEALTH_TIMEOUT_MS: '20000',
    KYOZO_DRAIN_MS: '1000',
    // Network rule: tests never reach a registry.
    KYOZO_PULL_IMAGES: 'false',
    ...opts.env,
  };
  if (!opts.databaseUrl) delete (env as Record<string, string | undefined>).DATABASE_URL;
  let child: ChildProcess | null = null;
  let out = '';
  const url = `http://127.0.0.1:${port}`;

  async function start() {
    child = spawn(process.execPath, [resolve('bin/kyozo.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`kyozo exited with ${child.exitCode}:\n${out}`);
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`kyozo did not answer /healthz within 60 s:\n${out}`);
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM') {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (c.exitCode === null) c.kill('SIGKILL');
  }

  await start();
  return {
    url,
    port,
    proxyPort,
    token,
    dataDir,
    start,
    stop,
    output: () => out,
    instance: () => readFileSync(join(dataDir, 'instance-id'), 'utf8').trim(),
    async destroy() {
      await stop();
      await new ProxyClient(socketPathFor(join(dataDir, 'run'))).shutdown().catch(() => {});
      // Apps outlive Kyozo by design; a test installation takes its containers, then its networks, volumes
      // and the images it built with it (all carry its kyozo.instance label).
      const instance = readFileSync(join(dataDir, 'instance-id'), 'utf8').trim();
      const labelled = (kind: string[]) =>
        execFileSync('docker', [...kind, '-q', '--filter', `label=kyozo.instance=${instance}`])
          .toString()
          .split('\n')
          .filter(Boolean);
      const rm = (args: string[]) => {
        try {
          execFileSync('docker', args, { stdio: 'ignore' });
        } catch {
          /* in use or gone: best effort */
        }
      };
      const ids = labelled(['ps', '-a']);
      if (ids.length) rm(['rm', '-f', '-v', ...ids]);
      const nets = labelled(['network', 'ls']);
      if (nets.length) rm(['network', 'rm', ...nets]);
      const vols = labelled(['volume', 'ls']);
      if (vols.length) rm(['volume', 'rm', ...vols]);
      const images = [...new Set(labelled(['images']))];
      if (images.length) rm(['rmi', '-f', ...images]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** JSON API call with the admin token (or another). */
export async function api(k: KyozoProcess, method: string, path: string, body?: unknown, token = k.token) {
  const res = await fetch(`${k.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* text body */
  }
  return { status: res.status, json, text };
}

/**
 * The usual end-to-end setup in one call: local base-image stand-ins (on the engine the env names), a
 * fresh database, and a Kyozo process on it; destroy() also drops the database.
 */
export async function startTestKyozo(opts: { env?: Record<string, string> } = {}): Promise<KyozoProcess> {
  const dockerHost = opts.env?.DOCKER_HOST;
  execFileSync('bash', ['scripts/build-stand-ins.sh'], {
    env: { ...process.env, ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}) },
    stdio: 'ignore',
  });
  const t = await createTestDb();
  const k = await startKyozoProcess({ databaseUrl: t.url, env: opts.env });
  return {
    ...k,
    async destroy() {
      try {
        await k.destroy();
      } finally {
        await t.drop();
      }
    },
  };
}
