// Real servers on 127.0.0.1 for proxy integration tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer, type ProxyOptions, type ProxyServer } from '../../server/proxy/server.ts';
import type { Upstream } from '../../server/proxy/routeTable.ts';

export type TestUpstream = {
  name: string;
  upstream: Upstream;
  server: http.Server;
  hits: number;
  sockets: number;
  close(): Promise<void>;
};

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** Echo server: answers { name, method, url, headers, body } as JSON. */
export async function startUpstream(name: string, handler?: Handler): Promise<TestUpstream> {
  const server = http.createServer((req, res) => {
    t.hits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (handler) return handler(req, res, body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  server.on('connection', () => {
    t.sockets++;
  });
  const port = await listen(server);
  const t: TestUpstream = {
    name,
    server,
    hits: 0,
    sockets: 0,
    upstream: { host: '127.0.0.1', port, id: name },
    close: () => closeServer(server),
  };
  return t;
}

export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on (connections are refused). */
export async function refusedUpstream(id = 'dead'): Promise<Upstream> {
  const s = http.createServer();
  const port = await listen(s);
  await closeServer(s);
  return { host: '127.0.0.1', port, id };
}

export async function startProxy(
  opts: ProxyOptions,
): Promise<{ server: ProxyServer; port: number; close(): Promise<void> }> {
  const server = createProxyServer(opts);
  const port = await listen(server);
  return { server, port, close: () => closeServer(server) };
}

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function request(
  port: number,
  host: string,
  o: { method?: string; path?: string; body?: string; agent?: http.Agent; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: o.method ?? 'GET',
        path: o.path ?? '/',
        agent: o.agent,
        headers: { host, ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
