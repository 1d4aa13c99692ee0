// Integration: real Docker engine, host networking, 127.0.0.1 only. Everything created carries
// kyozo.test=<runId> and is removed in afterAll.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerPort } from '../../server/runtime/docker.ts';
import { waitHealthy } from '../../server/runtime/health.ts';
import { allocatePort } from '../../server/runtime/ports.ts';
import { containerSpec, type ContainerSpecInput } from '../../server/runtime/spec.ts';

const runId = randomBytes(4).toString('hex');
const testLabels = { 'kyozo.test': runId };
const docker = createDockerPort(new Dockerode({ socketPath: '/var/run/docker.sock' }));
const tmpDirs: string[] = [];
const timings: Record<string, number> = {};
const usedPorts = new Set<number>();

function context(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyozo-rt-'));
  tmpDirs.push(dir);
  for (const [f, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), body);
  return dir;
}

async function build(dir: string, tag: string, lines: string[] = []) {
  const t0 = Date.now();
  const r = await docker.build({
    contextDir: dir,
    dockerfile: 'Dockerfile',
    tag,
    labels: testLabels,
    memoryMb: 512,
    networkMode: 'host',
    onLine: (l) => lines.push(l),
  });
  return { ...r, ms: Date.now() - t0, lines };
}

async function runReplica(image: string, over: Partial<ContainerSpecInput> = {}) {
  const port = await allocatePort(usedPorts);
  usedPorts.add(port);
  const spec = containerSpec({
    uid: 'rt',
    app: 'rt',
    release: 1,
    service: 'web',
    replica: 0,
    image,
    env: { GREETING: 'hi' },
    port,
    network: { mode: 'host' },
    limits: { memoryMb: 128, cpus: 1 },
    suffix: randomBytes(3).toString('hex'),
    labels: testLabels,
    ...over,
  });
  const t0 = Date.now();
  const id = await docker.run(spec);
  timings.runMs = Date.now() - t0;
  const checkContainer = async () => {
    const s = await docker.inspect(id);
    return { running: !!s?.running, exitCode: s?.exitCode ?? null };
  };
  return { id, port, url: `http://127.0.0.1:${port}/`, checkContainer };
}

const NODE_APP = `require('http').createServer((q, s) => s.end('node ' + process.env.GREETING + ' ' + process.env.PORT)).listen(+process.env.PORT, '127.0.0.1');`;

beforeAll(() => {
  const t0 = Date.now();
  execFileSync('bash', [path.resolve('scripts/build-stand-ins.sh')], { stdio: 'pipe', timeout: 170_000 });
  timings.standInsMs = Date.now() - t0;
});

afterAll(async () => {
  for (const c of await docker.list(testLabels)) await docker.remove(c.id);
  for (const img of await docker.listImages(testLabels)) await docker.removeImage(img.id);
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  console.log('runtime timings (ms):', JSON.stringify(timings));
});

