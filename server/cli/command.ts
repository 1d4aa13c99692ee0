// What a client command gets from the dispatcher (Ctx) and the shape of a command family module, plus git for
// the commands that look at the repository here. Imports nothing from the dispatcher or the commands.
import { execFile } from 'node:child_process';
import type { Api } from './http.ts';

export interface Ctx {
  command: string;
  flags: Record<string, string | true>;
  json: boolean;
  url: string;
  token: string;
  api: Api;
  /** The positional arguments, between min and max of them (else a usage error naming `what`). */
  args(min: number, max: number, what: string): string[];
  /** --app/-a, else the app of the `kyozo` git remote here; a usage error when neither. */
  app(): Promise<string>;
  appOrNull(): Promise<string | null>;
  out(text: string): void;
  err(text: string): void;
}

export type Commands = Record<string, (ctx: Ctx) => Promise<number | void>>;

export function git(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile('git', args, { cwd }, (err, stdout, stderr) =>
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 127) : 0,
        stdout,
        stderr: stderr || (err?.message ?? ''),
      }),
    ),
  );
}
