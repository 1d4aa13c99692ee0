// Host network mode: one 127.0.0.1 listener per service with an internalPort. A request there is routed
// as if it came for `<service>.<app>.<domain>`, so discovery URLs stay the same across releases and get
// the same balancing, retries and draining as public traffic.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { RouteTable } from './routeTable.ts';

export class InternalListeners {
  #servers = new Map<number, { host: string; server: http.Server }>();

  constructor(
    private proxy: http.Server,
    private log: (m: string) => void,
  ) {}

  /** Opens listeners that are now wanted and closes the ones that are not. */
  sync(routes: RouteTable): void {
    const wanted = new Map<number, string>();
    for (const a of routes.apps())
      for (const s of a.services)
        if (s.internalPort) wanted.set(s.internalPort, `${s.service}.${a.app}.${routes.domain}`);
    for (const [port, entry] of this.#servers) {
      if (wanted.get(port) === entry.host) continue;
      entry.server.close();
      entry.server.closeAllConnections();
      this.#servers.delete(port);
    }
    for (const [port, host] of wanted) if (!this.#servers.has(port)) this.#open(port, host);
  }

  #open(port: number, host: string) {
    const server = http.createServer((req, res) => {
      req.headers.host = host;
      this.proxy.emit('request', req, res);
    });
    server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      req.headers.host = host;
      this.proxy.emit('upgrade', req, socket, head);
    });
    server.keepAliveTimeout = 65_000;
    server.on('error', (e) => {
      this.log(`internal listener 127.0.0.1:${port} for ${host}: ${e.message}`);
      this.#servers.delete(port);
    });
    server.listen(port, '127.0.0.1');
    this.#servers.set(port, { host, server });
  }

  close() {
    for (const { server } of this.#servers.values()) {
      server.close();
      server.closeAllConnections();
    }
    this.#servers.clear();
  }
}
