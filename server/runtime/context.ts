// Build context as a tar stream: the context dir minus .git and .dockerignore'd paths.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-fs';
import { createIgnoreMatcher } from './dockerignore.ts';

export function readDockerignore(contextDir: string): string {
  try {
    return fs.readFileSync(path.join(contextDir, '.dockerignore'), 'utf8');
  } catch {
    return '';
  }
}

/** Context-relative paths that would be sent (sorted), for tests and build diagnostics. */
export function contextFiles(contextDir: string, dockerfile = 'Dockerfile'): string[] {
  const ignored = createIgnoreMatcher(readDockerignore(contextDir), [dockerfile, '.dockerignore']);
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const ent of fs.readdirSync(path.join(contextDir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${ent.name}` : ent.name;
      if (ignored(p, ent.isDirectory())) continue;
      if (ent.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk('');
  return out.sort();
}

export function packContext(contextDir: string, dockerfile = 'Dockerfile'): Readable {
  const root = path.resolve(contextDir);
  if (!fs.statSync(root).isDirectory()) throw new Error(`build context ${root} is not a directory`);
  const df = path.join(root, dockerfile);
  if (!df.startsWith(root + path.sep) || !fs.existsSync(df))
    throw new Error(`Dockerfile ${dockerfile} not found in build context`);
  const ignored = createIgnoreMatcher(readDockerignore(root), [dockerfile, '.dockerignore']);
  return tar.pack(root, {
    ignore(name: string) {
      const rel = path.relative(root, name).split(path.sep).join('/');
      if (!rel || rel.startsWith('..')) return false;
      let isDir = false;
      try {
        isDir = fs.lstatSync(name).isDirectory();
      } catch {
        return true;
      }
      return ignored(rel, isDir);
    },
  }) as unknown as Readable;
}
