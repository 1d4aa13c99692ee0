// The proxy daemon's control channel: HTTP over a Unix socket (mode 0600) in the data dir.
// Kyozo pushes route tables and asks for drain/metrics; nothing else can reach it.
import http from 'node:http';
import type { ProxyMetrics } from './metrics.ts';
import type { AppRoutes, RouteTable } from './routeTable.ts';
import type { ProxyServer } from './server.ts';

export interface DaemonStatus {
  pid: number;
  version: string;
  apps: number;
}

async function body(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
}

function reply(res: http.ServerResponse, status: number, data?: unknown) {
  if (data === undefined) return void res.writeHead(status).end();
  const text = JSON.stringify(data);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function controlHandler(opts: {
  routes: RouteTable;
  proxy: ProxyServer;
  metrics: ProxyMetrics;
  version: string;
  shutdown(): void;
  changed?(): void;
}) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://control');
      const path = url.pathname;
      if (req.method === 'GET' && path === '/status')
        return reply(res, 200, {
          pid: process.pid,
          version: opts.version,
          apps: opts.routes.apps().length,
        } satisfies DaemonStatus);
      if (req.method === 'GET' && path === '/routes') return reply(res, 200, opts.routes.apps());
      if (req.method === 'PUT' && path === '/routes') {
        const all = (await body(req)) as AppRoutes[];
        const keep = new Set(all.map((a) => a.app));
        for (const a of all) opts.routes.setApp(a);
        for (const a of opts.routes.apps()) if (!keep.has(a.app)) opts.routes.removeApp(a.app);
        opts.changed?.();
        return reply(res, 204);
      }
      const appMatch = /^\/apps\/([a-z0-9-]+)$/.exec(path);
      if (appMatch && req.method === 'PUT') {
        opts.routes.setApp((await body(req)) as AppRoutes);
        opts.changed?.();
        return reply(res, 204);
      }
      if (appMatch && req.method === 'DELETE') {
        opts.routes.removeApp(appMatch[1]);
        opts.changed?.();
        return reply(res, 204);
      }
      if (req.method === 'POST' && path === '/wait-idle') {
        const { ids, timeoutMs } = (await body(req)) as { ids: string[]; timeoutMs: number };
        return reply(res, 200, { idle: await opts.proxy.waitIdle(ids, timeoutMs) });
      }
      if (req.method === 'POST' && path === '/mark') {
        const { id, down, forMs } = (await body(req)) as { id: string; down: boolean; forMs?: number };
        if (down) opts.proxy.markDown(id, forMs);
        else opts.proxy.markUp(id);
        return reply(res, 204);
      }
      if (req.method === 'POST' && path === '/metrics/drain') return reply(res, 200, opts.metrics.drain());
      if (req.method === 'POST' && path === '/shutdown') {
        reply(res, 204);
        return setImmediate(opts.shutdown);
      }
      reply(res, 404, { error: 'unknown control endpoint' });
    } catch (e) {
      reply(res, 400, { error: (e as Error).message });
    }
  };
}
