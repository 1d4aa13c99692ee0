// The proxy daemon: a separate, long-lived process so restarting Kyozo never stops app traffic.
// Started (detached) by server/proxy/supervisor.ts; serves the last route table it was given until
// Kyozo comes back and pushes a fresh one. Env: KYOZO_PROXY_PORT, KYOZO_HOST, KYOZO_DOMAIN,
// KYOZO_PUBLIC_PROXY_PORT, KYOZO_TRUSTED_PROXIES, KYOZO_PROXY_SOCKET, KYOZO_PROXY_PIDFILE, KYOZO_PROXY_VERSION.
import http from 'node:http';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { controlHandler } from './control.ts';
import { InternalListeners } from './internal.ts';
import { ProxyMetrics } from './metrics.ts';
import { RouteTable } from './routeTable.ts';
import { createProxyServer } from './server.ts';
import { parseTrustedProxies } from './trust.ts';

const env = process.env;
const port = Number(env.KYOZO_PROXY_PORT ?? 8080);
const host = env.KYOZO_HOST ?? '0.0.0.0';
const socketPath = env.KYOZO_PROXY_SOCKET!;
const pidFile = env.KYOZO_PROXY_PIDFILE!;
const log = (m: string) => console.log(`[proxy ${new Date().toISOString()}] ${m}`);

const routes = new RouteTable(env.KYOZO_DOMAIN ?? 'localhost');
const metrics = new ProxyMetrics();
const publicPort = Number(env.KYOZO_PUBLIC_PROXY_PORT ?? port);
const trustedProxies = parseTrustedProxies(env.KYOZO_TRUSTED_PROXIES);
const proxy = createProxyServer({ routes, metrics, log, publicPort, trustedProxies });
proxy.keepAliveTimeout = 65_000;
const internal = new InternalListeners(proxy, log);

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  log('shutting down');
  control.close();
  internal.close();
  proxy.close(() => process.exit(0));
  proxy.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 3000).unref();
  try {
    rmSync(pidFile, { force: true });
  } catch {
    /* ignore */
  }
}

const control = http.createServer(
  controlHandler({
    routes,
    proxy,
    metrics,
    version: env.KYOZO_PROXY_VERSION ?? 'dev',
    shutdown,
    changed: () => internal.sync(routes),
  }),
);
rmSync(socketPath, { force: true });
control.listen(socketPath, () => {
  chmodSync(socketPath, 0o600);
  proxy.listen(port, host, () => {
    writeFileSync(pidFile, String(process.pid));
    log(`listening on ${host}:${port}, control ${socketPath}`);
  });
});
proxy.on('error', (e) => {
  log(`cannot listen on ${host}:${port}: ${e.message}`);
  process.exit(1);
});
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e}`));
