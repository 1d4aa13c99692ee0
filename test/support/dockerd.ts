// A Docker engine of the test's own (separate socket, data and exec roots, live-restore), so a test can
// stop and start "dockerd" without touching the engine everything else uses.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface TestDockerd {
  host: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

const TESTBED = join(import.meta.dirname, '../../scripts/testbed/lib.sh');

/** Runs one function of scripts/testbed/lib.sh (engines in network namespaces with real bridge networking). */
function testbed(script: string): void {
  execFileSync('bash', ['-c', `. ${TESTBED} && ${script}`], { stdio: 'ignore', timeout: 120_000 });
}

/**
 * Bridge mode (KYOZO_TEST_NETWORK=bridge): the engine runs in a testbed network namespace of its own, so its
 * containers get real bridge addresses the host reaches through a route (never a host-local 172.x bridge).
 */
async function startBridgeDockerd(): Promise<TestDockerd> {
  const name = `out${process.pid % 100000}`;
  const subnet = '10.213.32.0/20';
  const nodeIp = '10.213.1.30';
  const host = `unix:///tmp/kz/${name}/docker.sock`;
  const start = async () =>
    testbed(
      `kz_bridge && kz_node ${name} ${nodeIp} && kz_engine ${name} --default-address-pool base=${subnet},size=24 --live-restore && ip route replace ${subnet} via ${nodeIp} dev kz-br0`,
    );
  const stop = async () => {
    execFileSync('bash', [
      '-c',
      `kill -TERM $(cat /tmp/kz/${name}/dockerd.pid) 2>/dev/null; for i in $(seq 1 40); do kill -0 $(cat /tmp/kz/${name}/dockerd.pid) 2>/dev/null || exit 0; sleep 0.5; done`,
    ]);
  };
  await start();
  return {
    host,
    start,
    stop,
    async destroy() {
      testbed(`ip route del ${subnet} 2>/dev/null; kz_stop_engine ${name}; kz_del_node ${name}`);
    },
  };
}

export async function startTestDockerd(): Promise<TestDockerd> {
  if (process.env.KYOZO_TEST_NETWORK === 'bridge') return startBridgeDockerd();
  // Short path: the engine's sockets live under it and unix socket paths are limited to ~107 bytes.
  const dir = mkdtempSync('/tmp/kzd-');
  const sock = join(dir, 'd.sock');
  const host = `unix://${sock}`;
  let child: ChildProcess | null = null;
  const env = { ...process.env, DOCKER_HOST: host };

  async function start() {
    child = spawn(
      'dockerd',
      [
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'x'),
        '--pidfile',
        join(dir, 'pid'),
        '-H',
        host,
        '--bridge=none',
        '--iptables=false',
        '--ip-masq=false',
        '--live-restore',
      ],
      { stdio: 'ignore' },
    );
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      try {
        execFileSync('docker', ['info'], { env, stdio: 'ignore' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    throw new Error('test dockerd did not start');
  }

  async function stop() {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  }

  await start();
  return {
    host,
    start,
    stop,
    async destroy() {
      try {
        const ids = execFileSync('docker', ['ps', '-aq'], { env }).toString().split('\n').filter(Boolean);
        if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { env, stdio: 'ignore' });
      } catch {
        /* engine already gone */
      }
      await stop();
      try {
        process.kill(Number(readFileSync(join(dir, 'pid'), 'utf8')), 'SIGKILL');
      } catch {
        /* not running */
      }
      // dockerd leaves mounts behind (netns, overlay): unmount everything under the dir, deepest first.
      const mounts = readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1])
        .filter((m) => m?.startsWith(dir + '/'));
      for (const m of mounts.sort((a, b) => b.length - a.length))
        execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
