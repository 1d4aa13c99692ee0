// End to end with real parts: a Kyozo process, real git, real Postgres, real Docker (host network), real proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { loadLoop, viaProxy } from '../support/net.ts';
import { pushUrl, run, WorkingCopy } from '../support/gitRepo.ts';
import { until } from '../support/wait.ts';

const server = (version: string) => `
const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/env') return res.end(JSON.stringify({ GREETING: process.env.GREETING ?? null }));
  res.end('${version} ' + (process.env.GREETING ?? '-'));
}).listen(Number(process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`;

const dockerfileApp = (version: string) => ({
  Dockerfile: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
  'server.js': server(version),
});

const nodeApp = (version: string) => ({
  'package.json': JSON.stringify({ name: 'hello', version: '1.0.0', scripts: { start: 'node index.js' } }, null, 2),
  'index.js': server(version),
  'README.md': '# hello\n',
});

const containersOf = (app: string, instance: string) =>
  execFileSync('docker', [
    'ps',
    '-aq',
    '--filter',
    `label=kyozo.app.name=${app}`,
    '--filter',
    `label=kyozo.instance=${instance}`,
  ])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean);

describe('git push to deploy', () => {
  let k: KyozoProcess;
  beforeAll(async () => {
    k = await startTestKyozo();
  });
  afterAll(async () => {
    await k?.destroy();
  });

  it('answers /healthz without auth and refuses the API without a token', async () => {
    const h = await fetch(`${k.url}/healthz`);
    expect(await h.json()).toEqual({ status: 'ok', db: 'ok', docker: 'ok' });
    expect((await api(k, 'GET', '/api/apps', undefined, 'nope')).status).toBe(401);
    expect((await fetch(`${k.url}/api/apps`)).status).toBe(401);
  });

  it('validates app names and refuses duplicates', async () => {
    expect((await api(k, 'POST', '/api/apps', { name: 'Bad_Name' })).status).toBe(400);
    expect((await api(k, 'POST', '/api/apps', { name: 42 })).json.error).toMatch(/name/);
    expect((await api(k, 'POST', '/api/apps', '{"name":')).status).toBe(400);
    const created = await api(k, 'POST', '/api/apps', { name: 'dock' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'dock',
      gitUrl: expect.stringContaining('/git/dock.git'),
      url: `http://dock.localhost:${k.proxyPort}`,
    });
    expect((await api(k, 'POST', '/api/apps', { name: 'dock' })).status).toBe(409);
    expect((await api(k, 'GET', '/api/apps/nope')).status).toBe(404);
  });

  it('refuses wrong credentials on every git endpoint', async () => {
    const wc = new WorkingCopy();
    await wc.write(dockerfileApp('v0'));
    await wc.commit('init');
    const push = await wc.push(pushUrl(k.port, 'wrong-token', 'dock'));
    expect(push.code).not.toBe(0);
    expect(push.out).toMatch(/401|Authentication failed/i);
    const clone = await run('git', ['clone', pushUrl(k.port, 'wrong-token', 'dock'), 'c'], wc.dir);
    expect(clone.code).not.toBe(0);
    const raw = await fetch(`${k.url}/git/dock.git/git-receive-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-git-receive-pack-request' },
      body: '0000',
    });
    expect(raw.status).toBe(401);
    const unknown = await fetch(`${k.url}/git/nope.git/info/refs?service=git-receive-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${k.token}`).toString('base64')}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('deploys a Dockerfile app, redeploys it under load with 0 failures, keeps serving through a broken push', async () => {
    const wc = new WorkingCopy();
    await wc.write(dockerfileApp('v1'));
    await wc.commit('v1');
    const first = await wc.push(pushUrl(k.port, k.token, 'dock'));
    expect(first.out).toContain(`remote: Release v1 is live at http://dock.localhost:${k.proxyPort}`);
    expect(first.out).toMatch(/remote: .*confidence/);
    expect((await viaProxy(k.proxyPort, 'dock.localhost')).body).toBe('v1 -');

    const load = loadLoop(k.proxyPort, 'dock.localhost');
    await wc.write(dockerfileApp('v2'));
    await wc.commit('v2');
    const second = await wc.push(pushUrl(k.port, k.token, 'dock'));
    expect(second.out).toContain('Release v2 is live');
    await new Promise((r) => setTimeout(r, 1500));
    const stats = await load.stop();
    expect(stats.failures).toEqual([]);
    expect(stats.bodies.get('v2 -')).toBeGreaterThan(0);

    await wc.write({ Dockerfile: 'FROM kyozo/node-standin:20\nRUN exit 3\n' });
    await wc.commit('broken');
    const broken = await wc.push(pushUrl(k.port, k.token, 'dock'));
    expect(broken.out).toMatch(/remote: ! Release v3 failed: .*v2 is still live/);
    expect((await viaProxy(k.proxyPort, 'dock.localhost')).body).toBe('v2 -');
    const releases = await api(k, 'GET', '/api/apps/dock/releases');
    expect(releases.json.map((r: { version: number; status: string }) => [r.version, r.status])).toEqual([
      [3, 'failed'],
      [2, 'live'],
      [1, 'superseded'],
    ]);
    expect(releases.json[0].error).toMatch(/non-zero code: 3|exit/);
    const log = await api(k, 'GET', '/api/apps/dock/releases/3/log');
    expect(log.text).toContain('! Release v3 failed');
  });

  it('deploys a Node app with a generated Dockerfile, rolls config out with zero downtime and masks secrets', async () => {
    expect((await api(k, 'POST', '/api/apps', { name: 'hello' })).status).toBe(201);
    const wc = new WorkingCopy();
    await wc.write(nodeApp('n1'));
    await wc.commit('n1');
    const push = await wc.push(pushUrl(k.port, k.token, 'hello'));
    expect(push.out).toContain('Release v1 is live');
    expect(push.out).toMatch(/generated Dockerfile/);
    expect((await viaProxy(k.proxyPort, 'hello.localhost')).body).toBe('n1 -');
    const analysis = await api(k, 'GET', '/api/apps/hello/releases/1/analysis');
    expect(analysis.json.services[0]).toMatchObject({ runtime: 'node', type: 'web' });

    const load = loadLoop(k.proxyPort, 'hello.localhost');
    const patched = await api(k, 'PATCH', '/api/apps/hello/config', { GREETING: 'sekrit-value-123' });
    expect(patched.status).toBe(200);
    expect(patched.json.release.version).toBe(2);
    await until(
      async () => (await api(k, 'GET', '/api/apps/hello')).json.liveRelease?.version,
      (v) => v === 2,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const stats = await load.stop();
    expect(stats.failures).toEqual([]);
    expect((await viaProxy(k.proxyPort, 'hello.localhost', '/env')).body).toBe('{"GREETING":"sekrit-value-123"}');
    expect((await api(k, 'GET', '/api/apps/hello/config')).json).toEqual({ GREETING: 'sekrit-value-123' });
    expect((await api(k, 'PATCH', '/api/apps/hello/config', { GREETING: 5 })).json.error).toMatch(/GREETING/);
    const log = await api(k, 'GET', '/api/apps/hello/releases/2/log');
    expect(log.text).not.toContain('sekrit-value-123');
  });

  it('serves a static site, falling back to index.html for client-side routes', async () => {
    expect((await api(k, 'POST', '/api/apps', { name: 'site' })).status).toBe(201);
    const wc = new WorkingCopy();
    await wc.write({ 'index.html': '<!doctype html><h1>single page</h1>\n', 'app.js': 'console.log(1)\n' });
    await wc.commit('site');
    const push = await wc.push(pushUrl(k.port, k.token, 'site'));
    expect(push.out).toContain('Release v1 is live');
    expect((await viaProxy(k.proxyPort, 'site.localhost')).body).toContain('single page');
    expect((await viaProxy(k.proxyPort, 'site.localhost', '/app.js')).body).toBe('console.log(1)\n');
    expect((await viaProxy(k.proxyPort, 'site.localhost', '/deep/client/route')).body).toContain('single page');
  });

  it('keeps apps served while Kyozo restarts', async () => {
    const load = loadLoop(k.proxyPort, 'dock.localhost', { concurrency: 2 });
    await new Promise((r) => setTimeout(r, 300));
    await k.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await k.start();
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await load.stop();
    expect(stats.failures).toEqual([]);
    expect(stats.sent).toBeGreaterThan(10);
    expect((await api(k, 'GET', '/api/apps/dock')).json).toMatchObject({ status: 'live', liveRelease: { version: 2 } });
  });

  it('stores other branches without deploying them', async () => {
    const wc = new WorkingCopy();
    await wc.write(dockerfileApp('feature'));
    await wc.commit('feature');
    const push = await wc.push(pushUrl(k.port, k.token, 'dock'), 'feature-x');
    expect(push.code).toBe(0);
    expect(push.out).toContain('remote: Branch feature-x stored; only main/master deploy.');
    expect((await api(k, 'GET', '/api/apps/dock/releases')).json[0].version).toBe(3);
  });

  it('refuses a second user on the host network, naming the setting', async () => {
    const r = await api(k, 'POST', '/api/users', { email: 'bob@example.com' });
    if (process.env.KYOZO_TEST_NETWORK === 'bridge') return void expect(r.status).toBe(201);
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/KYOZO_NETWORK=host .* not isolated.*KYOZO_NETWORK=bridge/);
  });

  // Tenancy is a bridge-mode property (host mode has one user): this runs in the bridge pass (npm run test:bridge).
  it.runIf(process.env.KYOZO_TEST_NETWORK === 'bridge')(
    'keeps tenants apart: another user sees, changes and pushes none of your apps',
    async () => {
      const bob = await api(k, 'POST', '/api/users', { email: 'bob2@example.com' });
      expect(bob.status).toBe(201);
      const tb = bob.json.token as string;
      expect((await api(k, 'POST', '/api/users', { email: 'eve@example.com' }, tb)).status).toBe(403);
      expect((await api(k, 'GET', '/api/apps', undefined, tb)).json).toEqual([]);
      expect((await api(k, 'GET', '/api/apps/dock', undefined, tb)).status).toBe(404);
      expect((await api(k, 'PATCH', '/api/apps/dock/config', { X: '1' }, tb)).status).toBe(404);
      expect((await api(k, 'GET', '/api/apps/dock/releases/1/log', undefined, tb)).status).toBe(404);
      expect((await api(k, 'DELETE', '/api/apps/dock', undefined, tb)).status).toBe(404);
      const wc = new WorkingCopy();
      await wc.write(dockerfileApp('bob'));
      await wc.commit('bob');
      const push = await wc.push(pushUrl(k.port, tb, 'dock'));
      expect(push.code).not.toBe(0);
      expect(push.out).toMatch(/not found|404/);
      expect((await api(k, 'POST', '/api/apps', { name: 'bobs' }, tb)).status).toBe(201);
      expect((await api(k, 'GET', '/api/apps', undefined, tb)).json.map((a: { name: string }) => a.name)).toEqual([
        'bobs',
      ]);
      const events = await api(k, 'GET', '/api/events?app=dock', undefined, tb);
      expect(events.json.events ?? []).toEqual([]);
    },
  );

  it('fails a push with nothing deployable, saying what it looked for', async () => {
    const wc = new WorkingCopy();
    await wc.write({ 'README.md': '# just notes\n', 'notes/todo.txt': 'nothing to run here\n' });
    await wc.commit('notes');
    expect((await api(k, 'POST', '/api/apps', { name: 'notes' })).status).toBe(201);
    const push = await wc.push(pushUrl(k.port, k.token, 'notes'));
    expect(push.out).toMatch(/remote: ! Release v1 failed: nothing deployable found\..*(Dockerfile|package\.json)/);
  });

  it('deletes an app with its containers, route and repository', async () => {
    expect(containersOf('hello', k.instance()).length).toBeGreaterThan(0);
    expect((await api(k, 'DELETE', '/api/apps/hello')).status).toBe(200);
    expect(containersOf('hello', k.instance())).toEqual([]);
    expect((await viaProxy(k.proxyPort, 'hello.localhost')).status).toBe(404);
    expect((await api(k, 'GET', '/api/apps/hello')).status).toBe(404);
  });
});
