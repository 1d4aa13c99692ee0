// Shared helpers for git tests: temp dirs, an isolated git client, loopback HTTP servers.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];
export async function tempDir(prefix = 'kyozo-git-'): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Environment for a git *client*: no user/system config, no prompts, no proxies, fixed identity. */
export function clientEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(GIT_|KYOZO_)/.test(k) && !/_proxy$/i.test(k)) env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig-none'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    NO_PROXY: '*',
    no_proxy: '*',
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs git; `onStderr` sees stderr chunks as they arrive (to check live streaming). */
export function gitClient(args: string[], cwd: string, home: string, onStderr?: (chunk: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const ps = spawn('git', args, { cwd, env: clientEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    ps.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    ps.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      onStderr?.(c);
    });
    ps.on('error', reject);
    ps.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function mustGit(args: string[], cwd: string, home: string): Promise<string> {
  const r = await gitClient(args, cwd, home);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

export interface Served {
  port: number;
  close(): Promise<void>;
}
export function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const server = http.createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Sends a request with the path exactly as given (fetch would normalise `..`). */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}
