// A local working copy made with the real git binary, for pushing fixtures to Kyozo.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}

export class WorkingCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'kyozo-wc-'));
  private ready = false;

  async write(files: Record<string, string>) {
    if (!this.ready) {
      await run('git', ['init', '-q', '-b', 'main'], this.dir);
      await run('git', ['config', 'user.email', 'dev@example.com'], this.dir);
      await run('git', ['config', 'user.name', 'Dev'], this.dir);
      this.ready = true;
    }
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, p)), { recursive: true });
      writeFileSync(join(this.dir, p), content);
    }
  }

  async commit(message: string) {
    await run('git', ['add', '-A'], this.dir);
    return run('git', ['commit', '-q', '-m', message], this.dir);
  }

  push(url: string, branch = 'main') {
    return run('git', ['push', url, `HEAD:refs/heads/${branch}`], this.dir);
  }
}

export const pushUrl = (port: number, token: string, app: string) =>
  `http://kyozo:${token}@127.0.0.1:${port}/git/${app}.git`;
