// Kyozo's side of the proxy daemon's control socket. Implements the RouteSink the deploy pipeline uses.
import http from 'node:http';
import type { RouteSink } from '../runtime/routeSync.ts';
import type { DaemonStatus } from './control.ts';
import type { ServiceMetrics } from './metrics.ts';
import type { AppRoutes } from './routeTable.ts';

export class ProxyClient implements RouteSink {
  constructor(
    readonly socketPath: string,
    private timeoutMs = 10_000,
  ) {}

  request<T>(method: string, path: string, data?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    return new Promise((resolve, reject) => {
      const payload = data === undefined ? undefined : JSON.stringify(data);
      const req = http.request(
        {
          socketPath: this.socketPath,
          method,
          path,
          timeout: timeoutMs,
          headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400)
              return reject(new Error(`proxy control ${method} ${path}: ${res.statusCode} ${text}`));
            resolve((text ? JSON.parse(text) : undefined) as T);
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`proxy control ${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  status(): Promise<DaemonStatus> {
    return this.request('GET', '/status', undefined, 2000);
  }
  routes(): Promise<AppRoutes[]> {
    return this.request('GET', '/routes');
  }
  setApp(routes: AppRoutes): Promise<void> {
    return this.request('PUT', `/apps/${routes.app}`, routes);
  }
  removeApp(app: string): Promise<void> {
    return this.request('DELETE', `/apps/${app}`);
  }
  replaceAll(routes: AppRoutes[]): Promise<void> {
    return this.request('PUT', '/routes', routes);
  }
  async waitIdle(ids: string[], timeoutMs: number): Promise<void> {
    await this.request('POST', '/wait-idle', { ids, timeoutMs }, timeoutMs + 5000);
  }
  mark(id: string, down: boolean, forMs?: number): Promise<void> {
    return this.request('POST', '/mark', { id, down, forMs });
  }
  drainMetrics(): Promise<ServiceMetrics[]> {
    return this.request('POST', '/metrics/drain');
  }
  shutdown(): Promise<void> {
    return this.request('POST', '/shutdown');
  }
}
