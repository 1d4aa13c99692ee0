// Runs the system `git` binary without a shell and collects its output.
import { spawn } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `git <args>`; never rejects on a non-zero exit (check `code`), only on spawn failure. */
export function runGit(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const ps = spawn('git', args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    ps.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    ps.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    ps.on('error', reject);
    ps.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Like runGit but throws with git's stderr when the exit code is non-zero. */
export async function git(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await runGit(args, opts);
  if (r.code !== 0) throw new Error(`git ${args[0]} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}
