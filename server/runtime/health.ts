// Health gate: HTTP GET from outside the container until it answers < 500, the deadline passes, or the
// container stops (fail fast, with its exit code).
import http from 'node:http';
import net from 'node:net';

export interface ContainerCheck {
  running: boolean;
  exitCode: number | null;
}

export interface WaitHealthyOptions {
  url: string;
  deadlineMs: number;
  /** Pause between probes. Default 250 ms. */
  intervalMs?: number;
  /** Timeout of a single probe. Default 2000 ms. */
  probeTimeoutMs?: number;
  /** Called before each probe; a stopped container fails the wait at once. */
  checkContainer?: () => Promise<ContainerCheck>;
  signal?: AbortSignal;
}

export type HealthResult = { ok: true; status: number; ms: number } | { ok: false; reason: string; ms: number };

/** One GET; resolves with the status code or rejects (connection refused, timeout, …). */
export function probe(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: false, timeout: timeoutMs, headers: { 'user-agent': 'kyozo-health' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs}ms`)));
    req.on('error', reject);
  });
}

/** One TCP connect: true when the port accepts a connection within the timeout. */
export function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? err?.message ?? String(e);
}

export async function waitHealthy(opts: WaitHealthyOptions): Promise<HealthResult> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 250;
  const probeTimeout = opts.probeTimeoutMs ?? 2000;
  const elapsed = () => Date.now() - started;
  let last = 'no probe completed';
  for (;;) {
    if (opts.signal?.aborted) return { ok: false, reason: 'health check aborted', ms: elapsed() };
    if (opts.checkContainer) {
      const c = await opts
        .checkContainer()
        .catch((e: unknown) => ({ running: false, exitCode: null, error: errText(e) }));
      if (!c.running) {
        const why = c.exitCode !== null ? `container exited with code ${c.exitCode}` : 'container is not running';
        return { ok: false, reason: `${why} before becoming healthy (last probe: ${last})`, ms: elapsed() };
      }
    }
    const remaining = opts.deadlineMs - elapsed();
    if (remaining <= 0) break;
    try {
      const status = await probe(opts.url, Math.max(1, Math.min(probeTimeout, remaining)));
      if (status > 0 && status < 500) return { ok: true, status, ms: elapsed() };
      last = `HTTP ${status}`;
    } catch (e) {
      last = errText(e);
    }
    const left = opts.deadlineMs - elapsed();
    if (left <= 0) break;
    await sleep(Math.min(interval, left), opts.signal);
  }
  return {
    ok: false,
    reason: `no healthy response from ${opts.url} within ${opts.deadlineMs}ms (last probe: ${last})`,
    ms: elapsed(),
  };
}
