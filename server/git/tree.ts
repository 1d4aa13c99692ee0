// Tree object ids of folders in a commit: the cheapest exact "did this service's source change" test.
import { runGit } from './git.ts';
import { isSha } from './parse.ts';

/** `<commit>:<path>` tree id per path ("." = the root tree); null for paths that are not folders. */
export async function treeIds(
  repoDir: string,
  commit: string,
  paths: string[],
): Promise<Record<string, string | null>> {
  if (!isSha(commit)) throw new Error(`invalid commit ${JSON.stringify(commit)}`);
  const out: Record<string, string | null> = {};
  for (const p of paths) {
    const spec = p === '.' || p === '' ? `${commit}^{tree}` : `${commit}:${p.replace(/^\.\//, '')}`;
    const r = await runGit(['--git-dir', repoDir, 'rev-parse', '--verify', '--quiet', spec]);
    out[p] = r.code === 0 ? r.stdout.trim() : null;
  }
  return out;
}
