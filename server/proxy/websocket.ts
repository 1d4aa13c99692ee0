// WebSocket (HTTP Upgrade) pass-through. No retry: http-proxy ends the client socket on error,
// so a refused upstream answers 502 and is marked down for the next attempt.
import type http from 'node:http';
import type { Socket } from 'node:net';
import type httpProxy from 'http-proxy';
import type { Balancer } from './balancer.ts';
import type { InflightTracker } from './inflight.ts';
import { errorPage, pageFor, rawResponse, setForwardedHeaders, shouldMarkDown, target } from './policy.ts';
import type { RouteTable, Upstream } from './routeTable.ts';

export type UpgradeContext = {
  proxy: httpProxy;
  routes: RouteTable;
  balancer: Balancer;
  inflight: InflightTracker;
  log: (msg: string) => void;
  trusted: (addr: string) => boolean;
  publicPort?: number;
  /** Open client sockets, so closeAllConnections() can end upgraded connections too. */
  sockets: Set<Socket>;
};

const responded = new WeakSet<http.IncomingMessage>();
const hooked = new WeakSet<httpProxy>();

export function handleUpgrade(ctx: UpgradeContext, req: http.IncomingMessage, socket: Socket, head: Buffer): void {
  socket.on('error', () => {}); // client resets must not crash the process
  ctx.sockets.add(socket);
  socket.once('close', () => ctx.sockets.delete(socket));
  if (!hooked.has(ctx.proxy)) {
    hooked.add(ctx.proxy);
    ctx.proxy.on('proxyReqWs', (proxyReq, r) => {
      const mark = () => responded.add(r);
      proxyReq.once('upgrade', mark);
      proxyReq.once('response', mark);
    });
  }
  const r = ctx.routes.resolve(req.headers.host);
  if (r.kind !== 'upstreams') return void socket.end(rawResponse(pageFor(r)));
  setForwardedHeaders(req.headers, {
    remoteAddress: socket.remoteAddress,
    encrypted: false,
    websocket: true,
    port: ctx.publicPort ?? socket.localPort,
    trusted: ctx.trusted,
  });
  const u: Upstream = ctx.balancer.pick(`${r.app}/${r.service}`, r.upstreams)!;
  const end = ctx.inflight.begin(u, 'socket');
  socket.once('close', end);
  ctx.proxy.ws(req, socket, head, { target: target(u) } as httpProxy.ServerOptions, (err) => {
    try {
      const code = (err as NodeJS.ErrnoException).code;
      if (shouldMarkDown({ code, reusedSocket: false, timedOut: false })) ctx.balancer.markDown(u);
      if (!responded.has(req) && socket.writable) {
        ctx.log(`proxy: websocket ${req.headers.host} → ${u.host}:${u.port} failed: ${code ?? err.message}`);
        socket.write(rawResponse(errorPage(502, 'The app is not reachable.')));
      }
    } catch {
      /* never throw from the error path */
    }
  });
}
