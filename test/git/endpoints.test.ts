// Raw HTTP against the git front: every endpoint needs credentials, names are checked first.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGitFront } from '../../server/git/front.ts';
import { createRepo, resolveRef } from '../../server/git/repos.ts';
import { basic, cleanupTempDirs, rawRequest, serve, tempDir, type Served } from './helpers.ts';

const authenticate = vi.fn(async (_u: string, p: string) =>
  p === 'tok-alice' ? { userId: 'alice' } : p === 'tok-bob' ? { userId: 'bob' } : null,
);
const authorize = vi.fn(async (userId: string, app: string) => userId === 'alice' && app === 'demo');
let reposDir: string;
let front: Served;
const alice = { authorization: basic('git', 'tok-alice') };
const bob = { authorization: basic('git', 'tok-bob') };
const RP = { 'content-type': 'application/x-git-receive-pack-request' };

beforeAll(async () => {
  reposDir = await tempDir();
  await createRepo(reposDir, 'demo');
  front = await serve(createGitFront({ reposDir, authenticate, authorize }));
});
afterAll(async () => {
  await front?.close();
  await cleanupTempDirs();
});

describe('git front endpoints', () => {
  it.each([
    ['GET', '/git/demo.git/info/refs?service=git-upload-pack'],
    ['GET', '/git/demo.git/info/refs?service=git-receive-pack'],
    ['POST', '/git/demo.git/git-upload-pack'],
    ['POST', '/git/demo.git/git-receive-pack'],
    ['HEAD', '/git/demo.git/HEAD'],
    ['GET', '/git/demo.git/objects/info/packs'],
    ['GET', '/git/nosuch.git/info/refs?service=git-upload-pack'],
  ])('%s %s without credentials → 401 with a Basic challenge', async (method, path) => {
    const r = await rawRequest(
      front.port,
      method,
      path,
      method === 'POST' ? RP : {},
      method === 'POST' ? '0000' : undefined,
    );
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Basic realm="kyozo"');
  });

  it('wrong token → 401 even on a raw receive-pack POST', async () => {
    const r = await rawRequest(
      front.port,
      'POST',
      '/git/demo.git/git-receive-pack',
      { ...RP, authorization: basic('git', 'nope') },
      '0000',
    );
    expect(r.status).toBe(401);
  });

  it('authenticated but unauthorized user → 404 (same as a missing app), repo untouched', async () => {
    const r = await rawRequest(front.port, 'POST', '/git/demo.git/git-receive-pack', { ...bob, ...RP }, '0000');
    expect(r.status).toBe(404);
    expect(authorize).toHaveBeenCalledWith('bob', 'demo');
    expect(await resolveRef(`${reposDir}/demo.git`, 'main')).toBeNull();
    expect((await rawRequest(front.port, 'GET', '/git/demo.git/info/refs?service=git-upload-pack', bob)).status).toBe(
      404,
    );
  });

  it('unknown app → 404 and nothing is created', async () => {
    const r = await rawRequest(front.port, 'GET', '/git/nosuch.git/info/refs?service=git-receive-pack', alice);
    expect(r.status).toBe(404);
    expect(await readdir(reposDir)).toEqual(['demo.git']);
  });

  it.each([
    '/git/..%2F..%2Fetc.git/info/refs?service=git-upload-pack',
    '/git/../../etc/passwd',
    '/git/%2e%2e.git/info/refs',
    '/git/Demo.git/info/refs',
    '/git/demo.git.git/info/refs',
    '/git/.git/HEAD',
  ])('invalid name %s → 400 before auth or fs access', async (path) => {
    authenticate.mockClear();
    authorize.mockClear();
    const r = await rawRequest(front.port, 'GET', path, alice);
    expect(r.status).toBe(400);
    expect(authenticate).not.toHaveBeenCalled();
    expect(authorize).not.toHaveBeenCalled();
  });

  it('serves the smart ref advertisement and refuses the dumb protocol and other paths', async () => {
    const adv = await rawRequest(front.port, 'GET', '/git/demo.git/info/refs?service=git-upload-pack', alice);
    expect(adv.status).toBe(200);
    expect(adv.headers['content-type']).toBe('application/x-git-upload-pack-advertisement');
    expect(adv.body.startsWith('001e# service=git-upload-pack\n0000')).toBe(true);
    expect((await rawRequest(front.port, 'GET', '/git/demo.git/info/refs', alice)).status).toBe(403);
    expect((await rawRequest(front.port, 'GET', '/git/demo.git/HEAD', alice)).status).toBe(404);
    expect((await rawRequest(front.port, 'GET', '/git/demo.git/git-receive-pack', alice)).status).toBe(405);
    expect(
      (
        await rawRequest(
          front.port,
          'POST',
          '/git/demo.git/git-receive-pack',
          { ...alice, 'content-type': 'text/plain' },
          'x',
        )
      ).status,
    ).toBe(415);
  });

  it.each([
    ['not pkt-lines', 'hello world'],
    ['a bad pkt length', '0003'],
    [
      'a body that ends inside the command list',
      `0080${'a'.repeat(40)} ${'b'.repeat(40)} refs/heads/main\0report-status`,
    ],
    ['a command list over 1 MiB', `03e8${'x'.repeat(996)}`.repeat(1100) + '0000'],
    ['only refs outside heads/tags', `0070${'0'.repeat(40)} ${'b'.repeat(40)} refs/notes/x\0report-status0000`],
  ])('a receive-pack body with %s → 400, nothing reaches git', async (_what, body) => {
    const r = await rawRequest(front.port, 'POST', '/git/demo.git/git-receive-pack', { ...alice, ...RP }, body);
    expect(r.status).toBe(400);
    expect(await readdir(`${reposDir}/demo.git/refs/heads`)).toEqual([]);
  });

  it('an upload-pack body without wants → 400 instead of hanging; unknown content-encoding → 415', async () => {
    const UP = { ...alice, 'content-type': 'application/x-git-upload-pack-request' };
    expect((await rawRequest(front.port, 'POST', '/git/demo.git/git-upload-pack', UP, '0009done\n0000')).status).toBe(
      400,
    );
    expect(
      (await rawRequest(front.port, 'POST', '/git/demo.git/git-upload-pack', { ...UP, 'content-encoding': 'br' }, 'x'))
        .status,
    ).toBe(415);
    expect(
      (
        await rawRequest(
          front.port,
          'POST',
          '/git/demo.git/git-receive-pack',
          { ...alice, ...RP, 'content-encoding': 'gzip' },
          'not gzip',
        )
      ).status,
    ).toBe(400);
  });
});
