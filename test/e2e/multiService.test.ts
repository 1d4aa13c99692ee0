// Issue "one push, many services", end to end: a compose stack of three Dockerfile services plus a
// backing service from a local image, deployed, broken, changed, reconfigured and rolled back together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { loadLoop, viaProxy } from '../support/net.ts';
import { pushUrl, WorkingCopy } from '../support/gitRepo.ts';
import { until } from '../support/wait.ts';

const BACKING_IMAGE = 'redis:kyozo-test-standin';

const nodeService = (name: string, version: string, extra = '') => ({
  [`${name}/Dockerfile`]: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
  [`${name}/server.js`]: `
const http = require('http');
${extra}
http.createServer(async (req, res) => {
  if (req.url === '/env') return res.end(JSON.stringify(process.env));
  if (req.url === '/chain' && process.env.API_URL) {
    const r = await fetch(process.env.API_URL + '/').then((x) => x.text(), (e) => 'unreachable: ' + e.message);
    return res.end('${name}-${version}>' + r);
  }
  res.end('${name}-${version}');
}).listen(Number(process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`,
});

const compose = `services:
  web:
    build: ./web
    depends_on: [api]
  api:
    build: ./api
    depends_on:
      - store
      - cache
  store:
    build: ./store
  cache:
    image: ${BACKING_IMAGE}
    command: busybox httpd -f -p $PORT -h /
`;

const stack = (v: { web: string; api: string; store: string }, apiExtra = '') => ({
  'docker-compose.yml': compose,
  ...nodeService('web', v.web),
  ...nodeService('api', v.api, apiExtra),
  ...nodeService('store', v.store),
});

const appJson = async (k: KyozoProcess) => (await api(k, 'GET', '/api/apps/shop')).json;
const containerOf = (app: any, service: string) =>
  app.services.find((s: any) => s.name === service)?.replicas[0]?.containerId;

