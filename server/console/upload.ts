// Uploaded folders: every path checked (relative, no "..", no absolute, no NUL/backslash, no .git), size
// caps on the total, each file and the file count, then written under a fresh directory with O_EXCL.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export class UploadError extends Error {}

export interface UploadLimits {
  totalBytes: number;
  fileBytes: number;
  files: number;
}

/** KYOZO_UPLOAD_MAX_MB (default 100) caps a whole upload; one file ≤ 50 MiB; ≤ 20,000 files. */
export function uploadLimits(env: Record<string, string | undefined> = process.env): UploadLimits {
  const mb = Number(env.KYOZO_UPLOAD_MAX_MB ?? 100);
  const totalBytes = (Number.isFinite(mb) && mb > 0 ? mb : 100) * 1024 * 1024;
  return { totalBytes, fileBytes: Math.min(totalBytes, 50 * 1024 * 1024), files: 20_000 };
}

/** The normalized relative POSIX path, or an UploadError naming what is wrong with it. */
export function safeRelPath(raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new UploadError('empty file name');
  if (raw.length > 1024) throw new UploadError('file path longer than 1024 characters');
  if (/[\0\\]/.test(raw) || /[\x00-\x1f]/.test(raw))
    throw new UploadError(`invalid character in path ${JSON.stringify(raw.slice(0, 80))}`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw))
    throw new UploadError(`absolute path refused: ${raw.slice(0, 80)}`);
  const parts = raw.split('/').filter((p, i, a) => !(p === '' && i === a.length - 1) && p !== '.');
  for (const p of parts) {
    if (p === '' || p === '..') throw new UploadError(`path traversal refused: ${raw.slice(0, 80)}`);
    if (p === '.git') throw new UploadError(`.git folders cannot be uploaded: ${raw.slice(0, 80)}`);
    if (Buffer.byteLength(p) > 255) throw new UploadError('file name longer than 255 bytes');
  }
  if (parts.length === 0) throw new UploadError(`invalid path ${raw.slice(0, 80)}`);
  return parts.join('/');
}

/** Drops the folder name a directory picker puts in front of every path, when all paths share it. */
export function stripCommonRoot(paths: string[]): string[] {
  if (paths.length === 0 || !paths.every((p) => p.includes('/'))) return paths;
  const first = paths[0].split('/')[0];
  return paths.every((p) => p.split('/')[0] === first) ? paths.map((p) => p.slice(first.length + 1)) : paths;
}

export interface UploadEntry {
  path: string;
  data: Uint8Array;
}

/** Tracks caps while entries arrive (archives check before inflating everything). */
export class UploadBudget {
  private total = 0;
  private count = 0;
  constructor(private limits: UploadLimits) {}
  add(size: number, path: string) {
    if (++this.count > this.limits.files) throw new UploadError(`more than ${this.limits.files} files`);
    if (size > this.limits.fileBytes)
      throw new UploadError(`${path} is larger than ${Math.round(this.limits.fileBytes / 1048576)} MiB`);
    this.total += size;
    if (this.total > this.limits.totalBytes)
      throw new UploadError(`upload larger than ${Math.round(this.limits.totalBytes / 1048576)} MiB`);
  }
}

/** Validates every entry, then writes them under `dir` (which must be new and empty). */
export async function writeEntries(dir: string, entries: UploadEntry[], limits: UploadLimits): Promise<number> {
  const budget = new UploadBudget(limits);
  const seen = new Set<string>();
  const checked = entries.map((e) => {
    const path = safeRelPath(e.path);
    budget.add(e.data.byteLength, path);
    if (seen.has(path)) throw new UploadError(`duplicate path ${path}`);
    seen.add(path);
    return { path, data: e.data };
  });
  for (const p of seen) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++)
      if (seen.has(parts.slice(0, i).join('/')))
        throw new UploadError(`${parts.slice(0, i).join('/')} is both a file and a folder`);
  }
  await mkdir(dir, { recursive: true });
  for (const e of checked) {
    const target = join(dir, ...e.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, e.data, { flag: 'wx', mode: 0o644 });
  }
  return checked.length;
}
