// The app-facing reverse proxy (effects). Decisions live in routeTable/balancer/policy; this file
// wires them to node:http + http-proxy: retries, passive health, in-flight counts, metrics.
import http from 'node:http';
import type { Socket } from 'node:net';
import { Transform } from 'node:stream';
import httpProxy from 'http-proxy';
import { Balancer } from './balancer.ts';
import { InflightTracker } from './inflight.ts';
import type { ProxyMetrics } from './metrics.ts';
import {
  errorPage,
  hasBody,
  pageFor,
  setForwardedHeaders,
  shouldMarkDown,
  shouldRetry,
  target,
  type ErrorPage,
} from './policy.ts';
import type { RouteTable, Upstream } from './routeTable.ts';
import { trustMatcher } from './trust.ts';
import { handleUpgrade } from './websocket.ts';

export type ProxyOptions = {
  routes: RouteTable;
  /** Upstream agent; defaults to a keep-alive agent (destroyed when the server closes). */
  agent?: http.Agent;
  metrics?: ProxyMetrics;
  balancer?: Balancer;
  inflight?: InflightTracker;
  log?: (msg: string) => void;
  /** How long a refused/reset upstream is skipped by round robin (default 5000). */
  downForMs?: number;
  /** Upstream socket idle timeout before answering 504 (default 120000). */
  upstreamTimeoutMs?: number;
  /** Peers (IPs, CIDRs) whose X-Forwarded-*, X-Real-IP and Forwarded are kept: KYOZO_TRUSTED_PROXIES. Default none. */
  trustedProxies?: readonly string[];
  /** The port clients connect to, sent as X-Forwarded-Port (KYOZO_PUBLIC_PROXY_PORT); default the listening port. */
  publicPort?: number;
};

export type ProxyServer = http.Server & {
  balancer: Balancer;
  inflight: InflightTracker;
  /** True once none of `upstreams` has an HTTP request in flight; false after timeoutMs. */
  waitIdle(upstreams: readonly (Upstream | string)[], timeoutMs: number): Promise<boolean>;
  markDown(u: Upstream | string, forMs?: number): void;
  markUp(u: Upstream | string): void;
};

type State = {
  plan: Upstream[];
  attempt: number;
  sameRetried: boolean;
  endInflight: (() => void) | null;
  proxyReq: http.ClientRequest | null;
  gate: Transform | null;
  bodyBytes: number;
  bytesOut: number;
  timedOut: boolean;
};

export function sendPage(res: http.ServerResponse, p: ErrorPage): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(p.status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(p.body),
    'cache-control': 'no-store',
  });
  res.end(p.body);
}