describe('one push, many services', () => {
  let k: KyozoProcess;
  const wc = new WorkingCopy();
  const push = async (files: Record<string, string>, msg: string) => {
    await wc.write(files);
    await wc.commit(msg);
    return wc.push(pushUrl(k.port, k.token, 'shop'));
  };

  beforeAll(async () => {
    // The stand-in backing image exists only on this engine (no registry digest): an admin allows it.
    k = await startTestKyozo({ env: { KYOZO_ALLOWED_IMAGES: 'redis:kyozo-*' } });
    execFileSync('docker', ['tag', 'kyozo/static-standin:1', BACKING_IMAGE]);
    expect((await api(k, 'POST', '/api/apps', { name: 'shop' })).status).toBe(201);
  });
  afterAll(async () => {
    await k?.destroy();
    execFileSync('docker', ['rmi', BACKING_IMAGE], { stdio: 'ignore' });
  });

  it('deploys every service in dependency order, routes each, and wires discovery env', async () => {
    const out = await push(stack({ web: 'w1', api: 'a1', store: 's1' }), 'v1');
    expect(out.out).toContain('Release v1 is live');
    expect(out.out).toMatch(/Start order: cache, store → api → web/);
    expect((await viaProxy(k.proxyPort, 'shop.localhost')).body).toBe('web-w1');
    expect((await viaProxy(k.proxyPort, 'api.shop.localhost')).body).toBe('api-a1');
    expect((await viaProxy(k.proxyPort, 'store.shop.localhost')).body).toBe('store-s1');
    expect((await viaProxy(k.proxyPort, 'shop.localhost', '/chain')).body).toBe('web-w1>api-a1');
    const webEnv = JSON.parse((await viaProxy(k.proxyPort, 'shop.localhost', '/env')).body);
    // Host network: a stable loopback port per service. Bridge: the service's name on the app's own network.
    const addr =
      process.env.KYOZO_TEST_NETWORK === 'bridge' ? (n: string) => `${n}:\\d+` : () => '127\\.0\\.0\\.1:\\d+';
    const url = (scheme: string, n: string) => new RegExp(`^${scheme}://${addr(n)}$`);
    expect(webEnv.API_URL).toMatch(url('http', 'api'));
    expect(webEnv.STORE_URL).toMatch(url('http', 'store'));
    const apiEnv = JSON.parse((await viaProxy(k.proxyPort, 'api.shop.localhost', '/env')).body);
    expect(apiEnv.REDIS_URL).toMatch(url('redis', 'cache'));
    expect(apiEnv.WEB_URL).toMatch(url('http', 'web'));
    const app = await appJson(k);
    expect(app.services.map((s: any) => s.name).sort()).toEqual(['api', 'cache', 'store', 'web']);
    expect(app.services.find((s: any) => s.name === 'web').primary).toBe(true);
  });

  it('fails the whole release when one service is broken, naming it; the old release keeps serving all', async () => {
    const before = await appJson(k);
    const out = await push(stack({ web: 'w2', api: 'a2', store: 's1' }, 'process.exit(3);'), 'broken api');
    expect(out.out).toMatch(/! Release v2 failed: service api .*exited with code 3.*v1 is still live/);
    expect((await viaProxy(k.proxyPort, 'shop.localhost')).body).toBe('web-w1');
    expect((await viaProxy(k.proxyPort, 'api.shop.localhost')).body).toBe('api-a1');
    const releases = (await api(k, 'GET', '/api/apps/shop/releases')).json;
    expect(releases[0]).toMatchObject({ version: 2, status: 'failed', error: expect.stringContaining('service api') });
    expect(containerOf(await appJson(k), 'web')).toBe(containerOf(before, 'web'));
  });

  it('keeps the containers of services whose source did not change', async () => {
    const before = await appJson(k);
    const out = await push(stack({ web: 'w3', api: 'a1', store: 's1' }), 'only web changes');
    expect(out.out).toContain('Release v3 is live');
    expect(out.out).toMatch(/api: source unchanged/);
    const after = await appJson(k);
    expect(containerOf(after, 'api')).toBe(containerOf(before, 'api'));
    expect(containerOf(after, 'store')).toBe(containerOf(before, 'store'));
    expect(containerOf(after, 'cache')).toBe(containerOf(before, 'cache'));
    expect(containerOf(after, 'web')).not.toBe(containerOf(before, 'web'));
    expect((await viaProxy(k.proxyPort, 'shop.localhost', '/chain')).body).toBe('web-w3>api-a1');
  });

  it('serves two services under constant load through a redeploy, a config change and a rollback with 0 failures', async () => {
    const webLoad = loadLoop(k.proxyPort, 'shop.localhost');
    const apiLoad = loadLoop(k.proxyPort, 'api.shop.localhost');
    expect((await push(stack({ web: 'w4', api: 'a4', store: 's1' }), 'v4')).out).toContain('Release v4 is live');
    const patched = await api(k, 'PATCH', '/api/apps/shop/config', { FEATURE: 'on' });
    await waitLive(k, patched.json.release.version);
    const rb = await api(k, 'POST', '/api/apps/shop/rollback', { version: 3 });
    expect(rb.status).toBe(202);
    await waitLive(k, rb.json.version);
    await new Promise((r) => setTimeout(r, 1500));
    const [w, a] = [await webLoad.stop(), await apiLoad.stop()];
    expect(w.failures).toEqual([]);
    expect(a.failures).toEqual([]);
    expect(w.sent).toBeGreaterThan(20);
    expect((await viaProxy(k.proxyPort, 'shop.localhost')).body).toBe('web-w3');
  });

  it('rolls config back together with images (checked inside the containers)', async () => {
    const webEnv = JSON.parse((await viaProxy(k.proxyPort, 'shop.localhost', '/env')).body);
    expect(webEnv.FEATURE).toBeUndefined(); // v3 had no FEATURE
    expect((await api(k, 'GET', '/api/apps/shop/config')).json).toEqual({});
    const rb = await api(k, 'POST', '/api/apps/shop/rollback', { version: 5 });
    await waitLive(k, rb.json.version);
    const env5 = JSON.parse((await viaProxy(k.proxyPort, 'api.shop.localhost', '/env')).body);
    expect(env5.FEATURE).toBe('on');
    expect((await viaProxy(k.proxyPort, 'api.shop.localhost')).body).toBe('api-a4');
  });

  it('restarts one service with new containers and zero downtime', async () => {
    const before = await appJson(k);
    const load = loadLoop(k.proxyPort, 'api.shop.localhost');
    const r = await api(k, 'POST', '/api/apps/shop/restart', { service: 'api' });
    expect(r.status).toBe(202);
    await waitLive(k, r.json.version);
    await new Promise((res) => setTimeout(res, 1200));
    expect((await load.stop()).failures).toEqual([]);
    const after = await appJson(k);
    expect(containerOf(after, 'api')).not.toBe(containerOf(before, 'api'));
    expect(containerOf(after, 'web')).toBe(containerOf(before, 'web'));
  });

  it('puts a replaced backing service back when the rest of the release fails', async () => {
    const before = await appJson(k);
    const cacheId = containerOf(before, 'cache');
    const changed = {
      ...stack({ web: 'w3', api: 'a9', store: 's1' }, 'process.exit(4);'),
      'docker-compose.yml': compose.replace('-h /', '-h /tmp'),
    };
    const out = await push(changed, 'new cache command + broken api');
    expect(out.out).toMatch(/cache: definition changed, replacing the backing service/);
    expect(out.out).toMatch(/! Release v\d+ failed: service api/);
    expect(out.out).toMatch(/put back backing container/);
    expect(containerOf(await appJson(k), 'cache')).toBe(cacheId);
    expect(execFileSync('docker', ['inspect', '-f', '{{.State.Running}}', cacheId]).toString().trim()).toBe('true');
    // The backing service runs with every capability dropped but the entrypoint's few, and no-new-privileges.
    const hc = JSON.parse(execFileSync('docker', ['inspect', '-f', '{{json .HostConfig}}', cacheId]).toString());
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.CapAdd).toEqual(['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID']);
    expect(hc.SecurityOpt).toEqual(['no-new-privileges']);
    expect(hc.Privileged).toBe(false);
    expect((await viaProxy(k.proxyPort, 'api.shop.localhost')).body).toBe('api-a4');
    await wc.write(stack({ web: 'w3', api: 'a4', store: 's1' }));
    await wc.write({ 'docker-compose.yml': compose });
  });

  it('fails a release with a dependency cycle, naming it, and an invalid kyozo.json naming the field', async () => {
    const cyclic = compose.replace(
      '  store:\n    build: ./store',
      '  store:\n    build: ./store\n    depends_on: [web]',
    );
    const out = await push({ 'docker-compose.yml': cyclic }, 'cycle');
    expect(out.out).toMatch(/! Release v\d+ failed: dependency cycle: .*web.*→/);
    await wc.write({ 'docker-compose.yml': compose });
    const bad = await push(
      { 'kyozo.json': JSON.stringify({ services: { web: { replicas: 'two' } } }) },
      'bad kyozo.json',
    );
    expect(bad.out).toMatch(/kyozo\.json: services\.web\.replicas must be an integer/);
    await wc.write({ 'kyozo.json': '{}' });
    const missing = await push(
      { 'docker-compose.yml': compose.replace(BACKING_IMAGE, 'postgres:0-kyozo-missing') },
      'missing image',
    );
    expect(missing.out).toMatch(
      /! Release v\d+ failed: service cache: image postgres:0-kyozo-missing is not on this machine and pulling is off/,
    );
  });
});

async function waitLive(k: KyozoProcess, version: number) {
  const rel = await until(
    async () => (await api(k, 'GET', `/api/apps/shop/releases/${version}`)).json,
    (r) => r?.status === 'live' || r?.status === 'failed',
    90_000,
  );
  if (rel.status === 'failed') throw new Error(`release v${version} failed: ${rel.error}`);
}
