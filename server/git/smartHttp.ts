// Git "smart HTTP" (protocol v0) served by spawning `git upload-pack|receive-pack --stateless-rpc`.
// We spawn git ourselves (instead of node-git-server) so each push gets its own environment
// (pusher identity for the hook) and request bodies are streamed, never buffered.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';

export type GitService = 'upload-pack' | 'receive-pack';

export function pktLine(s: string): string {
  return (s.length + 4).toString(16).padStart(4, '0') + s;
}

function noCache(res: ServerResponse): void {
  res.setHeader('expires', 'Fri, 01 Jan 1980 00:00:00 GMT');
  res.setHeader('pragma', 'no-cache');
  res.setHeader('cache-control', 'no-cache, max-age=0, must-revalidate');
}

function fail(res: ServerResponse, err: Error): void {
  if (!res.headersSent) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`git failed: ${err.message}\n`);
  } else res.destroy(err);
}

/** GET /info/refs?service=git-<service>: the ref advertisement. Resolves with git's exit code. */
export function advertiseRefs(res: ServerResponse, repoDir: string, service: GitService, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const ps = spawn('git', [service, '--stateless-rpc', '--advertise-refs', repoDir], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    ps.on('error', (err) => (fail(res, err), resolve(-1)));
    ps.once('spawn', () => {
      noCache(res);
      res.writeHead(200, { 'content-type': `application/x-git-${service}-advertisement` });
      res.write(pktLine(`# service=git-${service}\n`) + '0000');
      ps.stdout.pipe(res);
    });
    ps.on('close', (code) => resolve(code ?? -1));
    res.on('close', () => !res.writableFinished && ps.exitCode === null && ps.kill());
  });
}

/**
 * POST /git-<service>: streams the request body (gunzipped if needed) into git and git's output
 * back to the client. `gitArgs` go before the subcommand (e.g. `-c key=value`). Resolves with
 * git's exit code and the (decoded) body size once the child is gone.
 */
export function serveRpc(
  req: IncomingMessage, res: ServerResponse, repoDir: string, service: GitService,
  env: NodeJS.ProcessEnv, gitArgs: string[] = [],
): Promise<{ code: number; bodyBytes: number }> {
  return new Promise((resolve) => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
      res.writeHead(415, { 'content-type': 'text/plain', connection: 'close' }).end('unsupported content-encoding\n');
      req.resume();
      return resolve({ code: -1, bodyBytes: 0 });
    }
    const ps = spawn('git', [...gitArgs, service, '--stateless-rpc', repoDir], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    const body = encoding === 'identity' ? req : req.pipe(createGunzip());
    let bodyBytes = 0;
    ps.on('error', (err) => (fail(res, err), resolve({ code: -1, bodyBytes })));
    ps.stdin.on('error', () => {}); // EPIPE when git stops reading (e.g. receive.maxInputSize hit)
    body.on('error', (err: Error) => { ps.kill(); fail(res, err); });
    ps.once('spawn', () => {
      noCache(res);
      res.writeHead(200, { 'content-type': `application/x-git-${service}-result` });
      body.pipe(ps.stdin);
      body.on('data', (c: Buffer) => (bodyBytes += c.length)); // same tick as pipe(): nothing is missed
      ps.stdout.pipe(res);
    });
    ps.on('close', (code) => {
      // Don't keep reading (or buffering) a body git no longer wants: drop the connection after the reply.
      if (!req.complete) res.once('finish', () => req.socket.destroy());
      resolve({ code: code ?? -1, bodyBytes });
    });
    // Client went away mid-response (e.g. Ctrl-C): stop git. A finished response never kills it.
    res.on('close', () => !res.writableFinished && ps.exitCode === null && ps.kill());
  });
}
