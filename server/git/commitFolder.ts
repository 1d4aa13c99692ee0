// Turns a folder on disk into a commit on the app's bare repository's main branch, with git plumbing and a
// temporary index (the repository never gets a work tree): add -A, write-tree, commit-tree, update-ref.
// update-ref runs no hook, so the caller starts the release itself (releasePush), exactly like a push.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, runGit } from './git.ts';
import { resolveRef } from './repos.ts';

export interface CommitFolderOptions {
  message: string;
  author: { name: string; email: string };
  branch?: string;
}

export interface FolderCommit {
  commit: string;
  parent: string | null;
  tree: string;
}

const env = (indexFile: string, o: CommitFolderOptions): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_INDEX_FILE: indexFile,
  GIT_AUTHOR_NAME: o.author.name,
  GIT_AUTHOR_EMAIL: o.author.email,
  GIT_COMMITTER_NAME: 'Kyozo console',
  GIT_COMMITTER_EMAIL: 'console@kyozo.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
});

export async function commitFolder(repoDir: string, folder: string, o: CommitFolderOptions): Promise<FolderCommit> {
  const branch = o.branch ?? 'main';
  const ref = `refs/heads/${branch}`;
  const tmp = await mkdtemp(join(tmpdir(), 'kyozo-index-'));
  try {
    const e = env(join(tmp, 'index'), o);
    const base = ['--git-dir', repoDir, '--work-tree', folder];
    await git([...base, '-c', 'core.autocrlf=false', '-c', 'core.fileMode=true', 'add', '-A', '--', '.'], {
      env: e,
      cwd: folder,
    });
    const tree = (await git(['--git-dir', repoDir, 'write-tree'], { env: e })).trim();
    const parent = await resolveRef(repoDir, ref);
    const args = ['--git-dir', repoDir, 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', o.message];
    const commit = (await git(args, { env: e })).trim();
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`commit-tree returned ${commit}`);
    // Compare-and-swap: fails if someone pushed in between (the upload is then retried by the user).
    const r = await runGit(
      ['--git-dir', repoDir, 'update-ref', '-m', 'kyozo console upload', ref, commit, parent ?? '0'.repeat(40)],
      { env: e },
    );
    if (r.code !== 0) throw new Error(`main moved while committing the upload; try again (${r.stderr.trim()})`);
    return { commit, parent, tree };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
