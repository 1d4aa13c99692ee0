import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFromDir } from '../../server/snapshot/fs.ts';

const base = mkdtempSync(join(tmpdir(), 'kyozo-snap-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const put = (root: string, files: Record<string, string | Buffer>) => {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
};

describe('snapshotFromDir', () => {
  it('lists files once and prunes dependency, VCS, virtualenv and output folders before descending', () => {
    const root = join(base, 'prune');
    put(root, {
      'package.json': '{}',
      'src/index.js': '',
      'node_modules/x/package.json': '{}',
      '.git/HEAD': 'ref',
      'vendor/a.go': '',
      'dist/out.js': '',
      'env/pyvenv.cfg': 'home=/usr',
      'env/lib/site.py': '',
      'apps/web/.next/cache/x': '',
      'apps/web/page.js': '',
      'target/release/bin': '',
      '__pycache__/a.pyc': '',
    });
    const s = snapshotFromDir(root);
    expect([...s.paths].sort()).toEqual(['apps/web/page.js', 'package.json', 'src/index.js']);
    expect(s.truncated).toBeUndefined();
  });

  it('never follows symlinks out of the tree or into loops; in-tree file links are readable', () => {
    const root = join(base, 'links');
    const outside = join(base, 'outside-secret.txt');
    writeFileSync(outside, 'TOP SECRET');
    put(root, { 'real/file.txt': 'inside', 'a.txt': 'a' });
    symlinkSync(outside, join(root, 'leak.txt'));
    symlinkSync(base, join(root, 'up'));
    symlinkSync('..', join(root, 'real/loop'));
    symlinkSync('real/file.txt', join(root, 'alias.txt'));
    symlinkSync('missing', join(root, 'dangling'));
    const s = snapshotFromDir(root);
    expect([...s.paths].sort()).toEqual(['a.txt', 'alias.txt', 'real/file.txt']);
    expect(s.read('alias.txt')).toBe('inside');
    expect(s.read('leak.txt')).toBeNull();
    expect(s.read('../outside-secret.txt')).toBeNull();
    expect(s.read('up/outside-secret.txt')).toBeNull();
  });

  it('caps reads, refuses binary files and unknown paths', () => {
    const root = join(base, 'reads');
    put(root, {
      'big.txt': 'x'.repeat(2 * 1024 * 1024),
      'bin.dat': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]),
      'utf8.txt': 'héllo ✓',
    });
    const s = snapshotFromDir(root);
    expect(s.read('big.txt')!.length).toBe(256 * 1024);
    expect(s.read('big.txt', 10)).toBe('xxxxxxxxxx');
    expect(s.read('bin.dat')).toBeNull();
    expect(s.read('utf8.txt')).toBe('héllo ✓');
    expect(s.read('nope.txt')).toBeNull();
  });

  it('handles odd file names', () => {
    const root = join(base, 'odd');
    const names = [
      'with space.txt',
      'ünïcødé-文件.md',
      'new\nline.txt',
      '-dash.js',
      '#hash',
      'quote\'"s',
      'back\\slash',
      'emoji-🚀.json',
    ];
    put(root, Object.fromEntries(names.map((n) => [`d/${n}`, n])));
    const s = snapshotFromDir(root);
    expect(s.paths.length).toBe(names.length);
    for (const n of names) expect(s.read(`d/${n}`)).toBe(n);
  });

  it('stops at maxFiles and says it was truncated', () => {
    const root = join(base, 'cap');
    put(root, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}.txt`, ''])));
    const s = snapshotFromDir(root, { maxFiles: 10 });
    expect(s.paths.length).toBe(10);
    expect(s.truncated).toBe(true);
  });

  it('finishes a 100,000-file tree', () => {
    const root = join(base, 'huge');
    for (let d = 0; d < 100; d++) {
      const dir = join(root, `pkg${d}`, 'src');
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 1000; f++) writeFileSync(join(dir, `m${f}.js`), '');
    }
    const t0 = performance.now();
    const s = snapshotFromDir(root);
    expect(s.paths.length).toBe(100_000);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 120_000);
});
