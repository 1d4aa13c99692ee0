// The installed post-receive hook + hook.mjs, run directly against a stub of the hook route.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookEnvVars, hookUrl, installHookEnv } from '../../server/git/hookEnv.ts';
import { createRepo } from '../../server/git/repos.ts';
import { cleanupTempDirs, serve, tempDir, type Served } from './helpers.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const bodies: unknown[] = [];
let stub: Served;
let repo: string;
let reply: { status: number; text: string } = { status: 200, text: '' };

beforeAll(async () => {
  repo = await createRepo(await tempDir(), 'demo');
  stub = await serve(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    bodies.push({ secret: req.headers['x-kyozo-hook-secret'], ...JSON.parse(raw) });
    res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.text);
  });
});
afterAll(async () => {
  await stub?.close();
  await cleanupTempDirs();
});

function runHook(env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const ps = spawn(join(repo, 'hooks', 'post-receive'), [], { cwd: repo, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    ps.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    ps.on('error', reject);
    ps.on('close', (code) => resolve({ code: code ?? -1, out }));
    ps.stdin.on('error', () => {}); // a hook that exits early must not crash the test
    ps.stdin.end(stdin);
  });
}

/** What git inherits from the server after installHookEnv(): no app, no pusher. */
const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  ...hookEnvVars({ url: hookUrl(stub.port), secret: 's3' }),
});

describe('post-receive hook', () => {
  it('posts each ref line in order and copies the response; exit 0 on success', async () => {
    bodies.length = 0;
    reply = { status: 200, text: 'step 1\nRelease v1 is live at http://demo.localhost' };
    const r = await runHook(env(), `${A} ${B} refs/heads/main\n${B} ${A} refs/heads/dev\n`);
    expect(r.code).toBe(0);
    expect(r.out).toBe('step 1\nRelease v1 is live at http://demo.localhost\n'.repeat(2));
    // The app comes from the repo directory (<app>.git), the pusher is left to the route (takePusher).
    expect(bodies).toEqual([
      { secret: 's3', app: 'demo', ref: 'refs/heads/main', oldSha: A, newSha: B, pusher: '' },
      { secret: 's3', app: 'demo', ref: 'refs/heads/dev', oldSha: B, newSha: A, pusher: '' },
    ]);
  });

  it('derives the app with GIT_DIR="." and honours explicit KYOZO_APP / KYOZO_PUSHER', async () => {
    bodies.length = 0;
    reply = { status: 200, text: 'ok\n' };
    expect((await runHook({ ...env(), GIT_DIR: '.' }, `${A} ${B} refs/heads/main\n`)).code).toBe(0);
    expect((await runHook({ ...env(), GIT_DIR: repo }, `${A} ${B} refs/heads/main\n`)).code).toBe(0);
    expect(
      (await runHook({ ...env(), KYOZO_APP: 'other', KYOZO_PUSHER: 'u7' }, `${A} ${B} refs/heads/main\n`)).code,
    ).toBe(0);
    expect(bodies.map((b) => [(b as Record<string, unknown>).app, (b as Record<string, unknown>).pusher])).toEqual([
      ['demo', ''],
      ['demo', ''],
      ['other', 'u7'],
    ]);
  });

  it('installHookEnv writes the configuration into an environment and clears stray app/pusher', () => {
    const target: NodeJS.ProcessEnv = { KEEP: '1', KYOZO_APP: 'x', KYOZO_PUSHER: 'y' };
    installHookEnv({ url: 'http://127.0.0.1:9/internal/git/post-receive', secret: 'k' }, target);
    expect(target).toEqual({
      KEEP: '1',
      KYOZO_HOOK_URL: 'http://127.0.0.1:9/internal/git/post-receive',
      KYOZO_HOOK_SECRET: 'k',
      KYOZO_HOOK_SCRIPT: expect.stringMatching(/server\/git\/hook\.mjs$/),
      KYOZO_NODE: process.execPath,
    });
  });

  it('exits 1 when the final line reports a failed release', async () => {
    reply = { status: 200, text: 'building\n! Release v2 failed: boom\n' };
    const r = await runHook(env(), `${A} ${B} refs/heads/main\n`);
    expect(r).toEqual({ code: 1, out: 'building\n! Release v2 failed: boom\n' });
  });

  it('exits 1 when Kyozo refuses the call or cannot be reached', async () => {
    reply = { status: 401, text: 'bad hook secret' };
    const refused = await runHook(env(), `${A} ${B} refs/heads/main\n`);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('HTTP 401: bad hook secret');
    const down = await runHook({ ...env(), KYOZO_HOOK_URL: hookUrl(1) }, `${A} ${B} refs/heads/main\n`);
    expect(down.code).toBe(1);
    expect(down.out).toMatch(
      /^! Could not reach Kyozo at http:\/\/127\.0\.0\.1:1 .*refs\/heads\/main stored but not deployed/,
    );
  });

  it('only calls loopback URLs', async () => {
    bodies.length = 0;
    const r = await runHook(
      { ...env(), KYOZO_HOOK_URL: 'http://example.com/internal/git/post-receive' },
      `${A} ${B} refs/heads/main\n`,
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('not a loopback http URL');
    expect(bodies).toEqual([]);
  });

  it('falls back to node on PATH and explains a missing configuration', async () => {
    reply = { status: 200, text: 'Branch dev stored; only main/master deploy.\n' };
    const fallback = { ...env(), KYOZO_NODE: '/nonexistent/node', PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
    expect(await runHook(fallback, `${A} ${B} refs/heads/dev\n`)).toEqual({ code: 0, out: reply.text });
    const bare = { PATH: '/usr/bin:/bin' };
    const r = await runHook(bare, `${A} ${B} refs/heads/main\n`);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not configured');
  });
});
