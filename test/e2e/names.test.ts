// Names that cannot collide, with real parts: two apps whose names joined with their service names used
// to give the same Docker names (app kk + services x-web/x-cache, app kk-x + services web/cache: both
// kyozo/kk-x-web:v1 and kyozo-kk-x-cache-data) get their own images, volumes and networks, because every
// object is named from the app's uid. A's restart still runs A's code on A's data; deleting A removes
// exactly A's objects; deleting B with --keep-data keeps (and names) B's volume. Runs in both network
// modes; on a bridge the apps belong to two users.
import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { viaProxy } from '../support/net.ts';
import { pushUrl, WorkingCopy } from '../support/gitRepo.ts';
import { until } from '../support/wait.ts';

const bridge = process.env.KYOZO_TEST_NETWORK === 'bridge';
// A redis-named image is a cache with a /data volume; this one is the static stand-in serving that volume.
const BACKING_IMAGE = 'redis:kyozo-names-standin';
const BASE_IMAGE = 'kyozo/node-standin:20';

/** A web service that says whose code it is and reads the marker its cache wrote into its volume. */
const web = (dir: string, says: string) => ({
  [`${dir}/Dockerfile`]: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n`,
  [`${dir}/server.js`]: `
const http = require('http');
http.createServer(async (req, res) => {
  if (req.url === '/marker') {
    const u = new URL(process.env.REDIS_URL);
    const r = await fetch('http://' + u.host + '/marker').then((x) => x.text(), (e) => 'unreachable: ' + e.message);
    return res.end(r.trim());
  }
  res.end(${JSON.stringify(says)});
}).listen(Number(process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`,
});

/** The cache writes a random marker into its volume once, then serves the volume over HTTP. */
const cache = `    image: ${BACKING_IMAGE}
    command: test -f /data/marker || cat /proc/sys/kernel/random/uuid > /data/marker; exec busybox httpd -f -p $PORT -h /data
`;

const appA = {
  'docker-compose.yml': `services:\n  x-web:\n    build: ./x-web\n    depends_on: [x-cache]\n  x-cache:\n${cache}`,
  ...web('x-web', 'code of A'),
};
const appB = {
  'docker-compose.yml': `services:\n  web:\n    build: ./web\n    depends_on: [cache]\n  cache:\n${cache}`,
  ...web('web', 'code of B'),
};

const docker = (args: string[]) => execFileSync('docker', args).toString().trim();
const lines = (args: string[]) => docker(args).split('\n').filter(Boolean);
const byLabel = (kind: string[], label: string) => lines([...kind, '-q', '--filter', `label=${label}`]);
const imageId = (container: string) => docker(['inspect', '-f', '{{.Image}}', container]);
const labelsOf = (kind: 'container' | 'volume' | 'image', ref: string): Record<string, string> =>
  JSON.parse(docker([kind, 'inspect', '-f', '{{json .' + (kind === 'volume' ? '' : 'Config.') + 'Labels}}', ref]));

describe('names that cannot collide', () => {
  let k: KyozoProcess;
  let bobToken: string;
  const uid: Record<string, string> = {};
  const appJson = async (name: string) => (await api(k, 'GET', `/api/apps/${name}`)).json;
  const replica = async (name: string, service: string) =>
    (await appJson(name)).services.find((s: any) => s.name === service).replicas[0].containerId as string;
  const push = async (name: string, token: string, files: Record<string, string>) => {
    const wc = new WorkingCopy();
    await wc.write(files);
    await wc.commit(name);
    return wc.push(pushUrl(k.port, token, name));
  };
  const waitLive = async (name: string, version: number) => {
    const rel = await until(
      async () => (await api(k, 'GET', `/api/apps/${name}/releases/${version}`)).json,
      (r) => r?.status === 'live' || r?.status === 'failed',
      120_000,
    );
    if (rel.status === 'failed') throw new Error(`release v${version} failed: ${rel.error}`);
  };
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [resolve('bin/kyozo.js'), ...args],
        { env: { ...process.env, KYOZO_URL: k.url, KYOZO_TOKEN: bobToken }, timeout: 120_000 },
        (err, stdout, stderr) =>
          done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      ),
    );

  beforeAll(async () => {
    k = await startTestKyozo({ env: { KYOZO_ALLOWED_IMAGES: BACKING_IMAGE } });
    execFileSync('docker', ['tag', 'kyozo/static-standin:1', BACKING_IMAGE]);
    if (bridge) {
      const bob = await api(k, 'POST', '/api/users', { email: 'bob@example.com' });
      expect(bob.status).toBe(201);
      bobToken = bob.json.token;
    } else bobToken = k.token; // host mode is single-user
    expect((await api(k, 'POST', '/api/apps', { name: 'kk' })).status).toBe(201);
    expect((await api(k, 'POST', '/api/apps', { name: 'kk-x' }, bobToken)).status).toBe(201);
    // A first, then B: under the old names B's build would have moved A's tag kyozo/kk-x-web:v1.
    expect((await push('kk', k.token, appA)).out).toContain('Release v1 is live');
    expect((await push('kk-x', bobToken, appB)).out).toContain('Release v1 is live');
    uid.a = labelsOf('container', await replica('kk', 'x-web'))['kyozo.app'];
    uid.b = labelsOf('container', await replica('kk-x', 'web'))['kyozo.app'];
  });
  afterAll(async () => {
    await k?.destroy();
    execFileSync('docker', ['rmi', BACKING_IMAGE], { stdio: 'ignore' });
  });

  it('builds two images named from the apps uids; after a restart A still serves her own code and data', async () => {
    expect(uid.a).toMatch(/^[0-9a-f]{12}$/);
    expect(uid.b).toMatch(/^[0-9a-f]{12}$/);
    expect(uid.a).not.toBe(uid.b);
    const [a, b] = [await replica('kk', 'x-web'), await replica('kk-x', 'web')];
    expect(imageId(a)).not.toBe(imageId(b));
    expect(labelsOf('container', a)).toMatchObject({ 'kyozo.app': uid.a, 'kyozo.app.name': 'kk' });
    // Replicas run the recorded image id, not a tag.
    expect(docker(['inspect', '-f', '{{.Config.Image}}', a])).toBe(imageId(a));
    const tags = (id: string) => JSON.parse(docker(['image', 'inspect', '-f', '{{json .RepoTags}}', id]));
    expect(tags(imageId(a))).toEqual([`kyozo/${uid.a}/x-web:v1`]);
    expect(tags(imageId(b))).toEqual([`kyozo/${uid.b}/web:v1`]);
    expect(labelsOf('image', imageId(a))).toMatchObject({ 'kyozo.app': uid.a, 'kyozo.instance': k.instance() });

    const marker = (await viaProxy(k.proxyPort, 'kk.localhost', '/marker')).body;
    expect(marker).toMatch(/^[0-9a-f-]{36}$/);
    expect((await viaProxy(k.proxyPort, 'kk-x.localhost', '/marker')).body).not.toBe(marker);
    const cacheBefore = await replica('kk', 'x-cache');
    const r = await api(k, 'POST', '/api/apps/kk/restart', {});
    expect(r.status).toBe(202);
    await waitLive('kk', r.json.version);
    expect(await replica('kk', 'x-cache')).not.toBe(cacheBefore); // a new backing container...
    expect((await viaProxy(k.proxyPort, 'kk.localhost')).body).toBe('code of A');
    expect((await viaProxy(k.proxyPort, 'kk.localhost', '/marker')).body).toBe(marker); // ...on the same data
    expect((await viaProxy(k.proxyPort, 'kk-x.localhost')).body).toBe('code of B');
  });

  it('gives the two backing services distinct, labelled volumes (and on a bridge, distinct networks)', async () => {
    const [va, vb] = [byLabel(['volume', 'ls'], `kyozo.app=${uid.a}`), byLabel(['volume', 'ls'], `kyozo.app=${uid.b}`)];
    expect(va).toEqual([`kyozo_${uid.a}_x-cache_data`]);
    expect(vb).toEqual([`kyozo_${uid.b}_cache_data`]);
    expect(labelsOf('volume', va[0])).toEqual({
      'kyozo.app': uid.a,
      'kyozo.app.name': 'kk',
      'kyozo.service': 'x-cache',
      'kyozo.path': '/data',
      'kyozo.instance': k.instance(),
    });
    expect(lines(['volume', 'ls', '-q', '--filter', 'name=kyozo-kk-x-cache-data'])).toEqual([]); // the old shared name
    const nets = (u: string) => lines(['network', 'ls', '--format', '{{.Name}}', '--filter', `label=kyozo.app=${u}`]);
    expect(nets(uid.a)).toEqual(bridge ? [`kyozo-${uid.a}`] : []);
    expect(nets(uid.b)).toEqual(bridge ? [`kyozo-${uid.b}`] : []);
  });

  it("deleting A removes exactly A's containers, images, network and volumes; B and shared images stay", async () => {
    const builtA = byLabel(['images'], `kyozo.app=${uid.a}`);
    expect(builtA.length).toBeGreaterThan(0);
    expect((await api(k, 'DELETE', '/api/apps/kk?keepData=maybe')).status).toBe(400);
    const del = await api(k, 'DELETE', '/api/apps/kk');
    expect(del.status).toBe(200);
    expect(del.json).toMatchObject({
      name: 'kk',
      volumes: [`kyozo_${uid.a}_x-cache_data`],
      keptVolumes: [],
      networks: bridge ? [`kyozo-${uid.a}`] : [],
    });
    expect(del.json.images).toEqual([`kyozo/${uid.a}/x-web:v1`]);
    for (const kind of [['ps', '-a'], ['images'], ['volume', 'ls'], ['network', 'ls']])
      expect(byLabel(kind, `kyozo.app=${uid.a}`), kind.join(' ')).toEqual([]);
    expect((await viaProxy(k.proxyPort, 'kk-x.localhost')).body).toBe('code of B');
    expect(byLabel(['images'], `kyozo.app=${uid.b}`).length).toBeGreaterThan(0);
    expect(byLabel(['volume', 'ls'], `kyozo.app=${uid.b}`)).toEqual([`kyozo_${uid.b}_cache_data`]);
    // Images A only ran (its backing image, the base image) are not A's to remove.
    for (const shared of [BACKING_IMAGE, BASE_IMAGE]) expect(lines(['images', '-q', shared]), shared).toHaveLength(1);
  });

  it('kyozo apps:destroy --keep-data keeps the volumes and names them', async () => {
    const out = await cli(['apps:destroy', '--confirm', 'kk-x', '--keep-data']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Destroyed app kk-x: removed');
    expect(out.stdout).toContain(`Kept its volumes`);
    expect(out.stdout).toContain(`  kyozo_${uid.b}_cache_data`);
    expect((await api(k, 'GET', '/api/apps/kk-x', undefined, bobToken)).status).toBe(404);
    expect(byLabel(['ps', '-a'], `kyozo.app=${uid.b}`)).toEqual([]);
    expect(byLabel(['images'], `kyozo.app=${uid.b}`)).toEqual([]);
    expect(byLabel(['volume', 'ls'], `kyozo.app=${uid.b}`)).toEqual([`kyozo_${uid.b}_cache_data`]);
    // The data is still there: the marker B's cache wrote.
    const cat = docker([
      'run',
      '--rm',
      '-v',
      `kyozo_${uid.b}_cache_data:/data`,
      'kyozo/static-standin:1',
      '/bin/busybox',
      'cat',
      '/data/marker',
    ]);
    expect(cat).toMatch(/^[0-9a-f-]{36}$/);
  });
});
