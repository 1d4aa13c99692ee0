// The stand-in request handed to node-git-server: the decoded body whose first chunk holds the whole
// pkt-line command list (node-git-server looks for ref updates / wants only in the first chunk).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Ticket } from './tickets.ts';

/** Largest ref-update command list (receive-pack) or want list (upload-pack) we buffer: 1 MiB. */
export const MAX_COMMAND_SECTION_BYTES = 1024 * 1024;

export type GitService = 'upload-pack' | 'receive-pack';

export interface GitRequestInfo {
  app: string;
  userId: string;
  service: GitService | 'info';
  tickets: Ticket[];
  /** The body is git's empty "0000" probe that precedes large pushes (not a push). */
  probe: boolean;
  watched: boolean;
}

export type SectionResult = { ok: true; section: Buffer } | { ok: false; status: number; message: string };

export function scanPktLines(
  buf: Buffer,
  from: number,
): { state: 'flush'; end: number } | { state: 'more'; next: number } | { state: 'bad' } {
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
export class GitRequestStream extends Transform {
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

export function decodeBody(req: IncomingMessage): Readable | null {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  return null;
}
