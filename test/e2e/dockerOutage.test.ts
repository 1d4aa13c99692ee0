// Docker outage: the test's own dockerd is stopped while an app is served. The API and the proxy keep
// answering, /healthz says docker is down, a push waits (queued, not failed); when dockerd is back the
// push completes on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDockerd, type TestDockerd } from '../support/dockerd.ts';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { loadLoop, viaProxy } from '../support/net.ts';
import { pushUrl, WorkingCopy } from '../support/gitRepo.ts';
import { until } from '../support/wait.ts';

const files = (v: string) => ({
  Dockerfile: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
  'server.js': `require('http').createServer((q, s) => s.end('${v}')).listen(Number(process.env.PORT));\nprocess.on('SIGTERM', () => process.exit(0));\n`,
});

describe('docker outage', () => {
  let d: TestDockerd;
  let k: KyozoProcess;
  beforeAll(async () => {
    d = await startTestDockerd();
    k = await startTestKyozo({ env: { DOCKER_HOST: d.host, KYOZO_HEALTH_INTERVAL_MS: '1000' } });
  });
  afterAll(async () => {
    await k?.destroy().catch(() => {});
    await d?.destroy();
  });

  it('keeps serving and answering while dockerd is down; a push waits and completes when it is back', async () => {
    expect((await api(k, 'POST', '/api/apps', { name: 'calm' })).status).toBe(201);
    const wc = new WorkingCopy();
    await wc.write(files('v1'));
    await wc.commit('v1');
    expect((await wc.push(pushUrl(k.port, k.token, 'calm'))).out).toContain('Release v1 is live');

    const load = loadLoop(k.proxyPort, 'calm.localhost');
    await d.stop();
    const health = await until(
      async () => (await fetch(`${k.url}/healthz`)).json(),
      (h) => h.docker === 'down',
      15_000,
    );
    expect(health).toEqual({ status: 'ok', db: 'ok', docker: 'down' });
    expect((await api(k, 'GET', '/api/apps/calm')).json).toMatchObject({ status: 'live' });
    expect((await viaProxy(k.proxyPort, 'calm.localhost')).body).toBe('v1');

    await wc.write(files('v2'));
    await wc.commit('v2');
    const pushing = wc.push(pushUrl(k.port, k.token, 'calm'));
    const queued = await until(
      async () => (await api(k, 'GET', '/api/apps/calm/releases')).json[0],
      (r) => r?.version === 2,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const waiting = (await api(k, 'GET', '/api/apps/calm/releases/2')).json;
    expect(['queued', 'building']).toContain(waiting.status);
    expect(queued.error).toBeNull();
    expect((await viaProxy(k.proxyPort, 'calm.localhost')).body).toBe('v1');

    await d.start();
    const out = await pushing;
    expect(out.out).toContain('Release v2 is live');
    expect((await viaProxy(k.proxyPort, 'calm.localhost')).body).toBe('v2');
    await until(
      async () => (await fetch(`${k.url}/healthz`)).json(),
      (h) => h.docker === 'ok',
      15_000,
    );
    const stats = await load.stop();
    expect(stats.failures).toEqual([]);
  });
});
