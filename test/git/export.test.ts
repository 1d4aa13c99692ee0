import { chmod, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommit } from '../../server/git/export.ts';
import { createRepo, deleteRepo, POST_RECEIVE_HOOK, repoPath, resolveRef } from '../../server/git/repos.ts';
import { cleanupTempDirs, mustGit, tempDir } from './helpers.ts';

let home: string;
let work: string;
let gitDir: string;
let sha: string;

beforeAll(async () => {
  home = await tempDir();
  work = join(home, 'work');
  await mkdir(join(work, 'a', 'b'), { recursive: true });
  await mkdir(join(work, 'sub'));
  await writeFile(join(work, 'a', 'b', 'c.txt'), 'nested\n');
  await writeFile(join(work, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(work, 'run.sh'), 0o755);
  await symlink('/etc/passwd', join(work, 'link-etc'));
  await symlink('../../x', join(work, 'sub', 'up'));
  await symlink('..', join(work, 'parent'));
  await symlink('a/b/c.txt', join(work, 'ok-link'));
  await symlink('../a', join(work, 'sub', 'dir-link'));
  await mustGit(['init', '-q', '-b', 'main'], work, home);
  await mustGit(['add', '-A'], work, home);
  await mustGit(['commit', '-q', '-m', 'tree'], work, home);
  gitDir = join(work, '.git');
  sha = await mustGit(['rev-parse', 'HEAD'], work, home);
});
afterAll(cleanupTempDirs);

describe('exportCommit', () => {
  it('extracts nested dirs and the executable bit, keeps in-tree symlinks, drops escaping ones', async () => {
    const dest = join(await tempDir(), 'ctx');
    const skipped: string[] = [];
    await exportCommit(gitDir, sha, dest, { onSkippedSymlink: (p, t) => skipped.push(`${p} -> ${t}`) });
    expect(await readFile(join(dest, 'a', 'b', 'c.txt'), 'utf8')).toBe('nested\n');
    expect((await stat(join(dest, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dest, 'a', 'b', 'c.txt'))).mode & 0o777).toBe(0o644);
    expect(await readlink(join(dest, 'ok-link'))).toBe('a/b/c.txt');
    expect(await readlink(join(dest, 'sub', 'dir-link'))).toBe('../a');
    for (const p of ['link-etc', 'sub/up', 'parent']) await expect(lstat(join(dest, p))).rejects.toThrow(/ENOENT/);
    expect(skipped.sort()).toEqual(['link-etc -> /etc/passwd', 'parent -> ..', 'sub/up -> ../../x']);
  });

  it('refuses anything that is not a 40-hex commit id', async () => {
    const dest = await tempDir();
    for (const bad of ['HEAD', 'main', '--output=/tmp/pwned', sha.slice(0, 39), sha.toUpperCase()]) {
      await expect(exportCommit(gitDir, bad, dest)).rejects.toThrow(/40-hex/);
    }
    await expect(exportCommit(gitDir, 'f'.repeat(40), dest)).rejects.toThrow(/git archive|exportCommit/);
  });
});

describe('repos', () => {
  it('creates an idempotent bare repo with the hook and push config, resolves refs, deletes', async () => {
    const reposDir = await tempDir();
    const dir = await createRepo(reposDir, 'demo');
    expect(dir).toBe(repoPath(reposDir, 'demo'));
    expect(await createRepo(reposDir, 'demo')).toBe(dir);
    const hook = join(dir, 'hooks', 'post-receive');
    expect(await readFile(hook, 'utf8')).toBe(POST_RECEIVE_HOOK);
    expect((await stat(hook)).mode & 0o111).toBe(0o111);
    expect(await mustGit(['--git-dir', dir, 'config', 'receive.denyNonFastForwards'], home, home)).toBe('false');
    expect(await mustGit(['--git-dir', dir, 'config', 'http.receivepack'], home, home)).toBe('true');
    expect(await mustGit(['--git-dir', dir, 'config', 'receive.fsckObjects'], home, home)).toBe('true');
    // node-git-server can't pass `git -c`: the push limit and hooks path live in the repo config.
    expect(await mustGit(['--git-dir', dir, 'config', 'receive.maxInputSize'], home, home)).toBe(String(1024 ** 3));
    expect(await mustGit(['--git-dir', dir, 'config', 'core.hooksPath'], home, home)).toBe('hooks');
    await createRepo(reposDir, 'demo', { maxPushBytes: 5000 });
    expect(await mustGit(['--git-dir', dir, 'config', 'receive.maxInputSize'], home, home)).toBe('5000');

    expect(await resolveRef(gitDir, 'main')).toBe(sha);
    expect(await resolveRef(gitDir, 'refs/heads/main')).toBe(sha);
    expect(await resolveRef(gitDir, 'nope')).toBeNull();
    expect(await resolveRef(gitDir, '--all')).toBeNull();
    expect(await resolveRef(dir, 'main')).toBeNull(); // empty repo

    await deleteRepo(reposDir, 'demo');
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('rejects invalid app names before touching the filesystem', async () => {
    const reposDir = await tempDir();
    for (const bad of ['../x', 'a/b', 'Demo', '', '..']) {
      expect(() => repoPath(reposDir, bad)).toThrow(/invalid app name/);
      await expect(createRepo(reposDir, bad)).rejects.toThrow(/invalid app name/);
      await expect(deleteRepo(reposDir, bad)).rejects.toThrow(/invalid app name/);
    }
  });
});
