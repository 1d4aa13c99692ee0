// The Node request handler for `/git/<app>.git/...` (mounted before hono by the lead).
// Order of checks: name (400) → credentials (401, every endpoint/method) → authorization and
// existence (both 404, so app names can't be probed) → endpoint (404/405/403/415) → body (400)
// → node-git-server's Git class (`repos.handle`), which spawns `git-<service> --stateless-rpc`.
//
// node-git-server's own `authenticate` guards only GET /info/refs (a raw POST to git-receive-pack
// bypasses it), so it is not used: every request is checked here before `repos.handle`. Its known
// defects are neutralised in front of it (see node_modules/node-git-server/dist/service.js):
//  - it looks for the ref-update commands / upload-pack wants only in the FIRST body chunk
//    (`ts.once('data')` + regex); without a match no push/fetch event fires and the request hangs.
//    So the pkt-line section up to the first flush-pkt is read here and handed over as the first
//    chunk of a stand-in request (GitRequestStream), and bodies it would not recognise get a 400;
//  - `content-encoding: deflate` is "decoded" with a deflater: bodies are decompressed here and
//    the stand-in carries no content-encoding;
//  - git inherits the server's process.env (no per-request env): the hook configuration is put in
//    process.env once (installHookEnv), the hook derives the app from its repo directory, and the
//    pusher is recorded as a push ticket that the hook route redeems with takePusher(app, sha);
//  - no `git -c`: receive.maxInputSize / core.hooksPath live in each repo's config (createRepo),
//    and maxPushBytes is additionally enforced here by cutting the pack stream off.
import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { Git, type HttpDuplex } from 'node-git-server';
import {
  decodeBody,
  GitRequestStream,
  nodeGitServerRecognises,
  type GitRequestInfo,
  type GitService,
} from './gitRequest.ts';
import { installHookEnv, type HookConfig } from './hookEnv.ts';
import { isSha, isValidAppName, parseBasicAuth, parseGitUrl, ZERO_SHA } from './parse.ts';
import { DEFAULT_MAX_PUSH_BYTES, repoExists, repoPath } from './repos.ts';
import { addTicket, dropTicket } from './tickets.ts';

export { MAX_COMMAND_SECTION_BYTES, nodeGitServerRecognises } from './gitRequest.ts';
export { PUSH_TICKET_TTL_MS, takePusher } from './tickets.ts';

export interface PushInfo {
  app: string;
  userId: string;
}

export interface GitFrontOptions {
  reposDir: string;
  authenticate(username: string, password: string): Promise<{ userId: string } | null>;
  authorize(userId: string, app: string): Promise<boolean>;
  /**
   * How hooks call back into Kyozo. When given, createGitFront calls installHookEnv(hook), i.e.
   * writes it into process.env (git inherits it). Without it (and without an earlier
   * installHookEnv call), pushes are stored and the hook says "not configured".
   */
  hook?: HookConfig;
  /**
   * Largest pack accepted per push, enforced here by cutting the body off (git then fails with an
   * unpack error). Default 1 GiB. Repos also carry receive.maxInputSize from createRepo().
   */
  maxPushBytes?: number;
  /** Called after a real receive-pack run exits 0, i.e. after the hook finished (releases are driven by the hook route). */
  onPushAccepted?(info: PushInfo): void;
}

export const REALM = 'kyozo';

/** How long the rest of a body git no longer reads is drained before the connection is cut. */
const DRAIN_GRACE_MS = 30_000;

const SERVICES: Record<string, GitService> = { 'git-upload-pack': 'upload-pack', 'git-receive-pack': 'receive-pack' };

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  req.unpipe();
  req.resume(); // discard any body; the connection closes after the reply
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...headers })
    .end(text + '\n');
}

function fail(res: ServerResponse, err: Error): void {
  if (!res.headersSent)
    res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' }).end(`git failed: ${err.message}\n`);
  else res.destroy(err);
}

function infoOf(dup: HttpDuplex): GitRequestInfo | null {
  const req = dup.req as unknown;
  return req instanceof GitRequestStream ? req.kyozo : null;
}

