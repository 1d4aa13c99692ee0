// Upload checks (paths, caps), archive readers (.tar.gz with symlinks, .zip with deflate) and commitFolder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTreeTarget, readTarGz, readZip } from '../../server/console/archive.ts';
import { safeRelPath, stripCommonRoot, UploadError, writeEntries } from '../../server/console/upload.ts';
import { commitFolder } from '../../server/git/commitFolder.ts';
import { createRepo } from '../../server/git/repos.ts';
import { makeZip } from './zip.ts';

const limits = { totalBytes: 1 << 20, fileBytes: 1 << 19, files: 50 };
const enc = (s: string) => new TextEncoder().encode(s);

describe('upload checks', () => {
  it('accepts relative paths and refuses traversal, absolute, NUL, backslash and .git', () => {
    expect(safeRelPath('src/index.js')).toBe('src/index.js');
    expect(safeRelPath('./a/./b')).toBe('a/b');
    for (const bad of [
      '../x',
      'a/../../x',
      '/etc/passwd',
      'a\0b',
      'a\\..\\b',
      'C:/x',
      '.git/config',
      'a/.git/hooks/x',
      'a//b',
      '',
    ])
      expect(() => safeRelPath(bad), bad).toThrow(UploadError);
  });

  it('strips the folder name a directory picker adds', () => {
    expect(stripCommonRoot(['proj/a.js', 'proj/src/b.js'])).toEqual(['a.js', 'src/b.js']);
    expect(stripCommonRoot(['a.js', 'src/b.js'])).toEqual(['a.js', 'src/b.js']);
  });

  it('enforces file count, per-file and total caps', async () => {
    const dir = () => join(mkdtempSync(join(tmpdir(), 'kz-up-')), 't');
    await expect(
      writeEntries(
        dir(),
        Array.from({ length: 51 }, (_, i) => ({ path: `f${i}`, data: enc('x') })),
        limits,
      ),
    ).rejects.toThrow(/more than 50 files/);
    await expect(writeEntries(dir(), [{ path: 'big', data: new Uint8Array((1 << 19) + 1) }], limits)).rejects.toThrow(
      /larger than/,
    );
    await expect(
      writeEntries(
        dir(),
        [1, 2, 3].map((i) => ({ path: `f${i}`, data: new Uint8Array(400_000) })),
        limits,
      ),
    ).rejects.toThrow(/upload larger/);
    await expect(
      writeEntries(
        dir(),
        [
          { path: 'a', data: enc('1') },
          { path: 'a/b', data: enc('2') },
        ],
        limits,
      ),
    ).rejects.toThrow(/both a file and a folder/);
  });

  it('reads .tar.gz archives, keeping in-tree symlinks and dropping ones that leave the tree', async () => {
    const src = mkdtempSync(join(tmpdir(), 'kz-tar-'));
    mkdirSync(join(src, 'app/src'), { recursive: true });
    writeFileSync(join(src, 'app/package.json'), '{"name":"x"}');
    writeFileSync(join(src, 'app/src/index.js'), 'console.log(1)');
    symlinkSync('src/index.js', join(src, 'app/main.js'));
    symlinkSync('../../../etc/passwd', join(src, 'app/src/evil'));
    symlinkSync('/etc/shadow', join(src, 'app/abs'));
    const tgz = execFileSync('tar', ['-czf', '-', '-C', join(src, 'app'), '.']);
    const out = await readTarGz(tgz, limits);
    expect(out.files.map((f) => f.path).sort()).toEqual(['package.json', 'src/index.js']);
    expect(out.symlinks).toEqual([{ path: 'main.js', target: 'src/index.js' }]);
    expect(out.dropped.join(' ')).toMatch(/evil.*|abs/);
    await expect(readTarGz(Buffer.from('not gzip'), limits)).rejects.toThrow(UploadError);
    expect(inTreeTarget('a/b', '../c')).toBe('../c');
    expect(inTreeTarget('a/b', '../../c')).toBeNull();
  });

  it('reads .zip archives (deflate) and drops symlinks leaving the tree', () => {
    const zip = makeZip([
      { name: 'index.js', data: 'x'.repeat(1000) },
      { name: 'dir/', data: '' },
      { name: 'link', data: '../../etc', symlink: true },
    ]);
    const out = readZip(zip, limits);
    expect(out.files).toHaveLength(1);
    expect(Buffer.from(out.files[0].data).toString()).toBe('x'.repeat(1000));
    expect(out.dropped[0]).toMatch(/link/);
    expect(() => readZip(Buffer.from('PK nope'), limits)).toThrow(UploadError);
  });
});

describe('commitFolder', () => {
  it('commits a folder on main with a temporary index, chaining onto the previous commit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kz-commit-'));
    const repo = await createRepo(join(root, 'repos'), 'demo');
    const folder = join(root, 'f');
    mkdirSync(join(folder, 'src'), { recursive: true });
    writeFileSync(join(folder, 'src/a.txt'), 'one');
    const first = await commitFolder(repo, folder, { message: 'first', author: { name: 'a@b.c', email: 'a@b.c' } });
    expect(first.parent).toBeNull();
    writeFileSync(join(folder, 'src/a.txt'), 'two');
    const second = await commitFolder(repo, folder, { message: 'second', author: { name: 'a@b.c', email: 'a@b.c' } });
    expect(second.parent).toBe(first.commit);
    const git = (...a: string[]) =>
      execFileSync('git', ['--git-dir', repo, ...a])
        .toString()
        .trim();
    expect(git('rev-parse', 'refs/heads/main')).toBe(second.commit);
    expect(git('show', 'main:src/a.txt')).toBe('two');
    expect(git('log', '--format=%an %s', 'main')).toBe('a@b.c second\na@b.c first');
    expect(readFileSync(join(repo, 'HEAD'), 'utf8')).toContain('refs/heads/main');
  });
});
