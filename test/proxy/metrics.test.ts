import { describe, expect, it } from 'vitest';
import { InflightTracker } from '../../server/proxy/inflight.ts';
import { ProxyMetrics, percentile } from '../../server/proxy/metrics.ts';
import { setForwardedHeaders, shouldMarkDown, shouldRetry } from '../../server/proxy/policy.ts';

describe('ProxyMetrics', () => {
  it('counts requests, status classes and bytes per app/service', () => {
    const m = new ProxyMetrics({ now: () => 42 });
    const s = { app: 'shop', service: 'web', bytesIn: 10, bytesOut: 100, latencyMs: 5 };
    m.record({ ...s, status: 200 });
    m.record({ ...s, status: 304 });
    m.record({ ...s, status: 404 });
    m.record({ ...s, status: 502 });
    m.record({ ...s, service: 'api', status: 201 });
    const snap = m.snapshot();
    const web = snap.find((x) => x.service === 'web')!;
    expect(web).toMatchObject({ app: 'shop', since: 42, requests: 4, bytesIn: 40, bytesOut: 400, latencyMaxMs: 5 });
    expect(web.status).toEqual({ '1xx': 0, '2xx': 1, '3xx': 1, '4xx': 1, '5xx': 1 });
    expect(snap).toHaveLength(2);
    expect(m.drain()).toHaveLength(2);
    expect(m.snapshot()).toEqual([]);
  });

  it('keeps a bounded latency reservoir', () => {
    let i = 0;
    const m = new ProxyMetrics({ reservoirSize: 100, random: () => (i = (i * 7919 + 13) % 1000) / 1000 });
    for (let k = 1; k <= 10_000; k++)
      m.record({ app: 'a', service: 's', status: 200, bytesIn: 0, bytesOut: 0, latencyMs: k });
    const [w] = m.snapshot();
    expect(w.requests).toBe(10_000);
    expect(w.latencySamples).toHaveLength(100);
    expect(w.latencyMaxMs).toBe(10_000);
  });

  it('computes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, k) => 100 - k);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('policy', () => {
  const base = {
    code: 'ECONNREFUSED',
    method: 'POST',
    bodyBytesSent: 0,
    reusedSocket: false,
    headersSent: false,
    timedOut: false,
  };
  it('retries refused connections for any method, resets only for idempotent ones', () => {
    expect(shouldRetry(base)).toBe(true);
    expect(shouldRetry({ ...base, code: 'ECONNRESET' })).toBe(false);
    expect(shouldRetry({ ...base, code: 'ECONNRESET', method: 'GET' })).toBe(true);
    expect(shouldRetry({ ...base, bodyBytesSent: 1 })).toBe(false);
    expect(shouldRetry({ ...base, headersSent: true })).toBe(false);
    expect(shouldRetry({ ...base, code: 'ETIMEDOUT', timedOut: true })).toBe(false);
  });
  it('marks down refused and fresh-socket resets, not stale keep-alive sockets or timeouts', () => {
    expect(shouldMarkDown(base)).toBe(true);
    expect(shouldMarkDown({ ...base, code: 'ECONNRESET' })).toBe(true);
    expect(shouldMarkDown({ ...base, code: 'ECONNRESET', reusedSocket: true })).toBe(false);
    expect(shouldMarkDown({ ...base, code: 'ETIMEDOUT', timedOut: true })).toBe(false);
  });
  it('replaces client-sent forwarded headers unless the peer is a trusted front proxy', () => {
    const h: Record<string, string> = {
      host: 'shop.localhost:8080',
      'x-forwarded-for': '6.6.6.6',
      'x-real-ip': '6.6.6.6',
      forwarded: 'for=6.6.6.6',
      'x-forwarded-prefix': '/admin',
    };
    setForwardedHeaders(h, { remoteAddress: '::ffff:127.0.0.1', encrypted: false, websocket: false, port: 80 });
    expect(h).toEqual({
      host: 'shop.localhost:8080',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.localhost:8080',
      'x-forwarded-port': '80',
      'x-real-ip': '127.0.0.1',
      forwarded: 'for=127.0.0.1;host="shop.localhost:8080";proto=http',
    });
    const trusted = (a: string) => a.startsWith('10.');
    const t: Record<string, string> = {
      host: 'shop.example',
      'x-forwarded-for': '6.6.6.6, 1.2.3.4, 10.0.0.2',
      'x-forwarded-proto': 'https',
      forwarded: 'for=1.2.3.4;proto=https',
    };
    setForwardedHeaders(t, { remoteAddress: '10.0.0.9', encrypted: false, websocket: false, port: 80, trusted });
    expect(t).toEqual({
      host: 'shop.example',
      'x-forwarded-for': '6.6.6.6, 1.2.3.4, 10.0.0.2, 10.0.0.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shop.example',
      'x-forwarded-port': '80',
      'x-real-ip': '1.2.3.4',
      forwarded: 'for=1.2.3.4;proto=https, for=10.0.0.9;host="shop.example";proto=http',
    });
    const v6: Record<string, string> = { host: 'a"b' };
    setForwardedHeaders(v6, { remoteAddress: '2001:db8::1', encrypted: false, websocket: true, trusted });
    expect(v6).toMatchObject({
      'x-forwarded-proto': 'ws',
      'x-forwarded-port': '80',
      forwarded: 'for="[2001:db8::1]";host="a\\"b";proto=http',
    });
  });
});

describe('InflightTracker', () => {
  it('waits until upstreams are idle, or times out', async () => {
    const t = new InflightTracker();
    const a = { host: '127.0.0.1', port: 1 };
    const end1 = t.begin(a);
    const end2 = t.begin(a);
    expect(t.requests(a)).toBe(2);
    const idle = t.waitIdle([a], 5000);
    end1();
    end1(); // idempotent
    expect(t.requests(a)).toBe(1);
    setTimeout(end2, 20);
    expect(await idle).toBe(true);
    t.begin(a, 'socket');
    expect(await t.waitIdle([a], 10)).toBe(true); // websockets do not block draining
    t.begin(a);
    expect(await t.waitIdle(['127.0.0.1:1'], 30)).toBe(false);
  });
});
