import { describe, expect, it } from 'vitest';
import {
  branchOf,
  isDeployBranch,
  isValidAppName,
  parseBasicAuth,
  parseGitUrl,
  parsePostReceiveInput,
} from '../../server/git/parse.ts';
import { hookUrl } from '../../server/git/hookEnv.ts';
import { planPostReceive, secretMatches } from '../../server/git/hookRoute.ts';
import { releaseFailedLine, releaseLiveLine } from '../../server/release/messages.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);

describe('app names and git URLs', () => {
  it('accepts DNS labels only', () => {
    for (const ok of ['a', 'demo', 'my-app-2', 'a'.repeat(63)]) expect(isValidAppName(ok)).toBe(true);
    for (const bad of ['', '2app', '-a', 'a-', 'A', 'a.b', 'a_b', 'a'.repeat(64), '..', 'a/b', 'a%2Fb'])
      expect(isValidAppName(bad)).toBe(false);
  });

  it('splits /git/<app>.git/<sub>?query and rejects traversal', () => {
    expect(parseGitUrl('/git/demo.git/info/refs?service=git-upload-pack')).toEqual({
      kind: 'git',
      app: 'demo',
      sub: '/info/refs',
      query: 'service=git-upload-pack',
    });
    expect(parseGitUrl('/git/demo/git-receive-pack')).toEqual({
      kind: 'git',
      app: 'demo',
      sub: '/git-receive-pack',
      query: '',
    });
    expect(parseGitUrl('/api/apps')).toEqual({ kind: 'not-git' });
    for (const bad of [
      '/git/..%2F..%2Fetc.git/info/refs',
      '/git/../etc/passwd',
      '/git/%2e%2e.git/HEAD',
      '/git/Demo.git/HEAD',
      '/git/.git/HEAD',
      '/git/a.b.git/HEAD',
    ]) {
      expect(parseGitUrl(bad).kind).toBe('bad-name');
    }
  });
});

describe('parseBasicAuth', () => {
  const enc = (s: string) => 'Basic ' + Buffer.from(s).toString('base64');
  it('parses user and a password that contains colons', () => {
    expect(parseBasicAuth(enc('git:tok:en'))).toEqual({ username: 'git', password: 'tok:en' });
    expect(parseBasicAuth(enc(':tok'))).toEqual({ username: '', password: 'tok' });
  });
  it('rejects missing or malformed headers', () => {
    for (const h of [undefined, '', 'Bearer x', 'Basic', 'Basic !!!', enc('nocolon')])
      expect(parseBasicAuth(h)).toBeNull();
  });
});

describe('post-receive input', () => {
  it('parses ref update lines and skips junk', () => {
    const input = `${A} ${B} refs/heads/main\n\ngarbage\n${Z} ${A} refs/tags/v1\n`;
    expect(parsePostReceiveInput(input)).toEqual([
      { oldSha: A, newSha: B, ref: 'refs/heads/main' },
      { oldSha: Z, newSha: A, ref: 'refs/tags/v1' },
    ]);
  });
  it('knows which branches deploy', () => {
    expect(branchOf('refs/heads/feature/x')).toBe('feature/x');
    expect(branchOf('refs/tags/v1')).toBeNull();
    expect(isDeployBranch('main') && isDeployBranch('master')).toBe(true);
    expect(isDeployBranch('develop') || isDeployBranch(null)).toBe(false);
  });
});

describe('planPostReceive (hook route helper)', () => {
  const body = { app: 'demo', ref: 'refs/heads/main', oldSha: Z, newSha: B, pusher: 'u1' };
  it('checks the secret in constant time', () => {
    expect(secretMatches('s3cret', 's3cret')).toBe(true);
    expect(secretMatches('s3creT', 's3cret') || secretMatches(undefined, 's3cret') || secretMatches('', '')).toBe(
      false,
    );
    expect(planPostReceive('nope', 's3cret', body)).toMatchObject({ kind: 'reject', status: 401 });
  });
  it('validates the body', () => {
    for (const bad of [
      null,
      'x',
      { ...body, app: '../x' },
      { ...body, newSha: 'HEAD' },
      { ...body, pusher: 7 },
      { ...body, pusher: 'a b' },
      { ...body, ref: 'main' },
    ]) {
      expect(planPostReceive('s', 's', bad)).toMatchObject({ kind: 'reject', status: 400 });
    }
  });
  it('deploys main/master, stores other refs, handles deletions', () => {
    expect(planPostReceive('s', 's', body)).toEqual({ kind: 'deploy', push: { ...body, branch: 'main' } });
    // hook.mjs normally sends no pusher: the route resolves it with takePusher(); null = unknown.
    expect(planPostReceive('s', 's', { ...body, pusher: '' })).toEqual({
      kind: 'deploy',
      push: { ...body, pusher: null, branch: 'main' },
    });
    expect(planPostReceive('s', 's', { ...body, ref: 'refs/heads/master' })).toMatchObject({ kind: 'deploy' });
    expect(planPostReceive('s', 's', { ...body, ref: 'refs/heads/feature-x' })).toEqual({
      kind: 'reply',
      line: 'Branch feature-x stored; only main/master deploy.',
    });
    expect(planPostReceive('s', 's', { ...body, ref: 'refs/tags/v1' })).toEqual({
      kind: 'reply',
      line: 'Tag v1 stored; only main/master deploy.',
    });
    expect(planPostReceive('s', 's', { ...body, newSha: Z })).toMatchObject({
      kind: 'reply',
      line: 'Branch main deleted; the running release is unchanged.',
    });
  });
  it('builds a loopback hook URL for the listen host', () => {
    expect(hookUrl(3000)).toBe('http://127.0.0.1:3000/internal/git/post-receive');
    expect(hookUrl(3000, '::')).toBe('http://127.0.0.1:3000/internal/git/post-receive');
    expect(hookUrl(3000, '::1')).toBe('http://[::1]:3000/internal/git/post-receive');
    expect(hookUrl(3000, 'localhost')).toBe('http://localhost:3000/internal/git/post-receive');
  });
  it('formats final lines', () => {
    expect(releaseLiveLine(3, 'http://demo.localhost:8080')).toBe('Release v3 is live at http://demo.localhost:8080');
    expect(releaseFailedLine(2, 'build failed:\n  npm ERR')).toBe('! Release v2 failed: build failed: npm ERR');
  });
});
