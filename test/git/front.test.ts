// End to end: real git client ⇄ git front on 127.0.0.1 ⇄ post-receive hook ⇄ stub of the lead's hook route.
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitFront, takePusher } from '../../server/git/front.ts';
import { hookUrl, HOOK_SECRET_HEADER } from '../../server/git/hookEnv.ts';
import { planPostReceive } from '../../server/git/hookRoute.ts';
import { releaseFailedLine, releaseLiveLine } from '../../server/release/messages.ts';
import { createRepo, resolveRef } from '../../server/git/repos.ts';
import { basic, cleanupTempDirs, gitClient, mustGit, serve, tempDir, type Served } from './helpers.ts';

const SECRET = 'test-hook-secret';
const TOKENS: Record<string, string> = { 'tok-alice': 'alice', 'tok-bob': 'bob' };
const GRANTS: Record<string, string[]> = { alice: ['demo'], bob: ['other'] };
const calls: Array<Record<string, unknown>> = [];
/** Pusher per hook call as the lead's route resolves it: body.pusher, else takePusher(app, newSha). */
const resolved: Array<string | null> = [];
let deploys = 0;

/** Stand-in for the lead's `POST /internal/git/post-receive` route. */
async function hookRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const c of req) raw += c;
  const body = JSON.parse(raw) as Record<string, unknown>;
  const plan = planPostReceive(req.headers[HOOK_SECRET_HEADER] as string | undefined, SECRET, body);
  if (plan.kind === 'reject') return void res.writeHead(plan.status).end(plan.message);
  calls.push(body);
  resolved.push((body.pusher as string) || takePusher(body.app as string, body.newSha as string));
  res.writeHead(200, { 'content-type': 'text/plain' });
  if (plan.kind === 'reply') return void res.end(plan.line + '\n');
  const v = ++deploys;
  res.write(`Building ${plan.push.app} at ${plan.push.newSha.slice(0, 7)}\n`);
  await sleep(300);
  res.write('Starting replica\n');
  await sleep(300);
  res.end(
    (v === 2 ? releaseFailedLine(v, 'boom') : releaseLiveLine(v, `http://${plan.push.app}.localhost:8080`)) + '\n',
  );
}

let home: string;
let reposDir: string;
let front: Served;
let stub: Served;
let work: string;
let url: (token: string, app?: string) => string;
const pushes: Array<{ app: string; userId: string }> = [];

beforeAll(async () => {
  home = await tempDir();
  reposDir = await tempDir();
  await createRepo(reposDir, 'demo');
  await createRepo(reposDir, 'other');
  stub = await serve((req, res) => void hookRoute(req, res));
  front = await serve(
    createGitFront({
      reposDir,
      authenticate: async (_user, password) => (TOKENS[password] ? { userId: TOKENS[password] } : null),
      authorize: async (userId, app) => GRANTS[userId]?.includes(app) ?? false,
      hook: { url: hookUrl(stub.port), secret: SECRET },
      onPushAccepted: (info) => pushes.push(info),
    }),
  );
  url = (token, app = 'demo') => `http://git:${token}@127.0.0.1:${front.port}/git/${app}.git`;
  work = join(home, 'work');
  await mustGit(['init', '-q', '-b', 'main', work], home, home);
});
afterAll(async () => {
  await front?.close();
  await stub?.close();
  await cleanupTempDirs();
});

async function commit(msg: string): Promise<string> {
  await writeFile(join(work, 'file.txt'), msg);
  await mustGit(['add', '-A'], work, home);
  await mustGit(['commit', '-q', '-m', msg], work, home);
  return mustGit(['rev-parse', 'HEAD'], work, home);
}

const pkt = (s: string) => (s.length + 4).toString(16).padStart(4, '0') + s;
const ZERO = '0'.repeat(40);

/** A receive-pack body as git sends it (no newline after commands) with an empty pack. */
function receivePackBody(updates: Array<[string, string, string]>): Buffer {
  const cmds =
    updates.map(([o, n, r], i) => pkt(`${o} ${n} ${r}${i === 0 ? '\0report-status agent=test' : ''}`)).join('') +
    '0000';
  const head = Buffer.from('PACK\0\0\0\x02\0\0\0\0', 'latin1');
  return Buffer.concat([Buffer.from(cmds), head, createHash('sha1').update(head).digest()]);
}

/** POSTs `chunks` as separate writes, 50 ms apart (chunked transfer encoding). */
function postChunks(
  path: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: front.port, method: 'POST', path, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    void (async () => {
      for (const c of chunks) {
        req.write(c);
        await sleep(50);
      }
      req.end();
    })();
  });
}

