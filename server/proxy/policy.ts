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
  trustForwarded: boolean;
};

/**
 * Sets X-Forwarded-For/-Proto/-Host (and -Port) in place. Kyozo is the edge by default, so
 * client-supplied values are replaced; with trustForwarded (behind another proxy) they are kept/appended.
 */
export function setForwardedHeaders(headers: IncomingHttpHeaders, info: ForwardInfo): void {
  const host = headers.host ?? '';
  const proto = info.websocket ? (info.encrypted ? 'wss' : 'ws') : info.encrypted ? 'https' : 'http';
  const port = /:(\d+)$/.exec(host)?.[1] ?? (info.encrypted ? '443' : '80');
  const prior = info.trustForwarded ? headers['x-forwarded-for'] : undefined;
  const ip = info.remoteAddress ?? '';
  headers['x-forwarded-for'] = prior ? `${prior}, ${ip}` : ip;
  if (!info.trustForwarded || !headers['x-forwarded-proto']) headers['x-forwarded-proto'] = proto;
  if (!info.trustForwarded || !headers['x-forwarded-host']) headers['x-forwarded-host'] = host;
  if (!info.trustForwarded || !headers['x-forwarded-port']) headers['x-forwarded-port'] = port;
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