export function createGitFront(opts: GitFrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxPush = opts.maxPushBytes ?? DEFAULT_MAX_PUSH_BYTES;
  if (opts.hook) installHookEnv(opts.hook);
  const reposDir = resolve(opts.reposDir);

  // node-git-server sees `/<app>.git/...` URLs; dirMap gets `<app>.git`.
  const repos = new Git(
    (dir?: string) => {
      if (!dir) return reposDir;
      const app = dir.replace(/\.git$/, '');
      return isValidAppName(app) ? repoPath(reposDir, app) : join(reposDir, '.invalid', 'none');
    },
    { autoCreate: false },
  );
  // node-git-server re-emits a failed spawn of git-<service> on the Git instance (after answering the
  // request); with no listener that 'error' event would take the whole Kyozo process down.
  repos.on('error', (err: Error) => console.error(`git: ${err.message}`));

  /** Error handling, early-exit and disconnect handling for the spawned git; once per request. */
  function watch(dup: HttpDuplex, info: GitRequestInfo): void {
    if (info.watched) return;
    info.watched = true;
    const res = dup.res;
    const source = (dup.req as unknown as GitRequestStream).socket;
    dup.on('error', (err: Error) => fail(res, err));
    dup.once('service', (ps: ChildProcess) => {
      ps.stdin?.on('error', () => {}); // EPIPE when git stops reading (e.g. receive.maxInputSize hit)
      ps.stderr?.resume(); // node-git-server never reads it; a full pipe would block git
      // Client went away mid-response (e.g. Ctrl-C): stop git. A finished response never kills it.
      res.on('close', () => !res.writableFinished && ps.exitCode === null && ps.kill());
      ps.once('close', (code) => {
        for (const t of info.tickets) dropTicket(t);
        // git stopped early (e.g. the pack was cut off at maxPushBytes) while the client is still
        // sending: keep reading (and dropping) the rest for a while so the client gets to read
        // git's answer instead of a connection reset, then cut the connection off.
        const req = dup.req as unknown as GitRequestStream;
        if (!req.complete) {
          const cutoff = setTimeout(() => source.destroy(), DRAIN_GRACE_MS);
          cutoff.unref();
          source.once('close', () => clearTimeout(cutoff));
          req.once('end', () => clearTimeout(cutoff));
        }
        if (code === 0 && info.service === 'receive-pack' && !info.probe)
          opts.onPushAccepted?.({ app: info.app, userId: info.userId });
      });
    });
  }

  repos.on('info', (dup: HttpDuplex) => {
    dup.on('error', (err: Error) => fail(dup.res, err));
    dup.accept();
  });
  repos.on('fetch', (dup: HttpDuplex) => {
    const info = infoOf(dup);
    if (!info) return dup.reject(500, 'internal error');
    watch(dup, info);
    dup.accept();
  });
  // One event per ref-update line; the first accept() starts git, later ones are no-ops.
  const onRefUpdate = (dup: HttpDuplex & { commit?: string }) => {
    const info = infoOf(dup);
    if (!info) return dup.reject(500, 'internal error');
    watch(dup, info);
    const sha = dup.commit?.toLowerCase();
    if (sha && isSha(sha) && sha !== ZERO_SHA) info.tickets.push(addTicket(info.app, sha, info.userId));
    dup.accept();
  };
  repos.on('push', onRefUpdate);
  repos.on('tag', onRefUpdate);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = parseGitUrl(req.url ?? '/');
    if (route.kind === 'not-git') return send(req, res, 404, 'not found');
    if (route.kind === 'bad-name')
      return send(req, res, 400, 'invalid app name (a-z, 0-9, "-", starting with a letter)');

    const creds = parseBasicAuth(req.headers.authorization);
    const user = creds ? await opts.authenticate(creds.username, creds.password) : null;
    if (!user) {
      return send(req, res, 401, 'authentication required: use an API token as the password', {
        'www-authenticate': `Basic realm="${REALM}"`,
      });
    }
    if (!(await opts.authorize(user.userId, route.app)) || !(await repoExists(reposDir, route.app))) {
      return send(req, res, 404, `repository ${route.app}.git not found`);
    }
    const info = (service: GitRequestInfo['service']): GitRequestInfo => ({
      app: route.app,
      userId: user.userId,
      service,
      tickets: [],
      probe: false,
      watched: false,
    });

    if (route.sub === '/info/refs') {
      if (req.method !== 'GET') return send(req, res, 405, 'method not allowed', { allow: 'GET' });
      const name = new URLSearchParams(route.query).get('service') ?? '';
      if (!SERVICES[name]) return send(req, res, 403, 'only the smart HTTP protocol is supported (git >= 1.6.6)');
      const standIn = new GitRequestStream(req, `/${route.app}.git/info/refs?service=${name}`, info('info'));
      req.resume();
      standIn.end();
      repos.handle(standIn as unknown as IncomingMessage, res);
      return;
    }
    const service = SERVICES[route.sub.slice(1)];
    if (!service) return send(req, res, 404, 'not found');
    if (req.method !== 'POST') return send(req, res, 405, 'method not allowed', { allow: 'POST' });
    if (req.headers['content-type'] !== `application/x-git-${service}-request`) {
      return send(req, res, 415, `expected content-type application/x-git-${service}-request`);
    }
    const body = decodeBody(req);
    if (!body) return send(req, res, 415, 'unsupported content-encoding');

    const standIn = new GitRequestStream(
      req,
      `/${route.app}.git/git-${service}`,
      info(service),
      service === 'receive-pack' ? maxPush : Infinity,
    );
    body.on('error', () => standIn.abandon(400, 'could not decode the request body'));
    req.on('close', () => !req.complete && standIn.abandon(400, 'request aborted'));
    body.pipe(standIn);
    const section = await standIn.section;
    if (!section.ok) {
      if (res.destroyed) return;
      return send(req, res, section.status, section.message);
    }
    if (!nodeGitServerRecognises(service, section.section)) {
      const what =
        service === 'receive-pack'
          ? 'only refs/heads/* and refs/tags/* can be pushed'
          : 'malformed upload-pack request';
      return send(req, res, 400, what);
    }
    standIn.kyozo.probe = section.section.length === 4; // "0000"
    repos.handle(standIn as unknown as IncomingMessage, res);
    // node-git-server sets `connection: close`, which makes node reset the socket right after the
    // reply even while the client is still sending (it then sees "broken pipe", not git's answer).
    if (!res.headersSent) res.removeHeader('connection');
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(req, res, 500, 'internal error');
      else res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  };
}
