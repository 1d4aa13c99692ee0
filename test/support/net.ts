// HTTP through the Kyozo proxy on 127.0.0.1 with a chosen Host header.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function viaProxy(
  proxyPort: number,
  host: string,
  path = '/',
  timeoutMs = 5000,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: proxyPort, path, headers: { host }, agent, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Requests in a bounded loop (count and time) with some concurrency; counts failures (non-2xx or errors). */
export function loadLoop(
  proxyPort: number,
  host: string,
  opts: { concurrency?: number; maxRequests?: number; maxMs?: number } = {},
) {
  const { concurrency = 2, maxRequests = 20_000, maxMs = 180_000 } = opts;
  let running = true;
  let sent = 0;
  const failures: string[] = [];
  const bodies = new Map<string, number>();
  const started = Date.now();
  const worker = async () => {
    while (running && sent < maxRequests && Date.now() - started < maxMs) {
      sent++;
      try {
        const r = await viaProxy(proxyPort, host);
        if (r.status >= 400) failures.push(`${r.status} ${r.body.slice(0, 80)}`);
        else bodies.set(r.body, (bodies.get(r.body) ?? 0) + 1);
      } catch (e) {
        failures.push((e as Error).message);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker));
  return {
    async stop() {
      running = false;
      await done;
      return { sent, failures, bodies };
    },
  };
}