describe('DockerPort against the real engine', () => {
  it('pings; an unreachable engine answers false without hanging', async () => {
    expect(await docker.ping()).toBe(true);
    const t0 = Date.now();
    expect(await createDockerPort(new Dockerode({ socketPath: '/tmp/nonexistent-kyozo.sock' })).ping()).toBe(false);
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('builds and serves a static site from kyozo/static-standin:1', async () => {
    const dir = context({
      Dockerfile:
        'FROM kyozo/static-standin:1\nCOPY . /www/\nRUN test ! -e /www/.git && test ! -e /www/secret.txt && test -f /www/index.html\nCMD busybox httpd -f -p $PORT -h /www\n',
      'index.html': 'static ok',
      'secret.txt': 'nope',
      '.dockerignore': 'secret.txt\n',
    });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const tag = `kyozo-test/${runId}-static:1`;
    const b = await build(dir, tag);
    timings.buildStaticMs = b.ms;
    expect(b.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await docker.imageExists(tag)).toBe(true);
    const r = await runReplica(tag, { service: 'static' });
    const h = await waitHealthy({ url: r.url, deadlineMs: 10_000, checkContainer: r.checkContainer });
    expect(h).toMatchObject({ ok: true, status: 200 });
    const body = await (await fetch(r.url)).text();
    expect(body).toBe('static ok');
  });

  it('builds a node app, runs it on host network, inspects, lists, stops fast; cache on rebuild', async () => {
    const dir = context({
      Dockerfile:
        'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install --offline --no-audit --no-fund\nCOPY server.js ./\nUSER node\nCMD ["node", "server.js"]\n',
      'package.json': '{"name":"rt","version":"1.0.0","private":true}',
      'server.js': NODE_APP,
    });
    const tag = `kyozo-test/${runId}-node:1`;
    const first = await build(dir, tag);
    timings.buildNodeMs = first.ms;
    expect(first.lines.some((l) => l.startsWith('Step 1/'))).toBe(true);
    const second = await build(dir, tag);
    timings.rebuildNodeMs = second.ms;
    expect(second.imageId).toBe(first.imageId);
    expect(second.lines.filter((l) => l.includes('Using cache')).length).toBeGreaterThanOrEqual(3);

    const r = await runReplica(tag);
    const h = await waitHealthy({ url: r.url, deadlineMs: 15_000, intervalMs: 50, checkContainer: r.checkContainer });
    expect(h.ok).toBe(true);
    timings.healthyMs = h.ms;
    expect(await (await fetch(r.url)).text()).toBe(`node hi ${r.port}`);

    const st = await docker.inspect(r.id);
    expect(st).toMatchObject({ id: r.id, running: true, exitCode: null, ip: null, restartCount: 0 });
    expect(st?.labels).toMatchObject({
      'kyozo.app': 'rt',
      'kyozo.service': 'web',
      'kyozo.port': String(r.port),
      'kyozo.test': runId,
    });
    const listed = await docker.list({ ...testLabels, 'kyozo.service': 'web', 'kyozo.app': '' });
    expect(listed.map((c) => c.id)).toContain(r.id);
    expect(listed.find((c) => c.id === r.id)).toMatchObject({ state: 'running', image: tag });

    const stats = await docker.stats(r.id, { oneShot: true });
    expect(stats?.memoryBytes).toBeGreaterThan(0);
    expect(stats?.pids).toBeGreaterThan(0);
    expect(await docker.removeImage(tag)).toBe(false); // in use

    const t0 = Date.now();
    await docker.stopAndRemove(r.id, 10);
    timings.stopRemoveMs = Date.now() - t0;
    expect(timings.stopRemoveMs).toBeLessThan(3000);
    expect(await docker.inspect(r.id)).toBeNull();
    await docker.stopAndRemove(r.id); // idempotent on a gone container
    expect(await docker.removeImage(tag)).toBe(true);
    expect(await docker.removeImage(tag)).toBe(true); // already gone
  });

  it("rejects a failing RUN with Docker's message and streams the log", async () => {
    const lines: string[] = [];
    const dir = context({ Dockerfile: 'FROM kyozo/static-standin:1\nRUN echo about to fail && exit 3\n' });
    await expect(build(dir, `kyozo-test/${runId}-broken:1`, lines)).rejects.toThrow(/returned a non-zero code: 3/);
    expect(lines).toContain('about to fail');
    expect(lines.at(-1)).toMatch(/^ERROR: .*non-zero code: 3/);
  });

  it('rejects a Dockerfile parse error clearly', async () => {
    const dir = context({ Dockerfile: 'FROM kyozo/static-standin:1\nFROBNICATE now\n' });
    await expect(build(dir, `kyozo-test/${runId}-parse:1`)).rejects.toThrow(/unknown instruction: FROBNICATE/i);
  });

  it('fails the health gate fast with the exit code when the container dies', async () => {
    const r = await runReplica('kyozo/node-standin:20', {
      service: 'crash',
      cmd: ['sh', '-c', 'echo dying on purpose >&2; exit 3'],
    });
    const h = await waitHealthy({ url: r.url, deadlineMs: 30_000, checkContainer: r.checkContainer });
    expect(h.ok).toBe(false);
    expect(!h.ok && h.reason).toMatch(/container exited with code 3/);
    expect(h.ms).toBeLessThan(5000);
    expect(await docker.logs(r.id, { tail: 5 })).toContain('dying on purpose');
    await docker.remove(r.id);
  });

  it('creates and removes a labelled network idempotently and finds it by label', async () => {
    const name = `kyozo-test-${runId}`;
    const id = await docker.ensureNetwork(name, { 'kyozo.app': `u${runId}`, ...testLabels });
    expect(await docker.ensureNetwork(name)).toBe(id);
    expect(await docker.listNetworks({ 'kyozo.app': `u${runId}` })).toEqual([
      { id, name, labels: expect.objectContaining({ 'kyozo.app': `u${runId}`, 'kyozo.managed': 'true' }) },
    ]);
    await docker.removeNetwork(name);
    await docker.removeNetwork(name);
    expect(await docker.listNetworks({ 'kyozo.app': `u${runId}` })).toEqual([]);
  });

  it('creates a labelled volume once, lists it by label and refuses to remove it while a container uses it', async () => {
    const name = `kyozo_test_${runId}_data`;
    const labels = { 'kyozo.app': `u${runId}`, ...testLabels };
    await docker.createVolume(name, labels);
    await docker.createVolume(name, { 'kyozo.app': 'someone-else' }); // exists: left as it is
    expect(await docker.inspectVolume(name)).toEqual({ name, labels });
    expect(await docker.listVolumes({ 'kyozo.app': `u${runId}` })).toEqual([{ name, labels }]);
    const r = await runReplica('kyozo/static-standin:1', {
      cmd: ['/bin/busybox', 'sleep', '30'],
      volumes: [{ name, path: '/data' }],
    });
    expect(await docker.removeVolume(name)).toBe(false);
    await docker.stopAndRemove(r.id, 1);
    expect(await docker.removeVolume(name)).toBe(true);
    expect(await docker.removeVolume(name)).toBe(true); // already gone
    expect(await docker.inspectVolume(name)).toBeNull();
  });
});

describe('a stuck Docker engine', () => {
  it('times out every call instead of hanging; build can be aborted', async () => {
    const net = await import('node:net');
    const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kyozo-stuck-')), 'docker.sock');
    const sockets: import('node:net').Socket[] = [];
    const srv = net.createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => srv.listen(sock, r));
    try {
      const stuck = createDockerPort(new Dockerode({ socketPath: sock }), { timeoutMs: 300 });
      const t0 = Date.now();
      expect(await stuck.ping()).toBe(false);
      await expect(stuck.inspect('x')).rejects.toThrow(/docker inspect: no answer from the Docker engine within 300ms/);
      await expect(stuck.list({ a: 'b' })).rejects.toThrow(/within 300ms/);
      expect(Date.now() - t0).toBeLessThan(3000);
      const ac = new AbortController();
      const dir = context({ Dockerfile: 'FROM scratch\n' });
      const p = stuck.build({
        contextDir: dir,
        dockerfile: 'Dockerfile',
        tag: 'x',
        labels: {},
        onLine: () => {},
        signal: ac.signal,
      });
      setTimeout(() => ac.abort(), 100);
      await expect(p).rejects.toThrow(/build aborted/);
    } finally {
      sockets.forEach((s) => s.destroy());
      srv.close();
    }
  });
});
