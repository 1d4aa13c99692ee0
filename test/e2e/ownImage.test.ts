// Kyozo run from its own image (the top-level Dockerfile) with the Docker socket mounted, in bridge mode on
// an engine with real bridge networking: it joins each app's network to reach the replicas, and a new Kyozo
// container on the same data volume rejoins the networks of the apps that are live. Bridge pass only
// (npm run test:bridge): the image is built on the plain engine (its build needs the npm registry through
// the host network) and copied to the testbed engine with docker save | docker load.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushUrl, WorkingCopy } from '../support/gitRepo.ts';
import { STANDIN_ENV } from '../support/kyozo.ts';
import { until } from '../support/wait.ts';

const bridge = process.env.KYOZO_TEST_NETWORK === 'bridge';
const testbed = process.env.DOCKER_HOST ?? '';
const plain = 'unix:///var/run/docker.sock';
const TAG = 'kyozo:e2e';
const NAME = `kyozo-self-${process.pid}`;
const VOLUME = `${NAME}-data`;
const token = `kz_self_${Math.random().toString(36).slice(2)}`;

const docker = (args: string[], host = testbed) =>
  execFileSync('docker', ['-H', host, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();

function runKyozo(): string {
  const env = { ...STANDIN_ENV, KYOZO_ADMIN_TOKEN: token, KYOZO_PULL_IMAGES: 'false', KYOZO_DOMAIN: 'localhost' };
  docker([
    'run', '-d', '--name', NAME, '-v', `${testbed.replace('unix://', '')}:/var/run/docker.sock`,
    '-v', `${VOLUME}:/var/lib/kyozo`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), TAG,
  ]); // prettier-ignore
  return docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', NAME]);
}

async function healthy(ip: string) {
  await until(
    () =>
      fetch(`http://${ip}:3000/healthz`).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s === 200,
    120_000,
  );
}

/** GET / with a Host header through the proxy at ip:8080 (fetch cannot set Host). */
const viaProxyAt = (ip: string, host: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get({ host: ip, port: 8080, path: '/', headers: { host }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });

describe.runIf(bridge)('Kyozo from its own image in bridge mode', () => {
  let ip: string;
  beforeAll(async () => {
    execFileSync('bash', ['scripts/build-kyozo-image.sh', TAG], {
      env: { ...process.env, DOCKER_HOST: plain },
      stdio: 'ignore',
    });
    execFileSync('bash', ['-c', `docker -H ${plain} save ${TAG} | docker -H ${testbed} load -q`], { stdio: 'ignore' });
    ip = runKyozo();
    await healthy(ip);
  }, 900_000);
  afterAll(() => {
    // Only what this installation made (its kyozo.instance label): other suites share the testbed engine.
    const instance = docker(['run', '--rm', '-v', `${VOLUME}:/d`, '--entrypoint', 'cat', TAG, '/d/instance-id']);
    docker(['rm', '-f', NAME]);
    const ids = docker(['ps', '-aq', '--filter', `label=kyozo.instance=${instance}`])
      .split('\n')
      .filter(Boolean);
    if (ids.length) docker(['rm', '-f', '-v', ...ids]);
    // Its app networks (and any volumes) carry the instance label too; leave none behind on the testbed.
    const nets = docker(['network', 'ls', '-q', '--filter', `label=kyozo.instance=${instance}`])
      .split('\n')
      .filter(Boolean);
    if (nets.length) docker(['network', 'rm', ...nets]);
    const vols = docker(['volume', 'ls', '-q', '--filter', `label=kyozo.instance=${instance}`])
      .split('\n')
      .filter(Boolean);
    if (vols.length) docker(['volume', 'rm', '-f', ...vols]);
    docker(['volume', 'rm', '-f', VOLUME]);
  });

  it('deploys a pushed app, serves it through its proxy, and rejoins the network after a new container', async () => {
    const created = await fetch(`http://${ip}:3000/api/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'inside' }),
    });
    expect(created.status).toBe(201);
    const wc = new WorkingCopy();
    await wc.write({
      Dockerfile: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
      'server.js': `require('http').createServer((q, s) => s.end('inside')).listen(Number(process.env.PORT));\nprocess.on('SIGTERM', () => process.exit(0));\n`,
    });
    await wc.commit('v1');
    const push = await wc.push(pushUrl(3000, token, 'inside').replace('127.0.0.1', ip));
    expect(push.out).toContain('Release v1 is live');
    expect(await viaProxyAt(ip, 'inside.localhost')).toEqual({ status: 200, body: 'inside' });
    const networks = docker(['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', NAME]);
    expect(networks.split(' ').filter(Boolean).length).toBeGreaterThanOrEqual(2); // bridge + the app's network

    // A new Kyozo container on the same data: it rejoins the app network at start and serves at once.
    docker(['rm', '-f', NAME]);
    ip = runKyozo();
    await healthy(ip);
    const r = await until(
      () => viaProxyAt(ip, 'inside.localhost').catch(() => ({ status: 0, body: '' })),
      (x) => x.status === 200,
      30_000,
    );
    expect(r.body).toBe('inside');
  });
});
