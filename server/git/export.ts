// Materialises a pushed commit as a plain directory (the build context), without escaping it.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-fs';
import { isSha } from './parse.ts';

export interface ExportOptions {
  /** Called for every symlink that was dropped because its target lies outside destDir. */
  onSkippedSymlink?(path: string, target: string): void;
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/**
 * `git archive --format=tar <commit>` extracted into destDir with tar-fs. Symlinks whose target
 * resolves outside destDir (absolute or `../..`) are not created; tar-fs additionally refuses to
 * write through symlinked directories. Modes are normalised to 0755/0644 (executable bit kept).
 */
export async function exportCommit(
  repoDir: string,
  commit: string,
  destDir: string,
  opts: ExportOptions = {},
): Promise<void> {
  if (!isSha(commit)) throw new Error(`exportCommit: not a 40-hex commit id: ${JSON.stringify(commit)}`);
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const ps = spawn('git', ['--git-dir', repoDir, 'archive', '--format=tar', commit], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  ps.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number>((res, rej) => {
    ps.on('error', rej);
    ps.on('close', (code) => res(code ?? 1));
  });
  const extract = tar.extract(root, {
    umask: 0o022,
    chown: false,
    ignore(name: string, header?: tar.Headers & { linkname?: string }) {
      if (!header) return false;
      if ((header.type as string) === 'symlink') {
        const target = header.linkname ?? '';
        const ok = !isAbsolute(target) && inside(root, resolve(dirname(name), target));
        if (!ok) opts.onSkippedSymlink?.(relative(root, name), target);
        return !ok;
      }
      // Only plain files, directories and (checked) symlinks come out of a git tree.
      return header.type !== 'file' && header.type !== 'directory';
    },
  } as tar.ExtractOptions);
  try {
    await pipeline(ps.stdout, extract);
  } catch (err) {
    ps.kill();
    const code = await exited.catch(() => 1);
    throw new Error(`exportCommit ${commit}: ${code !== 0 && stderr ? stderr.trim() : (err as Error).message}`);
  }
  const code = await exited;
  if (code !== 0) throw new Error(`git archive ${commit} failed (${code}): ${stderr.trim()}`);
}
