import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitHealthy } from '../../server/runtime/health.ts';
import { canBind } from '../../server/runtime/ports.ts';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}

async function closedPortUrl(): Promise<string> {
  for (let p = 29500; p < 29999; p++) if (await canBind(p)) return `http://127.0.0.1:${p}/`;
  throw new Error('no closed port');
}

describe('waitHealthy', () => {
  it('succeeds on the first status < 500 (404 counts as up)', async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      res.statusCode = ++n < 3 ? 503 : 404;
      res.end();
    });
    const r = await waitHealthy({ url, deadlineMs: 5000, intervalMs: 20 });
    expect(r).toMatchObject({ ok: true, status: 404 });
    expect(n).toBe(3);
  });

  it('fails at the deadline with the last probe error', async () => {
    const url = await closedPortUrl();
    const t0 = Date.now();
    const r = await waitHealthy({ url, deadlineMs: 300, intervalMs: 50 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/within 300ms \(last probe: ECONNREFUSED\)/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('fails fast with the exit code when the container stops', async () => {
    const url = await closedPortUrl();
    let calls = 0;
    const checkContainer = async () =>
      ++calls < 3 ? { running: true, exitCode: null } : { running: false, exitCode: 137 };
    const r = await waitHealthy({ url, deadlineMs: 60_000, intervalMs: 10, checkContainer });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^container exited with code 137 before becoming healthy/);
    expect(r.ms).toBeLessThan(2000);
  });

  it('times out a hanging probe and respects abort', async () => {
    const url = await serve(() => {}); // never answers
    const r = await waitHealthy({ url, deadlineMs: 400, probeTimeoutMs: 100, intervalMs: 10 });
    expect(!r.ok && r.reason).toMatch(/no response within/);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const a = await waitHealthy({ url, deadlineMs: 60_000, probeTimeoutMs: 50, intervalMs: 10_000, signal: ac.signal });
    expect(a).toMatchObject({ ok: false, reason: 'health check aborted' });
  });
});
