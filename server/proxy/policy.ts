// Pure proxy decisions: when to retry, when to mark an upstream down, forwarded headers, error pages.
import type { IncomingHttpHeaders } from 'node:http';
import type { Resolution, Upstream } from './routeTable.ts';

/** Errors raised before the connection to the upstream existed: nothing reached the app. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN']);
const RESET_ERRORS = new Set(['ECONNRESET', 'EPIPE']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export type AttemptFailure = {
  code: string | undefined;
  method: string | undefined;
  /** Request body bytes already handed to this attempt (they cannot be replayed). */
  bodyBytesSent: number;
  /** The attempt ran on a pooled keep-alive socket (resets there are usually a stale socket). */
  reusedSocket: boolean;
  /** Response headers already went to the client. */
  headersSent: boolean;
  /** Our own upstream timeout fired: the app is slow, not gone; do not re-send. */
  timedOut: boolean;
};

export function shouldRetry(f: AttemptFailure): boolean {
  if (f.headersSent || f.timedOut || f.bodyBytesSent > 0) return false;
  if (f.code !== undefined && CONNECT_ERRORS.has(f.code)) return true;
  return f.code !== undefined && RESET_ERRORS.has(f.code) && IDEMPOTENT.has((f.method ?? 'GET').toUpperCase());
}

/** Refused/unreachable, or reset on a fresh connection → the replica looks dead. */
export function shouldMarkDown(f: Pick<AttemptFailure, 'code' | 'reusedSocket' | 'timedOut'>): boolean {
  if (f.timedOut || f.code === undefined) return false;
  return CONNECT_ERRORS.has(f.code) || (RESET_ERRORS.has(f.code) && !f.reusedSocket);
}

/** Whether the request carries a body (so it must be gated until the upstream connects). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const len = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

export type ForwardInfo = {
  remoteAddress: string | undefined;
  encrypted: boolean;
  websocket: boolean;
  /** The port the client connected to: KYOZO_PUBLIC_PROXY_PORT, else the socket's local port. */
  port?: number;
  /** Whether a peer address is a trusted front proxy (KYOZO_TRUSTED_PROXIES); by default none is. */
  trusted?: (addr: string) => boolean;
};

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1, how a dual-stack socket reports IPv4 peers) as plain IPv4. */
export function plainAddress(addr: string | undefined): string {
  if (!addr) return '';
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m ? m[1] : addr;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v) || undefined;
const quoted = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;
/** RFC 7239 node: IPv6 in brackets and quotes, IPv4 bare, nothing known as "unknown". */
const node = (ip: string) => (ip === '' ? 'unknown' : ip.includes(':') ? `"[${ip}]"` : ip);

/**
 * Sets X-Forwarded-For/-Proto/-Host/-Port, X-Real-IP and Forwarded (RFC 7239) in place. Kyozo is the edge
 * by default, so whatever a client sent in those (and any other X-Forwarded-*) is dropped and replaced by
 * what the proxy saw; only a peer `trusted` says is a front proxy keeps its values (X-Forwarded-For and
 * Forwarded get this hop appended, X-Real-IP is the rightmost untrusted address of the chain).
 */
export function setForwardedHeaders(headers: IncomingHttpHeaders, info: ForwardInfo): void {
  const peer = plainAddress(info.remoteAddress);
  const trusted = peer !== '' && !!info.trusted?.(peer);
  const host = headers.host ?? '';
  const scheme = info.encrypted ? 'https' : 'http';
  const proto = info.websocket ? (info.encrypted ? 'wss' : 'ws') : scheme;
  const port = String(info.port ?? /:(\d+)$/.exec(host)?.[1] ?? (info.encrypted ? 443 : 80));
  const sent = {
    for: one(headers['x-forwarded-for']),
    proto: one(headers['x-forwarded-proto']),
    host: one(headers['x-forwarded-host']),
    port: one(headers['x-forwarded-port']),
    realIp: one(headers['x-real-ip']),
    forwarded: one(headers['forwarded']),
  };
  for (const k of Object.keys(headers))
    if (k.startsWith('x-forwarded-') || k === 'x-real-ip' || k === 'forwarded') delete headers[k];
  const element = `for=${node(peer)};host=${quoted(host)};proto=${scheme}`;
  if (!trusted) {
    Object.assign(headers, {
      'x-forwarded-for': peer,
      'x-forwarded-proto': proto,
      'x-forwarded-host': host,
      'x-forwarded-port': port,
      'x-real-ip': peer,
      forwarded: element,
    });
    return;
  }
  const chain = sent.for ? `${sent.for}, ${peer}` : peer;
  const hops = chain.split(',').map((a) => plainAddress(a.trim()));
  const client = sent.for ? ([...hops].reverse().find((a) => a && !info.trusted!(a)) ?? hops[0]) : sent.realIp;
  Object.assign(headers, {
    'x-forwarded-for': chain,
    'x-forwarded-proto': sent.proto ?? proto,
    'x-forwarded-host': sent.host ?? host,
    'x-forwarded-port': sent.port ?? port,
    'x-real-ip': client ?? peer,
    forwarded: sent.forwarded ? `${sent.forwarded}, ${element}` : element,
  });
}

export type ErrorPage = { status: number; body: string };

export function errorPage(status: 404 | 502 | 503 | 504, detail: string): ErrorPage {
  const title = { 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status];
  return { status, body: `${status} ${title}\n\n${detail}\n\n-- kyozo\n` };
}

/** http-proxy target for an upstream (an object, so http-proxy skips url.parse). */
export const target = (u: Upstream) => ({ protocol: 'http:', host: u.host, hostname: u.host, port: u.port });

/** The plain page for a host that has no upstream to proxy to. */
export function pageFor(r: Exclude<Resolution, { kind: 'upstreams' }>): ErrorPage {
  if (r.kind === 'unknown') return errorPage(404, 'No app is deployed at this address.');
  if (r.reason === 'stopped') return errorPage(503, `App "${r.app}" is stopped.`);
  if (r.reason === 'no-service') return errorPage(503, `App "${r.app}" has no web service.`);
  return errorPage(503, `App "${r.app}" has no live release yet.`);
}

/** Raw HTTP/1.1 response for a rejected WebSocket upgrade. */
export function rawResponse(p: ErrorPage): string {
  const title = p.body.split('\n')[0];
  return `HTTP/1.1 ${title}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(p.body)}\r\nConnection: close\r\n\r\n${p.body}`;
}
