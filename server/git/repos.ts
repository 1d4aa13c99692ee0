// Bare repositories on disk: one `<reposDir>/<app>.git` per app, each with Kyozo's post-receive hook.
import { chmod, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { git, runGit } from './git.ts';
import { isValidAppName } from './parse.ts';

/**
 * The hook never embeds paths, secrets or a node binary: everything comes from the Kyozo server's
 * environment, which `git receive-pack` inherits (installHookEnv in hookEnv.ts), so it survives
 * upgrades and restarts. The app is the repo directory's name, the pusher comes from takePusher.
 */
export const POST_RECEIVE_HOOK = `#!/bin/sh
# Installed by Kyozo: hands each pushed ref to the Kyozo server and streams the release log back.
if [ -z "$KYOZO_HOOK_SCRIPT" ]; then
  cat >/dev/null
  echo "! Kyozo hook is not configured (KYOZO_HOOK_SCRIPT unset); the push was stored but not deployed."
  exit 1
fi
if [ -n "$KYOZO_NODE" ] && [ -x "$KYOZO_NODE" ]; then
  exec "$KYOZO_NODE" "$KYOZO_HOOK_SCRIPT"
fi
exec node "$KYOZO_HOOK_SCRIPT"
`;

/** `<reposDir>/<app>.git`; throws on an invalid app name so no caller can build a path from one. */
export function repoPath(reposDir: string, app: string): string {
  if (!isValidAppName(app)) throw new Error(`invalid app name: ${JSON.stringify(app)}`);
  return join(resolve(reposDir), `${app}.git`);
}

export async function repoExists(reposDir: string, app: string): Promise<boolean> {
  if (!isValidAppName(app)) return false;
  try {
    return (await stat(join(repoPath(reposDir, app), 'HEAD'))).isFile();
  } catch {
    return false;
  }
}

/** Default largest pack a push may send (git's receive.maxInputSize), 1 GiB. */
export const DEFAULT_MAX_PUSH_BYTES = 1024 ** 3;

export interface CreateRepoOptions {
  /** receive.maxInputSize of the repo (git refuses larger packs). Default DEFAULT_MAX_PUSH_BYTES. */
  maxPushBytes?: number;
}

/**
 * Creates (or repairs: idempotent) the bare repo for `app` and (re)installs the hook. Returns its path.
 * node-git-server runs `git-receive-pack` without `-c` options, so every push setting lives in the
 * repo's own config (which also beats a global/system core.hooksPath).
 */
export async function createRepo(reposDir: string, app: string, opts: CreateRepoOptions = {}): Promise<string> {
  const dir = repoPath(reposDir, app);
  const maxPush = opts.maxPushBytes ?? DEFAULT_MAX_PUSH_BYTES;
  if (!Number.isSafeInteger(maxPush) || maxPush <= 0) throw new Error(`createRepo: invalid maxPushBytes ${maxPush}`);
  await git(['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  const config: Array<[string, string]> = [
    ['receive.denyNonFastForwards', 'false'], // force pushes allowed, like Heroku
    ['receive.denyDeletes', 'false'],
    ['receive.fsckObjects', 'true'], // reject malformed trees (e.g. duplicate names) before they are stored
    ['http.receivepack', 'true'],
    ['receive.maxInputSize', String(maxPush)],
    ['core.hooksPath', 'hooks'], // relative = <repo>/hooks (hooks run in the bare repo)
    ['gc.auto', '0'],
  ];
  for (const [k, v] of config) await git(['--git-dir', dir, 'config', k, v]);
  const hook = join(dir, 'hooks', 'post-receive');
  await writeFile(hook, POST_RECEIVE_HOOK);
  await chmod(hook, 0o755);
  return dir;
}

export async function deleteRepo(reposDir: string, app: string): Promise<void> {
  await rm(repoPath(reposDir, app), { recursive: true, force: true });
}

/** Resolves a ref (branch, tag, sha) to a 40-hex commit id, or null if it does not name a commit. */
export async function resolveRef(repoDir: string, ref: string): Promise<string | null> {
  if (!ref || ref.startsWith('-') || /[\s\0-\x1f\x7f]/.test(ref)) return null;
  const r = await runGit(['--git-dir', repoDir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const sha = r.stdout.trim();
  return r.code === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}
