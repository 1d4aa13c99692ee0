// The Node request handler for `/git/<app>.git/...` (mounted before hono by the lead).
// Order of checks: name (400) → credentials (401, every endpoint/method) → authorization and
// existence (both 404, so app names can't be probed) → endpoint (404/405) → git.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { hookEnv, type HookConfig } from './hookEnv.ts';
import { parseBasicAuth, parseGitUrl } from './parse.ts';
import { repoExists, repoPath } from './repos.ts';
import { advertiseRefs, serveRpc, type GitService } from './smartHttp.ts';

export interface PushInfo {
  app: string;
  userId: string;
}

export interface GitFrontOptions {
  reposDir: string;
  authenticate(username: string, password: string): Promise<{ userId: string } | null>;
  authorize(userId: string, app: string): Promise<boolean>;
  /** How hooks call back into Kyozo. Without it, pushes are stored and the hook says "not deployed". */
  hook?: HookConfig;
  /** Largest pack accepted per push (git's receive.maxInputSize). Default 1 GiB. */
  maxPushBytes?: number;
  /** Called after a real receive-pack run exits 0, i.e. after the hook finished (releases are driven by the hook route). */
  onPushAccepted?(info: PushInfo): void;
}

export const REALM = 'kyozo';

function send(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  req.resume(); // discard any body; the connection closes after the reply
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...headers }).end(text + '\n');
}

const SERVICES: Record<string, GitService> = { 'git-upload-pack': 'upload-pack', 'git-receive-pack': 'receive-pack' };

export function createGitFront(opts: GitFrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxPush = opts.maxPushBytes ?? 1024 ** 3;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = parseGitUrl(req.url ?? '/');
    if (route.kind === 'not-git') return send(req, res, 404, 'not found');
    if (route.kind === 'bad-name') return send(req, res, 400, 'invalid app name (a-z, 0-9, "-", starting with a letter)');

    const creds = parseBasicAuth(req.headers.authorization);
    const user = creds ? await opts.authenticate(creds.username, creds.password) : null;
    if (!user) {
      return send(req, res, 401, 'authentication required: use an API token as the password', {
        'www-authenticate': `Basic realm="${REALM}"`,
      });
    }
    if (!(await opts.authorize(user.userId, route.app)) || !(await repoExists(opts.reposDir, route.app))) {
      return send(req, res, 404, `repository ${route.app}.git not found`);
    }
    const dir = repoPath(opts.reposDir, route.app);
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_PROTOCOL: undefined, GIT_DIR: undefined };

    if (route.sub === '/info/refs') {
      if (req.method !== 'GET') return send(req, res, 405, 'method not allowed', { allow: 'GET' });
      const service = SERVICES[new URLSearchParams(route.query).get('service') ?? ''];
      if (!service) return send(req, res, 403, 'only the smart HTTP protocol is supported (git >= 1.6.6)');
      req.resume();
      await advertiseRefs(res, dir, service, env);
      return;
    }
    const service = SERVICES[route.sub.slice(1)];
    if (!service) return send(req, res, 404, 'not found');
    if (req.method !== 'POST') return send(req, res, 405, 'method not allowed', { allow: 'POST' });
    if (req.headers['content-type'] !== `application/x-git-${service}-request`) {
      return send(req, res, 415, `expected content-type application/x-git-${service}-request`);
    }
    if (service === 'upload-pack') {
      await serveRpc(req, res, dir, service, env);
      return;
    }
    const pushEnv = opts.hook ? hookEnv(opts.hook, route.app, user.userId, env) : { ...env, KYOZO_APP: route.app, KYOZO_PUSHER: user.userId };
    const gitArgs = ['-c', `core.hooksPath=${join(dir, 'hooks')}`, '-c', `receive.maxInputSize=${maxPush}`];
    const { code, bodyBytes } = await serveRpc(req, res, dir, service, pushEnv, gitArgs);
    // bodyBytes > 4 skips git's empty "0000" auth probe that precedes large pushes.
    if (code === 0 && bodyBytes > 4) opts.onPushAccepted?.({ app: route.app, userId: user.userId });
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(req, res, 500, 'internal error');
      else res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  };
}
