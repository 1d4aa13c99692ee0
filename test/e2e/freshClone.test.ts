// A new server's first day, as root: a fresh clone in a 0700 home-like folder (as /root is), `npm ci`, then
// `npm start` with no settings for the database: the embedded Postgres (which runs as the postgres user)
// must start from there and Kyozo must answer /healthz.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/db/embedded.ts';
import { until } from '../support/wait.ts';

// Network-mode independent (it deploys nothing): the host pass runs it, the bridge pass skips it.
const asRoot = process.getuid?.() === 0 && process.env.KYOZO_TEST_NETWORK !== 'bridge';

describe.runIf(asRoot)('fresh clone in a 0700 folder', () => {
  const home = mkdtempSync(join(tmpdir(), 'kyozo-home-'));
  chmodSync(home, 0o700);
  const dir = join(home, 'kyozo');
  let child: ChildProcess | null = null;
  let out = '';
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    // The proxy daemon outlives Kyozo by design: stop it through its pid file.
    try {
      execFileSync('sh', ['-c', `kill $(cat ${join(dir, '.kyozo/run/proxy.pid')}) 2>/dev/null || true`]);
    } catch {
      /* not started */
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('npm ci && npm start serves /healthz', async () => {
    execFileSync('git', ['clone', '-q', resolve('.'), dir]);
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev'], {
      cwd: dir,
      stdio: 'ignore',
      timeout: 600_000,
    });
    const port = await freePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      KYOZO_PORT: String(port),
      KYOZO_PROXY_PORT: String(await freePort()),
      KYOZO_HOST: '127.0.0.1',
      KYOZO_NETWORK: 'host',
      KYOZO_PULL_IMAGES: 'false',
      KYOZO_METRICS: 'false',
    };
    delete env.DATABASE_URL;
    delete env.KYOZO_DATA_DIR;
    child = spawn('npm', ['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const health = await until(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.json(),
          () => (child!.exitCode !== null ? { exited: child!.exitCode } : null),
        ),
      (h) => h !== null,
      120_000,
      500,
    );
    expect(health, out).toMatchObject({ status: 'ok', db: 'ok' });
    expect(statSync(home).mode & 0o777).toBe(0o701); // only the search bit was added, never read
    expect(out).toContain('Admin API token');
  }, 900_000);
});
