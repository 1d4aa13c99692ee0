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
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { Git, type HttpDuplex } from 'node-git-server';
import { installHookEnv, type HookConfig } from './hookEnv.ts';
import { isSha, isValidAppName, parseBasicAuth, parseGitUrl, ZERO_SHA } from './parse.ts';
import { DEFAULT_MAX_PUSH_BYTES, repoExists, repoPath } from './repos.ts';

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

/** Largest ref-update command list (receive-pack) or want list (upload-pack) we buffer: 1 MiB. */
export const MAX_COMMAND_SECTION_BYTES = 1024 * 1024;

/** How long the rest of a body git no longer reads is drained before the connection is cut. */
const DRAIN_GRACE_MS = 30_000;

type GitService = 'upload-pack' | 'receive-pack';
const SERVICES: Record<string, GitService> = { 'git-upload-pack': 'upload-pack', 'git-receive-pack': 'receive-pack' };

// ---------------------------------------------------------------------------------------------
// Push tickets: who pushed which commit. node-git-server gives git no per-request environment,
// so the front records `<app>:<newSha>` → user id for every ref update it accepts; the hook route
// redeems it (one-shot) because hook.mjs sends an empty pusher. A request's unredeemed tickets are
// dropped when its receive-pack exits (the post-receive hook has finished by then); the TTL is a
// backstop for anything that slips through.

export const PUSH_TICKET_TTL_MS = 10 * 60_000;

interface Ticket {
  key: string;
  userId: string;
  expires: number;
}

const tickets = new Map<string, Ticket[]>();
let nextSweep = 0;

function sweepTickets(now: number): void {
  if (now < nextSweep) return;
  nextSweep = now + 60_000;
  for (const [key, list] of tickets) {
    const live = list.filter((t) => t.expires > now);
    if (live.length) tickets.set(key, live);
    else tickets.delete(key);
  }
}

function addTicket(app: string, sha: string, userId: string): Ticket {
  const now = Date.now();
  sweepTickets(now);
  const t: Ticket = { key: `${app}:${sha}`, userId, expires: now + PUSH_TICKET_TTL_MS };
  const list = tickets.get(t.key);
  if (list) list.push(t);
  else tickets.set(t.key, [t]);
  return t;
}

function dropTicket(t: Ticket): void {
  const list = tickets.get(t.key);
  if (!list) return;
  const i = list.indexOf(t);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) tickets.delete(t.key);
}

/**
 * User id of whoever pushed `newSha` to `app` through the git front in the last
 * PUSH_TICKET_TTL_MS, or null (unknown). One-shot: each accepted ref update yields one ticket
 * (oldest first when the same commit is pushed several times).
 */
