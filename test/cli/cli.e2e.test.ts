// The `kyozo` client commands end to end: a real Kyozo process (real Postgres, Docker, git, proxy) driven by the
// real CLI as a subprocess (node bin/kyozo.js … with KYOZO_URL/KYOZO_TOKEN), like a user at a terminal.
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/db/embedded.ts';
import { run, WorkingCopy } from '../support/gitRepo.ts';
import { api, startTestKyozo, type KyozoProcess } from '../support/kyozo.ts';
import { viaProxy } from '../support/net.ts';
import { until } from '../support/wait.ts';

const ROOT = resolve('.');
const server = `
const http = require('http');
console.log('hello from the cli app');
http.createServer((req, res) => res.end('cli ' + (process.env.GREETING ?? '-'))).listen(Number(process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`;
const dockerfileApp = {
  Dockerfile: 'FROM kyozo/node-standin:20\nWORKDIR /app\nCOPY server.js .\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
  'server.js': server,
};

describe('kyozo CLI against a real server', () => {
  let k: KyozoProcess;
  const wc = new WorkingCopy();

  /** Runs `node bin/kyozo.js ARGS` with KYOZO_URL/KYOZO_TOKEN of the test server (env overrides them). */
  const kyozo = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [resolve(ROOT, 'bin/kyozo.js'), ...args],
        {
          cwd: opts.cwd ?? ROOT,
          timeout: 150_000,
          maxBuffer: 16 << 20,
          env: { ...process.env, KYOZO_URL: k.url, KYOZO_TOKEN: k.token, ...opts.env },
        },
        (err, stdout, stderr) =>
          done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    k = await startTestKyozo();
  });
  afterAll(async () => {
    await k?.destroy();
  });

  it('apps:create prints the URLs and the git remote line; --remote adds the remote, and a push deploys', async () => {
    const created = await kyozo(['apps:create', 'cliplain']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`url: http://cliplain.localhost:${k.proxyPort}`);
    expect(created.stdout).toContain(`git: ${k.url}/git/cliplain.git`);
    expect(created.stdout).toContain(
      `git remote add kyozo http://kyozo:$KYOZO_TOKEN@127.0.0.1:${k.port}/git/cliplain.git`,
    );

    await wc.write(dockerfileApp);
    await wc.commit('v1');
    const withRemote = await kyozo(['apps:create', 'clidock', '--remote'], { cwd: wc.dir });
    expect(withRemote.code).toBe(0);
    expect(withRemote.stdout).not.toContain(k.token);
    expect((await run('git', ['remote', 'get-url', 'kyozo'], wc.dir)).out.trim()).toBe(
      `http://kyozo:${k.token}@127.0.0.1:${k.port}/git/clidock.git`,
    );
    const push = await run('git', ['push', 'kyozo', 'HEAD:refs/heads/main'], wc.dir);
    expect(push.out).toContain('Release v1 is live');
  });

  it('apps lists every app with status, live version and url (and --json the API JSON)', async () => {
    const list = await kyozo(['apps']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+STATUS\s+LIVE\s+URL$/m);
    expect(list.stdout).toMatch(new RegExp(`^clidock\\s+live\\s+v1\\s+http://clidock.localhost:${k.proxyPort}$`, 'm'));
    expect(list.stdout).toMatch(/^cliplain\s+new\s+-\s+/m);
    const json = JSON.parse((await kyozo(['apps', '--json'])).stdout);
    expect(json.map((a: { name: string }) => a.name).sort()).toEqual(['clidock', 'cliplain']);
  });

  it('config:set --wait rolls the config out (app from the kyozo remote) and config masks values unless --reveal', async () => {
    const set = await kyozo(['config:set', 'GREETING=hi-secret-42', '--wait'], { cwd: wc.dir });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('Set GREETING on clidock: release v2');
    expect(set.stdout).toContain('Release v2 is live');
    expect(set.stdout).not.toContain('hi-secret-42');
    expect((await viaProxy(k.proxyPort, 'clidock.localhost')).body).toBe('cli hi-secret-42');

    expect((await kyozo(['config', '-a', 'clidock'])).stdout.trim()).toBe('GREETING=****');
    expect((await kyozo(['config', '--reveal'], { cwd: wc.dir })).stdout.trim()).toBe('GREETING=hi-secret-42');
    expect(JSON.parse((await kyozo(['config', '-a', 'clidock', '--json'])).stdout)).toEqual({ GREETING: '****' });
  });

  it('releases lists versions with status; scale web=2 --wait and ps show two running replicas', async () => {
    const rel = await kyozo(['releases', '-a', 'clidock']);
    expect(rel.stdout).toMatch(/^v2\s+live\s+config/m);
    expect(rel.stdout).toMatch(/^v1\s+superseded\s+push\s+[0-9a-f]{7}/m);

    const scaled = await kyozo(['scale', 'web=2', '--wait', '-a', 'clidock']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stdout).toContain('Scaling clidock to web=2: release v3');
    expect(scaled.stdout).toContain('Release v3 is live');

    const ps = await kyozo(['ps', '-a', 'clidock']);
    expect(ps.stdout).toMatch(/^web\s+web\s+running\s+2\/2\s+\d+\s+\d+M/m);
    expect(ps.stdout.match(/^web#\d+\s+running\s+(127\.0\.0\.1|10\.213\.\d+\.\d+):\d+$/gm)).toHaveLength(2);
  });

  it('rollback --wait rolls back to v1 images and config; releases:log prints a release log', async () => {
    const rb = await kyozo(['rollback', 'v1', '--wait', '-a', 'clidock']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.stdout).toContain('Rolling back clidock to v1: release v4');
    expect(rb.stdout).toContain('Release v4 is live');
    expect((await viaProxy(k.proxyPort, 'clidock.localhost')).body).toBe('cli -');
    expect((await kyozo(['releases:log', '4', '-a', 'clidock'])).stdout).toMatch(/^Release v4 is live at /m);
  });

  it('logs --tail shows the app container output', async () => {
    const logs = await until(
      () => kyozo(['logs', '--tail', '5', '-a', 'clidock']),
      (r) => r.stdout.includes('hello from the cli app'),
      30_000,
      1000,
    );
    expect(logs.stdout).toMatch(/^\S+Z web#\d+ hello from the cli app$/m);
    expect(logs.stdout.trim().split('\n').length).toBeLessThanOrEqual(5);
  });

  it('tokens:create prints a token that works; tokens lists it', async () => {
    const token = /export KYOZO_TOKEN=(\S+)/.exec((await kyozo(['tokens:create', 'ci'])).stdout)?.[1];
    expect(token).toMatch(/^\S{20,}$/);
    expect((await kyozo(['apps'], { env: { KYOZO_TOKEN: token! } })).code).toBe(0);
    expect((await kyozo(['tokens', '--token', token!])).stdout).toMatch(/^\d+\s+ci\s+/m);
  });

  it('tokens:revoke makes a token stop working', async () => {
    const created = (await kyozo(['tokens:create', 'short-lived'])).stdout;
    const token = /export KYOZO_TOKEN=(\S+)/.exec(created)![1];
    const id = /^(\d+)\s+short-lived\s+/m.exec((await kyozo(['tokens'])).stdout)![1];
    expect((await kyozo(['tokens:revoke', id])).code).toBe(0);
    expect((await kyozo(['apps'], { env: { KYOZO_TOKEN: token } })).code).toBe(1);
  });

  it('config:unset, restart, stop and start roll out; events and apps:info report them', async () => {
    const unset = await kyozo(['config:unset', 'GREETING', '--wait', '-a', 'clidock']);
    expect(unset.code, unset.stderr).toBe(0);
    expect((await kyozo(['config', '-a', 'clidock'])).stdout).toMatch(/clidock has no config vars/);
    const restarted = await kyozo(['restart', 'web', '--wait', '-a', 'clidock']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect((await kyozo(['stop', '-a', 'clidock'])).code).toBe(0);
    expect((await api(k, 'GET', '/api/apps/clidock')).json.status).toBe('stopped');
    const started = await kyozo(['start', '--wait', '-a', 'clidock']);
    expect(started.code, started.stderr).toBe(0);
    expect((await api(k, 'GET', '/api/apps/clidock')).json.status).toBe('live');
    const res = await kyozo(['resources', 'web:memory=128m,cpus=0.25', '--wait', '-a', 'clidock']);
    expect(res.code, res.stderr).toBe(0);
    expect((await api(k, 'GET', '/api/apps/clidock')).json.services[0]).toMatchObject({ memoryMb: 128, cpus: 0.25 });
    const events = (await kyozo(['events', '-a', 'clidock', '--limit', '50'])).stdout;
    for (const type of ['config.set', 'restart', 'stop', 'start', 'resources']) expect(events).toContain(type);
    const info = await kyozo(['apps:info', '-a', 'clidock']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain('clidock');
  });

  it('releases:log --follow ends with the release; logs --follow streams new lines', async () => {
    const rel = (await api(k, 'GET', '/api/apps/clidock/releases')).json[0];
    const follow = await kyozo(['releases:log', String(rel.version), '--follow', '-a', 'clidock']);
    expect(follow.code).toBe(0);
    expect(follow.stdout).toMatch(/is live at /);
    const child = spawn(
      process.execPath,
      [resolve(ROOT, 'bin/kyozo.js'), 'logs', '--follow', '--tail', '1', '-a', 'clidock'],
      {
        env: { ...process.env, KYOZO_URL: k.url, KYOZO_TOKEN: k.token },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await until(
      async () => out,
      (o) => o.includes('hello from the cli app'),
      30_000,
      250,
    );
    child.kill('SIGINT');
  });

  it('reports API errors, a missing token, an unknown flag and a closed port', async () => {
    expect(await kyozo(['ps', '-a', 'nope'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'kyozo ps: app "nope" not found\n',
    });

    expect(await kyozo(['apps'], { env: { KYOZO_TOKEN: '' } })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no API token: set KYOZO_TOKEN/),
    });
    expect(await kyozo(['apps'], { env: { KYOZO_TOKEN: 'kz_wrong' } })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('invalid or revoked token (check KYOZO_TOKEN'),
    });
    expect(await kyozo(['apps', '--nope'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown option --nope\nusage: kyozo apps/),
    });

    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(await kyozo(['apps'], { env: { KYOZO_URL: closed } })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`could not reach Kyozo at ${closed} (connection refused)`),
    });
  });

  it('apps:destroy refuses without a matching --confirm, then destroys', async () => {
    expect(await kyozo(['apps:destroy', '-a', 'cliplain'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('run again with --confirm cliplain'),
    });
    expect((await kyozo(['apps:destroy', '-a', 'cliplain', '--confirm', 'clidock'])).code).toBe(1);
    expect((await api(k, 'GET', '/api/apps/cliplain')).status).toBe(200);
    const done = await kyozo(['apps:destroy', '--confirm', 'cliplain']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Destroyed app cliplain');
    expect((await api(k, 'GET', '/api/apps/cliplain')).status).toBe(404);
  });
});