describe('git push over HTTP', () => {
  it('pushes main, runs the hook and streams the release log live as remote: lines', async () => {
    const sha = await commit('one');
    const seen: Record<string, number> = {};
    let err = '';
    const r = await gitClient(['push', url('tok-alice'), 'main'], work, home, (c) => {
      err += c;
      for (const k of ['remote: Building demo', 'remote: Release v1 is live'])
        if (!seen[k] && err.includes(k)) seen[k] = Date.now();
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`remote: Building demo at ${sha.slice(0, 7)}`);
    expect(r.stderr).toContain('remote: Starting replica');
    expect(r.stderr).toContain('remote: Release v1 is live at http://demo.localhost:8080');
    expect(seen['remote: Release v1 is live'] - seen['remote: Building demo']).toBeGreaterThanOrEqual(400);
    // The hook knows no pusher (git inherits the server's env); the push ticket names alice.
    expect(calls.at(-1)).toEqual({
      app: 'demo',
      ref: 'refs/heads/main',
      oldSha: '0'.repeat(40),
      newSha: sha,
      pusher: '',
    });
    expect(resolved.at(-1)).toBe('alice');
    expect(takePusher('demo', sha)).toBeNull(); // one-shot
    expect(await resolveRef(join(reposDir, 'demo.git'), 'main')).toBe(sha);
    expect(pushes.at(-1)).toEqual({ app: 'demo', userId: 'alice' });
  });

  it('reports a failed release (hook exits non-zero) while the ref is still updated', async () => {
    const before = await resolveRef(join(reposDir, 'demo.git'), 'main');
    const sha = await commit('two');
    const r = await gitClient(['push', url('tok-alice'), 'main'], work, home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('remote: ! Release v2 failed: boom');
    expect(r.stderr).toMatch(new RegExp(`${before!.slice(0, 7)}\\.\\.${sha.slice(0, 7)}\\s+main -> main`));
    expect(await resolveRef(join(reposDir, 'demo.git'), 'main')).toBe(sha);
  });

  it('stores other branches without deploying', async () => {
    const sha = await commit('feature');
    const r = await gitClient(['push', url('tok-alice'), 'HEAD:refs/heads/feature-x'], work, home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('remote: Branch feature-x stored; only main/master deploy.');
    expect(r.stderr).not.toContain('Building');
    expect(await resolveRef(join(reposDir, 'demo.git'), 'feature-x')).toBe(sha);
  });

  it('allows force pushes', async () => {
    await mustGit(['commit', '-q', '--amend', '-m', 'amended'], work, home);
    const sha = await mustGit(['rev-parse', 'HEAD'], work, home);
    const r = await gitClient(['push', '--force', url('tok-alice'), 'HEAD:refs/heads/feature-x'], work, home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(forced update)');
    expect(await resolveRef(join(reposDir, 'demo.git'), 'feature-x')).toBe(sha);
  });

  it('streams large pushes (chunked, after the auth probe) and enforces maxPushBytes', async () => {
    await writeFile(join(work, 'big.bin'), randomBytes(3 * 1024 * 1024));
    const sha = await commit('big');
    const n = pushes.length;
    const r = await gitClient(['push', url('tok-alice'), 'HEAD:refs/heads/big'], work, home);
    expect(r.code, r.stderr).toBe(0);
    expect(await resolveRef(join(reposDir, 'demo.git'), 'big')).toBe(sha);
    expect(pushes.length).toBe(n + 1); // the empty probe request is not reported as a push

    const small = await serve(
      createGitFront({
        reposDir,
        authenticate: async () => ({ userId: 'alice' }),
        authorize: async () => true,
        maxPushBytes: 200_000,
      }),
    );
    try {
      const tooBig = await gitClient(
        ['push', `http://git:x@127.0.0.1:${small.port}/git/other.git`, 'HEAD:refs/heads/main'],
        work,
        home,
      );
      expect(tooBig.code).not.toBe(0);
      expect(tooBig.stderr).toMatch(/pack exceeds maximum allowed size|unpack/);
      expect(await resolveRef(join(reposDir, 'other.git'), 'main')).toBeNull();
    } finally {
      await small.close();
    }
    await mustGit(['reset', '-q', '--hard', 'HEAD~1'], work, home);
  });

  it('clones with the right token; clone and push with a wrong token fail with 401', async () => {
    const ok = await gitClient(['clone', '-q', url('tok-alice'), join(home, 'clone-ok')], home, home);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await readFile(join(home, 'clone-ok', 'file.txt'), 'utf8')).toBe('two');

    const before = await resolveRef(join(reposDir, 'demo.git'), 'main');
    const bad = await gitClient(['clone', '-q', url('wrong'), join(home, 'clone-bad')], home, home);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Authentication failed|401/);
    await commit('three');
    const push = await gitClient(['push', url('wrong'), 'main'], work, home);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/Authentication failed|401/);
    expect(await resolveRef(join(reposDir, 'demo.git'), 'main')).toBe(before);
  });

  it('never auto-creates repositories: unknown app and unauthorized app are 404', async () => {
    const unknown = await gitClient(['push', url('tok-alice', 'nosuch'), 'main'], work, home);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/not found|404/);
    const foreign = await gitClient(['push', url('tok-bob'), 'main'], work, home);
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toMatch(/not found|404/);
    expect((await readdir(reposDir)).sort()).toEqual(['demo.git', 'other.git']);
  });

  it('accepts every ref of a multi-ref push (branch + tags) and knows the pusher of each', async () => {
    const sha = await commit('multi');
    await mustGit(['tag', 'v1'], work, home);
    await mustGit(['tag', '-a', 'v1-annotated', '-m', 'annotated'], work, home);
    const tagObj = await mustGit(['rev-parse', 'v1-annotated'], work, home);
    const n = calls.length;
    const r = await gitClient(['push', url('tok-alice'), 'main', 'refs/tags/v1', 'refs/tags/v1-annotated'], work, home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('remote: Tag v1 stored; only main/master deploy.');
    expect(r.stderr).toContain('remote: Tag v1-annotated stored; only main/master deploy.');
    expect(r.stderr).toMatch(/remote: Release v\d+ is live/);
    for (const ref of ['main', 'v1', 'v1-annotated^{commit}'])
      expect(await resolveRef(join(reposDir, 'demo.git'), ref)).toBe(sha);
    expect(calls.slice(n).map((c) => [c.ref, c.newSha])).toEqual([
      ['refs/heads/main', sha],
      ['refs/tags/v1', sha],
      ['refs/tags/v1-annotated', tagObj],
    ]);
    expect(resolved.slice(n)).toEqual(['alice', 'alice', 'alice']);
  });

  it('keys push tickets by app: another user pushing another app is named correctly', async () => {
    const sha = await mustGit(['rev-parse', 'HEAD'], work, home);
    const n = calls.length;
    const r = await gitClient(['push', url('tok-bob', 'other'), 'HEAD:refs/heads/main'], work, home);
    expect(r.code, r.stderr).toBe(0);
    expect(calls.slice(n)).toEqual([{ app: 'other', ref: 'refs/heads/main', oldSha: ZERO, newSha: sha, pusher: '' }]);
    expect(resolved.slice(n)).toEqual(['bob']);
    expect(takePusher('demo', sha)).toBeNull(); // unredeemed tickets die with their receive-pack
  });

  it.each([
    ['identity', 'split-id', (b: Buffer) => b, {}],
    ['gzip', 'split-gz', (b: Buffer) => gzipSync(b), { 'content-encoding': 'gzip' }],
    ['deflate', 'split-df', (b: Buffer) => deflateSync(b), { 'content-encoding': 'deflate' }],
  ])(
    'raw receive-pack (%s) with the commands split across chunks is served, not hung',
    async (_enc, branch, encode, extra) => {
      const sha = await mustGit(['rev-parse', 'HEAD'], work, home);
      const raw = receivePackBody([[ZERO, sha, `refs/heads/${branch}`]]);
      const body = encode(raw);
      const cuts = [3, 30, Math.min(70, body.length - 1)];
      const chunks = [0, ...cuts].map((at, i) => body.subarray(at, cuts[i] ?? body.length));
      const n = calls.length;
      const r = await postChunks(
        '/git/demo.git/git-receive-pack',
        {
          authorization: basic('git', 'tok-alice'),
          'content-type': 'application/x-git-receive-pack-request',
          ...extra,
        },
        chunks,
      );
      expect(r.status).toBe(200);
      expect(r.body).toContain('unpack ok');
      expect(r.body).toContain(`ok refs/heads/${branch}`);
      expect(await resolveRef(join(reposDir, 'demo.git'), branch)).toBe(sha);
      expect(calls.slice(n).map((c) => c.ref)).toEqual([`refs/heads/${branch}`]);
      expect(resolved.slice(n)).toEqual(['alice']);
    },
  );

  it("enforces the repo's own receive.maxInputSize (createRepo option) with git's message", async () => {
    await createRepo(reposDir, 'tiny', { maxPushBytes: 100_000 });
    await writeFile(join(work, 'big.bin'), randomBytes(300 * 1024));
    await commit('big-again');
    const open = await serve(
      createGitFront({ reposDir, authenticate: async () => ({ userId: 'alice' }), authorize: async () => true }),
    );
    try {
      const r = await gitClient(
        ['push', `http://git:x@127.0.0.1:${open.port}/git/tiny.git`, 'HEAD:refs/heads/main'],
        work,
        home,
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('pack exceeds maximum allowed size');
      expect(await resolveRef(join(reposDir, 'tiny.git'), 'main')).toBeNull();
    } finally {
      await open.close();
    }
    await mustGit(['reset', '-q', '--hard', 'HEAD~1'], work, home);
  });
});