export function takePusher(app: string, newSha: string): string | null {
  const key = `${app}:${newSha.toLowerCase()}`;
  const list = tickets.get(key);
  const now = Date.now();
  while (list?.length) {
    const t = list.shift()!;
    if (!list.length) tickets.delete(key);
    if (t.expires > now) return t.userId;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The stand-in request handed to node-git-server.

interface GitRequestInfo {
  app: string;
  userId: string;
  service: GitService | 'info';
  tickets: Ticket[];
  /** The body is git's empty "0000" probe that precedes large pushes (not a push). */
  probe: boolean;
  watched: boolean;
}

type SectionResult = { ok: true; section: Buffer } | { ok: false; status: number; message: string };

function scanPktLines(buf: Buffer, from: number): { state: 'flush'; end: number } | { state: 'more'; next: number } | { state: 'bad' } {
  let pos = from;
  while (buf.length - pos >= 4) {
    const hex = buf.toString('latin1', pos, pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { state: 'bad' };
    const len = parseInt(hex, 16);
    if (len === 0) return { state: 'flush', end: pos + 4 };
    if (len < 4) return { state: 'bad' };
    if (buf.length - pos < len) break;
    pos += len;
  }
  return { state: 'more', next: pos };
}

/**
 * What node-git-server's HttpDuplex/Service read from a request (method, url, headers,
 * httpVersion*, socket/connection, complete, trailers, the stream events, pause/resume/pipe),
 * over a decoded body whose first chunk is the whole pkt-line section up to the first flush-pkt.
 * After that section at most `limit` (+1, so git's own receive.maxInputSize can report itself)
 * bytes are passed on; the rest is read and dropped, so git sees a truncated pack.
 */
class GitRequestStream extends Transform {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion: string;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly trailers: NodeJS.Dict<string> = {};
  /** Resolves once the section is buffered (or the body is unusable); never rejects. */
  readonly section: Promise<SectionResult>;
  private settle!: (r: SectionResult) => void;
  private settled = false;
  private buf: Buffer = Buffer.alloc(0);
  private scanned = 0;
  private passed = 0;
  private cut = false;
  private sectionOk = false;

  constructor(
    private readonly source: IncomingMessage,
    url: string,
    readonly kyozo: GitRequestInfo,
    private readonly limit: number = Infinity,
  ) {
    super();
    this.method = source.method ?? 'GET';
    this.url = url;
    const headers: IncomingHttpHeaders = { ...source.headers };
    delete headers['content-encoding']; // decoded here
    delete headers['content-length']; // no longer the body's length
    delete headers.authorization; // checked here; node-git-server only needs the user id (kyozo)
    this.headers = headers;
    this.httpVersion = source.httpVersion;
    this.httpVersionMajor = source.httpVersionMajor;
    this.httpVersionMinor = source.httpVersionMinor;
    this.section = new Promise((res) => (this.settle = res));
  }

  get socket() {
    return this.source.socket;
  }
  get connection() {
    return this.source.socket;
  }
  get complete(): boolean {
    return this.source.complete;
  }

  /** The body can't be used (decoding error, client gone): settle with an error, then just end. */
  abandon(status: number, message: string): void {
    this.done({ ok: false, status, message });
    if (!this.cut) {
      this.cut = true;
      this.push(null);
    }
  }

  private done(r: SectionResult): void {
    if (this.settled) return;
    this.settled = true;
    this.buf = Buffer.alloc(0);
    this.settle(r);
  }

  private forward(chunk: Buffer): void {
    if (this.cut || !chunk.length) return;
    const room = this.limit + 1 - this.passed;
    if (chunk.length < room) {
      this.passed += chunk.length;
      this.push(chunk);
      return;
    }
    this.push(chunk.subarray(0, room));
    this.cut = true;
    this.push(null);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.settled) {
      if (this.sectionOk) this.forward(chunk);
      return cb();
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const scan = scanPktLines(this.buf, this.scanned);
    if (scan.state === 'bad') {
      this.done({ ok: false, status: 400, message: 'malformed request body (expected pkt-lines)' });
    } else if (scan.state === 'flush') {
      if (scan.end > MAX_COMMAND_SECTION_BYTES) {
        this.done({ ok: false, status: 400, message: 'command list too long' });
        return cb();
      }
      const section = this.buf.subarray(0, scan.end);
      const rest = this.buf.subarray(scan.end);
      this.sectionOk = true;
      this.done({ ok: true, section });
      this.push(section);
      this.forward(rest);
    } else if (this.buf.length >= MAX_COMMAND_SECTION_BYTES) {
      this.done({ ok: false, status: 400, message: 'command list too long' });
    } else {
      this.scanned = scan.next;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.done({ ok: false, status: 400, message: 'request body ended before the end of the command list' });
    cb();
  }
}

// node-git-server's header detection (dist/service.js): a body it can't match never gets an event.
const NGS_HEADER: Record<GitService, string> = {
  'receive-pack': '([0-9a-fA-F]+) ([0-9a-fA-F]+) refs\\/(heads|tags)\\/(.*?)( |00|\\u0000)|^(0000)$',
  'upload-pack': '^\\S+ ([0-9a-fA-F]+)',
};

/** True if node-git-server will emit at least one push/tag/fetch event for this first chunk. */
export function nodeGitServerRecognises(service: GitService, firstChunk: Buffer): boolean {
  const ops = String(firstChunk).match(new RegExp(NGS_HEADER[service], 'gi'));
  return !!ops?.some((op) => new RegExp(NGS_HEADER[service]).test(op));
}

function decodeBody(req: IncomingMessage): Readable | null {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  return null;
}

// ---------------------------------------------------------------------------------------------

function send(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  req.unpipe();
  req.resume(); // discard any body; the connection closes after the reply
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...headers }).end(text + '\n');
}

function fail(res: ServerResponse, err: Error): void {
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' }).end(`git failed: ${err.message}\n`);
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
        if (code === 0 && info.service === 'receive-pack' && !info.probe) opts.onPushAccepted?.({ app: info.app, userId: info.userId });
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
    if (route.kind === 'bad-name') return send(req, res, 400, 'invalid app name (a-z, 0-9, "-", starting with a letter)');

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
    const info = (service: GitRequestInfo['service']): GitRequestInfo =>
      ({ app: route.app, userId: user.userId, service, tickets: [], probe: false, watched: false });

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

    const standIn = new GitRequestStream(req, `/${route.app}.git/git-${service}`, info(service), service === 'receive-pack' ? maxPush : Infinity);
    body.on('error', () => standIn.abandon(400, 'could not decode the request body'));
    req.on('close', () => !req.complete && standIn.abandon(400, 'request aborted'));
    body.pipe(standIn);
    const section = await standIn.section;
    if (!section.ok) {
      if (res.destroyed) return;
      return send(req, res, section.status, section.message);
    }
    if (!nodeGitServerRecognises(service, section.section)) {
      const what = service === 'receive-pack' ? 'only refs/heads/* and refs/tags/* can be pushed' : 'malformed upload-pack request';
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