export function createProxyServer(opts: ProxyOptions): ProxyServer {
  const log = opts.log ?? (() => {});
  const ownAgent = !opts.agent;
  const agent = opts.agent ?? new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
  const balancer = opts.balancer ?? new Balancer({ downForMs: opts.downForMs });
  const inflight = opts.inflight ?? new InflightTracker();
  const timeoutMs = opts.upstreamTimeoutMs ?? 120_000;
  const proxy = httpProxy.createProxyServer({ agent, xfwd: false, ws: true });
  const trusted = trustMatcher(opts.trustedProxies ?? []);
  const states = new WeakMap<http.IncomingMessage, State>();

  proxy.on('error', (err) => log(`proxy: unhandled ${err.message}`)); // never crash; callbacks handle errors
  proxy.on('proxyReq', (proxyReq, req) => {
    const st = states.get(req);
    if (!st) return;
    st.proxyReq = proxyReq;
    proxyReq.setTimeout(timeoutMs, () => {
      st.timedOut = true;
      proxyReq.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' }));
    });
    const gate = st.gate;
    if (gate) {
      const open = () => {
        if (st.gate === gate) req.pipe(gate);
      }; // body flows only once connected
      const sock = proxyReq.socket;
      if (sock && !sock.connecting) open();
      else sock?.once('connect', open);
    }
  });
  proxy.on('proxyRes', (proxyRes, req) => {
    const st = states.get(req);
    if (st)
      proxyRes.on('data', (c: Buffer) => {
        st.bytesOut += c.length;
      });
  });

  function attempt(req: http.IncomingMessage, res: http.ServerResponse, st: State): void {
    const n = st.attempt;
    const u = st.plan[n];
    st.endInflight?.();
    st.endInflight = inflight.begin(u);
    st.proxyReq = null;
    st.timedOut = false;
    st.bodyBytes = 0;
    st.gate =
      hasBody(req.headers) && !req.headers.expect
        ? new Transform({
            transform(c: Buffer, _e, cb) {
              st.bodyBytes += c.length;
              cb(null, c);
            },
          })
        : null;
    proxy.web(req, res, { target: target(u), buffer: st.gate ?? undefined } as httpProxy.ServerOptions, (err) => {
      try {
        onError(err as NodeJS.ErrnoException, req, res, st, n);
      } catch (e) {
        log(`proxy: error handler failed: ${e}`);
      }
    });
  }

  function onError(
    err: NodeJS.ErrnoException,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    st: State,
    n: number,
  ) {
    if (n !== st.attempt) return; // stale listener of an earlier attempt
    const u = st.plan[n];
    const f = {
      code: err.code,
      method: req.method,
      bodyBytesSent: st.bodyBytes,
      headersSent: res.headersSent,
      reusedSocket: st.proxyReq?.reusedSocket ?? false,
      timedOut: st.timedOut,
    };
    if (shouldMarkDown(f)) {
      balancer.markDown(u);
      log(`proxy: ${u.host}:${u.port} marked down (${err.code})`);
    }
    if (res.destroyed || req.socket.destroyed) return; // client went away
    if (shouldRetry(f)) {
      if (f.reusedSocket && !st.sameRetried) {
        st.sameRetried = true;
        st.plan.splice(n + 1, 0, u);
      } // stale keep-alive socket
      if (n + 1 < st.plan.length) {
        if (st.gate) req.unpipe(st.gate);
        st.attempt++;
        return attempt(req, res, st);
      }
    }
    if (!res.headersSent) log(`proxy: ${req.headers.host} → ${u.host}:${u.port} failed: ${err.code ?? err.message}`);
    sendPage(
      res,
      f.timedOut ? errorPage(504, 'The app did not answer in time.') : errorPage(502, 'The app is not reachable.'),
    );
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const r = opts.routes.resolve(req.headers.host);
    if (r.kind !== 'upstreams') {
      if (r.kind === 'unavailable' && opts.metrics) {
        const service = r.service ?? '';
        res.on('close', () =>
          opts.metrics?.record({
            app: r.app,
            service,
            status: res.statusCode,
            bytesIn: 0,
            bytesOut: 0,
            latencyMs: performance.now() - started,
          }),
        );
      }
      return sendPage(res, pageFor(r));
    }
    setForwardedHeaders(req.headers, {
      remoteAddress: req.socket.remoteAddress,
      encrypted: false,
      websocket: false,
      port: opts.publicPort ?? req.socket.localPort,
      trusted,
    });
    const st: State = {
      plan: balancer.plan(`${r.app}/${r.service}`, r.upstreams),
      attempt: 0,
      sameRetried: false,
      endInflight: null,
      proxyReq: null,
      gate: null,
      bodyBytes: 0,
      bytesOut: 0,
      timedOut: false,
    };
    states.set(req, st);
    res.on('close', () => {
      st.endInflight?.();
      if (!res.writableFinished) st.proxyReq?.destroy(); // client left: free the upstream socket
      opts.metrics?.record({
        app: r.app,
        service: r.service,
        status: res.headersSent ? res.statusCode : 499,
        bytesIn: st.bodyBytes,
        bytesOut: st.bytesOut,
        latencyMs: performance.now() - started,
      });
    });
    attempt(req, res, st);
  });

  const sockets = new Set<Socket>();
  const upgradeCtx = {
    proxy,
    routes: opts.routes,
    balancer,
    inflight,
    log,
    trusted,
    publicPort: opts.publicPort,
    sockets,
  };
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) =>
    handleUpgrade(upgradeCtx, req, socket, head),
  );
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    for (const s of sockets) s.destroy();
  }; // http.Server forgets upgraded sockets
  server.on('close', () => {
    if (ownAgent) agent.destroy();
  });

  return Object.assign(server, {
    balancer,
    inflight,
    waitIdle: (ups: readonly (Upstream | string)[], ms: number) => inflight.waitIdle(ups, ms),
    markDown: (u: Upstream | string, forMs?: number) => balancer.markDown(u, forMs),
    markUp: (u: Upstream | string) => balancer.markUp(u),
  });
}
