// Uploaded folders waiting for "Deploy": <dataDir>/uploads/<id>/{meta.json,tree/}, owned by one user and app,
// removed after deploying or after an hour.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArchiveContents } from './archive.ts';
import { safeRelPath, writeEntries, type UploadEntry, type UploadLimits } from './upload.ts';

const MAX_AGE_MS = 3600_000;

export interface UploadMeta {
  app: string;
  userId: number;
  createdAt: number;
  files: number;
  dropped: string[];
}

export class UploadStore {
  constructor(private root: string) {}

  private dir(id: string) {
    if (!/^[0-9a-f]{24}$/.test(id)) throw new Error('invalid upload id');
    return join(this.root, id);
  }

  tree(id: string) {
    return join(this.dir(id), 'tree');
  }

  /** Writes validated files (and in-tree symlinks from archives) under a new id. */
  async save(
    meta: Omit<UploadMeta, 'createdAt' | 'files' | 'dropped'>,
    files: UploadEntry[],
    limits: UploadLimits,
    archive?: ArchiveContents,
  ) {
    await this.sweep();
    const id = randomBytes(12).toString('hex');
    const tree = this.tree(id);
    try {
      const count = await writeEntries(tree, files, limits);
      const dropped = [...(archive?.dropped ?? [])];
      const written = new Set(files.map((f) => safeRelPath(f.path)));
      for (const l of archive?.symlinks ?? []) {
        const path = safeRelPath(l.path);
        // A link under another link could escape through it: only links whose folders are real folders.
        const under = (p: string, dir: string) => p.startsWith(`${dir}/`);
        if (
          written.has(path) ||
          [...written].some((f) => under(f, path)) ||
          archive!.symlinks.some((o) => o !== l && under(path, safeRelPath(o.path)))
        ) {
          dropped.push(`${path} (symlink)`);
          continue;
        }
        await mkdir(dirname(join(tree, path)), { recursive: true });
        await symlink(l.target, join(tree, path));
      }
      const full: UploadMeta = { ...meta, createdAt: Date.now(), files: count, dropped };
      await writeFile(join(this.dir(id), 'meta.json'), JSON.stringify(full));
      return { id, meta: full };
    } catch (e) {
      await rm(this.dir(id), { recursive: true, force: true });
      throw e;
    }
  }

  async meta(id: string): Promise<UploadMeta | null> {
    try {
      const m = JSON.parse(await readFile(join(this.dir(id), 'meta.json'), 'utf8')) as UploadMeta;
      return Date.now() - m.createdAt < MAX_AGE_MS ? m : null;
    } catch {
      return null;
    }
  }

  remove(id: string) {
    return rm(this.dir(id), { recursive: true, force: true });
  }

  private async sweep() {
    await mkdir(this.root, { recursive: true });
    for (const name of await readdir(this.root)) {
      const s = await stat(join(this.root, name)).catch(() => null);
      if (s && Date.now() - s.mtimeMs > MAX_AGE_MS) await rm(join(this.root, name), { recursive: true, force: true });
    }
  }
}
