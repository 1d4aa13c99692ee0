// A Snapshot of a folder on disk: one walk, skipped folders pruned before descending, symlinks that leave
// the tree ignored (and symlinked folders never followed, so no loops), reads capped and binary files refused.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
  type Dirent,
} from 'node:fs';
import { join, sep } from 'node:path';
import { SKIP_DIRS } from '../analysis/tree.ts';
import type { Snapshot } from '../analysis/types.ts';

export interface SnapshotOptions {
  /** Stop listing after this many files (the snapshot is then marked truncated). Default 200,000. */
  maxFiles?: number;
  /** Do not descend deeper than this many folder levels. Default 32. */
  maxDepth?: number;
}

const DEFAULT_READ = 256 * 1024;

export function snapshotFromDir(dir: string, opts: SnapshotOptions = {}): Snapshot {
  const maxFiles = opts.maxFiles ?? 200_000;
  const maxDepth = opts.maxDepth ?? 32;
  const root = realpathSync(dir);
  const paths: string[] = [];
  const linked = new Map<string, string>(); // relative path → real path of an in-tree symlinked file
  let truncated = false;
  const stack: [string, string, number][] = [[root, '', 0]];
  walk: while (stack.length) {
    const [abs, rel, depth] = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    // A folder with pyvenv.cfg is a virtualenv, whatever its name.
    if (rel && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: [string, string, number][] = [];
    for (const e of entries) {
      const name = e.name;
      const r = rel ? `${rel}/${name}` : name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(name) && depth < maxDepth) subdirs.push([join(abs, name), r, depth + 1]);
      } else if (e.isFile()) {
        if (paths.length >= maxFiles) {
          truncated = true;
          break walk;
        }
        paths.push(r);
      } else if (e.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(join(abs, name));
        } catch {
          continue;
        } // dangling
        if (!real.startsWith(root + sep)) continue; // points outside the tree: never followed
        try {
          if (!statSync(real).isFile()) continue;
        } catch {
          continue;
        } // symlinked folders are skipped: no loops
        if (paths.length >= maxFiles) {
          truncated = true;
          break walk;
        }
        paths.push(r);
        linked.set(r, real);
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
  const known = new Set(paths);
  return {
    paths,
    truncated: truncated || undefined,
    read(path: string, maxBytes = DEFAULT_READ): string | null {
      if (!known.has(path)) return null;
      let fd: number | null = null;
      try {
        const real = linked.get(path);
        fd = real
          ? openSync(real, constants.O_RDONLY)
          : openSync(join(root, path), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
        const st = fstatSync(fd);
        if (!st.isFile()) return null;
        const buf = Buffer.allocUnsafe(Math.max(0, Math.min(maxBytes, st.size)));
        let n = 0;
        while (n < buf.length) {
          const got = readSync(fd, buf, n, buf.length - n, n);
          if (got <= 0) break;
          n += got;
        }
        const data = buf.subarray(0, n);
        if (data.subarray(0, 8000).includes(0)) return null; // binary
        return data.toString('utf8');
      } catch {
        return null;
      } finally {
        if (fd !== null) closeSync(fd);
      }
    },
  };
}
