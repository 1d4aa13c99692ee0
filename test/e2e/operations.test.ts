// Operations end to end: scale under load, a killed replica replaced by the monitor, a crash loop
// detected, stop/start, resource limits rolled out. Real Kyozo process, git, Postgres, Docker, proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { loadLoop, viaProxy } from '../support/net.ts';
import { pushUrl, WorkingCopy } from '../support/gitRepo.ts';
import { until } from '../support/wait.ts';

const app = (exitAfterMs = 0) => ({
  Dockerfile: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
  'server.js': `
const http = require('http');
http.createServer((req, res) => res.end(process.env.PORT + '@' + require('os').hostname())).listen(Number(process.env.PORT));
${exitAfterMs ? `setTimeout(() => process.exit(1), ${exitAfterMs});` : ''}
process.on('SIGTERM', () => process.exit(0));
`,
});

const appState = async (k: KyozoProcess, name: string) => (await api(k, 'GET', `/api/apps/${name}`)).json;
const replicasOf = async (k: KyozoProcess, name: string) =>
  (await appState(k, name)).services[0].replicas as { containerId: string; state: string }[];

describe('operations', () => {
  let k: KyozoProcess;
  beforeAll(async () => {
    k = await startTestKyozo({
      env: { KYOZO_HEALTH_INTERVAL_MS: '400', KYOZO_RESTART_BACKOFF_MS: '100', KYOZO_METRICS_INTERVAL_MS: '1000' },
    });
    for (const [name, files] of [
      ['ops', app()],
      ['flaky', app(2500)],
    ] as const) {
      expect((await api(k, 'POST', '/api/apps', { name })).status).toBe(201);
      const wc = new WorkingCopy();
      await wc.write(files);
      await wc.commit('init');
      expect((await wc.push(pushUrl(k.port, k.token, name))).out).toContain('Release v1 is live');
    }
  });
  afterAll(async () => {
    await k?.destroy();
  });

  it('scales to 3 and back to 1 under load with 0 failed requests, balancing across replicas', async () => {
    const load = loadLoop(k.proxyPort, 'ops.localhost');
    const r = await api(k, 'POST', '/api/apps/ops/scale', { web: 3 });
    expect(r.status).toBe(202);
    await until(
      () => replicasOf(k, 'ops'),
      (rs) => rs.length === 3 && rs.every((x) => x.state === 'running'),
    );
    expect(runningContainers(k, 'ops')).toBe(3);
    // Each replica answers PORT@hostname: distinct ports on the host network, distinct hostnames on a bridge.
    const replicasSeen = new Set<string>();
    for (let i = 0; i < 12; i++) replicasSeen.add((await viaProxy(k.proxyPort, 'ops.localhost')).body);
    expect(replicasSeen.size).toBe(3);
    await api(k, 'POST', '/api/apps/ops/scale', { web: 1 });
    await until(
      () => replicasOf(k, 'ops'),
      (rs) => rs.length === 1,
    );
    await until(
      async () => runningContainers(k, 'ops'),
      (n) => n === 1,
      20_000,
    );
    await new Promise((res) => setTimeout(res, 1000));
    expect((await load.stop()).failures).toEqual([]);
    expect((await api(k, 'POST', '/api/apps/ops/scale', { nope: 2 })).json.error).toMatch(/nope is not a service/);
    expect((await api(k, 'POST', '/api/apps/ops/scale', { web: 'x' })).status).toBe(400);
  });

  it('replaces a replica that dies, taking it out of the proxy at once', async () => {
    await api(k, 'POST', '/api/apps/ops/scale', { web: 2 });
    const before = await until(
      () => replicasOf(k, 'ops'),
      (rs) => rs.length === 2 && rs.every((x) => x.state === 'running'),
    );
    const load = loadLoop(k.proxyPort, 'ops.localhost');
    execFileSync('docker', ['kill', before[0].containerId]);
    const after = await until(
      () => replicasOf(k, 'ops'),
      (rs) => rs.length === 2 && !rs.some((x) => x.containerId === before[0].containerId),
    );
    expect(after.map((x) => x.containerId)).toContain(before[1].containerId);
    await new Promise((res) => setTimeout(res, 500));
    expect((await load.stop()).failures).toEqual([]);
    const events = (await api(k, 'GET', '/api/apps/ops')).json;
    expect(events.services[0].replicas.every((x: { state: string }) => x.state === 'running')).toBe(true);
  });

  it('detects a crash loop, marks the replica crashed and stops restarting it', async () => {
    const rs = await until(
      () => replicasOf(k, 'flaky'),
      (x) => x[0]?.state === 'crashed',
      90_000,
    );
    expect((await appState(k, 'flaky')).services[0].status).toBe('crashed');
    const alert = await until(
      async () => (await api(k, 'GET', '/api/alerts?app=flaky')).json,
      (a) => JSON.stringify(a).includes('crash-loop'),
      20_000,
    );
    expect(JSON.stringify(alert)).toMatch(/crash-loop/);
    const id = rs[0].containerId;
    await new Promise((res) => setTimeout(res, 3000));
    expect((await replicasOf(k, 'flaky'))[0].containerId).toBe(id);
  });

  it('stops and starts an app: its host answers 503 while stopped', async () => {
    expect((await api(k, 'POST', '/api/apps/ops/stop')).status).toBe(202);
    const r = await viaProxy(k.proxyPort, 'ops.localhost');
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/stopped/i);
    expect(
      execFileSync('docker', [
        'ps',
        '-q',
        '--filter',
        'label=kyozo.app.name=ops',
        '--filter',
        `label=kyozo.instance=${k.instance()}`,
      ])
        .toString()
        .trim(),
    ).toBe('');
    const s = await api(k, 'POST', '/api/apps/ops/start');
    expect(s.status).toBe(202);
    await until(
      () => viaProxy(k.proxyPort, 'ops.localhost'),
      (x) => x.status === 200,
    );
    expect((await appState(k, 'ops')).status).toBe('live');
  });

  it('rolls out new resource limits with zero downtime', async () => {
    const load = loadLoop(k.proxyPort, 'ops.localhost');
    const r = await api(k, 'PATCH', '/api/apps/ops/resources', { web: { memoryMb: 96, cpus: 0.25 } });
    expect(r.status).toBe(202);
    const rs = await until(
      () => replicasOf(k, 'ops'),
      (x) =>
        x.length > 0 && x.every((y) => y.state === 'running') && inspectMemory(x[0].containerId) === 96 * 1024 * 1024,
    );
    expect(rs.length).toBe(2);
    await new Promise((res) => setTimeout(res, 800));
    expect((await load.stop()).failures).toEqual([]);
    expect((await api(k, 'PATCH', '/api/apps/ops/resources', { web: { memoryMb: 1 } })).json.error).toMatch(
      /web.memoryMb/,
    );
  });
});

function inspectMemory(id: string): number {
  try {
    return Number(execFileSync('docker', ['inspect', '-f', '{{.HostConfig.Memory}}', id]).toString().trim());
  } catch {
    return -1;
  }
}

function runningContainers(k: KyozoProcess, app: string): number {
  return execFileSync('docker', [
    'ps',
    '-q',
    '--filter',
    `label=kyozo.app.name=${app}`,
    '--filter',
    `label=kyozo.instance=${k.instance()}`,
  ])
    .toString()
    .split('\n')
    .filter(Boolean).length;
}
