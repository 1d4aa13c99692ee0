import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RouteTable } from '../../server/proxy/routeTable.ts';
import { request, startProxy, startUpstream, type TestUpstream } from './helpers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const slowEcho = (name: string) =>
  startUpstream(name, (_req, res) => {
    setTimeout(() => res.end(name), 3);
  });

async function started(name: string): Promise<TestUpstream> {
  const u = await slowEcho(name);
  cleanup.push(u.close);
  return u;
}

describe('route switch', () => {
  it('switches from A to B under constant load without losing a request, then A drains', async () => {
    const routes = new RouteTable('localhost');
    const live = (u: TestUpstream) =>
      routes.setApp({
        app: 'shop',
        state: 'live',
        primary: 'web',
        services: [{ service: 'web', upstreams: [u.upstream] }],
      });
    let switchedAt = -1;
    let inflightAtSwitch = -1;
    let drained: Promise<boolean> | null = null;
    // A switches the routes from inside its 100th request, so that request is provably in flight.
    const a = await startUpstream('a', (_req, res) => {
      if (a.hits === 100) {
        live(b);
        switchedAt = sent;
        inflightAtSwitch = p.server.inflight.requests(a.upstream);
        drained = p.server.waitIdle([a.upstream], 5000);
      }
      setTimeout(() => res.end('a'), 1 + (a.hits % 5));
    });
    cleanup.push(a.close);
    const b = await started('b');
    live(a);
    const p = await startProxy({ routes });
    cleanup.push(p.close);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    cleanup.push(async () => agent.destroy());

    const TOTAL = 300;
    let sent = 0;
    const results: { i: number; status: number; body: string }[] = [];
    const deadline = Date.now() + 20_000;
    const worker = async () => {
      while (sent < TOTAL && Date.now() < deadline) {
        const i = sent++;
        const r = await request(p.port, 'shop.localhost', { agent }).catch((e: Error) => ({
          status: 0,
          body: e.message,
          headers: {},
        }));
        results.push({ i, status: r.status, body: r.body });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    expect(results).toHaveLength(TOTAL);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(inflightAtSwitch).toBeGreaterThan(0);
    expect(await drained).toBe(true);
    expect(p.server.inflight.requests(a.upstream)).toBe(0);
    expect(results.filter((r) => r.i >= switchedAt).every((r) => r.body === 'b')).toBe(true);
    expect(a.hits).toBeGreaterThanOrEqual(100);
    expect(a.hits + b.hits).toBe(TOTAL);
    expect(b.hits).toBeGreaterThan(150);
  });

  it('switches every service host of an app at once', async () => {
    const [w1, a1, w2, a2] = [await started('w1'), await started('a1'), await started('w2'), await started('a2')];
    const routes = new RouteTable('localhost');
    const release = (web: TestUpstream, api: TestUpstream) =>
      routes.setApp({
        app: 'shop',
        state: 'live',
        primary: 'web',
        services: [
          { service: 'web', upstreams: [web.upstream] },
          { service: 'api', upstreams: [api.upstream] },
        ],
      });
    release(w1, a1);
    const p = await startProxy({ routes });
    cleanup.push(p.close);
    const bodies = async () =>
      Promise.all(
        ['shop.localhost', 'web.shop.localhost', 'api.shop.localhost'].map(
          async (h) => (await request(p.port, h)).body,
        ),
      );
    expect(await bodies()).toEqual(['w1', 'w1', 'a1']);
    release(w2, a2);
    expect(await bodies()).toEqual(['w2', 'w2', 'a2']);
  });
});
