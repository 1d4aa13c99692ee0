import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyMetrics } from '../../server/proxy/metrics.ts';
import { RouteTable, type Upstream } from '../../server/proxy/routeTable.ts';
import { refusedUpstream, request, startProxy, startUpstream } from './helpers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(upstreams: Upstream[], opts: { metrics?: ProxyMetrics; upstreamTimeoutMs?: number } = {}) {
  const routes = new RouteTable('localhost');
  routes.setApp({ app: 'shop', state: 'live', primary: 'web', services: [{ service: 'web', upstreams }] });
  const logs: string[] = [];
  const p = await startProxy({ routes, log: (m) => logs.push(m), ...opts });
  cleanup.push(p.close);
  return { routes, logs, ...p };
}

async function upstream(name: string, handler?: Parameters<typeof startUpstream>[1]) {
  const u = await startUpstream(name, handler);
  cleanup.push(u.close);
  return u;
}

describe('proxy server', () => {
  it('round robins across live replicas (port and case in Host ignored)', async () => {
    const [a, b] = [await upstream('a'), await upstream('b')];
    const { port } = await setup([a.upstream, b.upstream]);
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push(JSON.parse((await request(port, `Shop.LOCALHOST:${port}`)).body).name);
    expect(names).toEqual(['a', 'b', 'a', 'b']);
  });

  it('answers 404 for unknown hosts and 503 plain pages for apps without release or stopped', async () => {
    const a = await upstream('a');
    const { port, routes } = await setup([a.upstream]);
    const unknown = await request(port, 'nope.localhost');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/text\/plain/);
    routes.setApp({ app: 'fresh', state: 'none', primary: null, services: [] });
    const fresh = await request(port, 'fresh.localhost');
    expect(fresh.status).toBe(503);
    expect(fresh.body).toMatch(/no live release/);
    routes.setApp({
      app: 'shop',
      state: 'stopped',
      primary: 'web',
      services: [{ service: 'web', upstreams: [a.upstream] }],
    });
    const stopped = await request(port, 'shop.localhost');
    expect(stopped.status).toBe(503);
    expect(stopped.body).toMatch(/stopped/);
    expect(a.hits).toBe(0);
  });

  it('answers 502 when the only replica refuses, and marks it down', async () => {
    const dead = await refusedUpstream();
    const { port, server } = await setup([dead]);
    const r = await request(port, 'shop.localhost');
    expect(r.status).toBe(502);
    expect(server.balancer.isDown(dead)).toBe(true);
    expect((await request(port, 'shop.localhost', { method: 'POST', body: 'x' })).status).toBe(502); // all down: still tried
  });

  it('retries on another replica when one refuses (0 failed requests, bodies intact)', async () => {
    const dead = await refusedUpstream();
    const a = await upstream('a');
    const { port, server } = await setup([dead, a.upstream]);
    for (let i = 0; i < 10; i++) {
      const method = i % 2 ? 'POST' : 'GET';
      const r = await request(port, 'shop.localhost', { method, body: method === 'POST' ? `payload-${i}` : undefined });
      expect(r.status).toBe(200);
      if (method === 'POST') expect(JSON.parse(r.body).body).toBe(`payload-${i}`);
    }
    expect(server.balancer.isDown(dead)).toBe(true);
    expect(a.hits).toBe(10);
  });

  it('re-sends a GET (not a POST) when a reused keep-alive socket is reset, without marking the replica down', async () => {
    let resetNext = false;
    const a = await upstream('a', (req, res) => {
      if (resetNext) {
        resetNext = false;
        return void req.socket.destroy();
      }
      res.end('ok');
    });
    const { port, server } = await setup([a.upstream]);
    expect((await request(port, 'shop.localhost')).status).toBe(200); // warms one pooled socket
    resetNext = true;
    expect((await request(port, 'shop.localhost')).body).toBe('ok');
    expect(server.balancer.isDown(a.upstream)).toBe(false);
    resetNext = true;
    expect((await request(port, 'shop.localhost', { method: 'POST', body: 'once' })).status).toBe(502);
    expect(a.hits).toBe(4); // 1 + (reset + retry) + the POST, which is not replayed
  });

  it('sets X-Forwarded-For/-Proto/-Host and keeps the Host header', async () => {
    const a = await upstream('a');
    const { port } = await setup([a.upstream]);
    const { headers } = JSON.parse(
      (await request(port, `shop.localhost:${port}`, { headers: { 'x-forwarded-for': '6.6.6.6' } })).body,
    );
    expect(headers.host).toBe(`shop.localhost:${port}`);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(`shop.localhost:${port}`);
  });

  it('reuses keep-alive upstream sockets', async () => {
    const a = await upstream('a');
    const { port } = await setup([a.upstream]);
    for (let i = 0; i < 50; i++) expect((await request(port, 'shop.localhost')).status).toBe(200);
    expect(a.hits).toBe(50);
    expect(a.sockets).toBe(1);
  });

  it('answers 504 when a replica is too slow, without blocking the other replica', async () => {
    const slow = await upstream('slow', (_req, res) => {
      setTimeout(() => res.end('late'), 2000).unref();
    });
    const fast = await upstream('fast');
    const { port } = await setup([slow.upstream, fast.upstream], { upstreamTimeoutMs: 300 });
    const pending = request(port, 'shop.localhost');
    const t0 = Date.now();
    expect((await request(port, 'shop.localhost')).status).toBe(200); // fast replica answers meanwhile
    expect(Date.now() - t0).toBeLessThan(250);
    expect((await pending).status).toBe(504);
    expect(slow.hits).toBe(1); // a timed-out request is not re-sent
  });

  it('survives clients that abort mid-request and records metrics', async () => {
    const metrics = new ProxyMetrics();
    let upstreamCut = false;
    const slow = await upstream('slow', (_req, res) => {
      res.on('close', () => {
        upstreamCut = !res.writableFinished;
      });
      res.write('partial');
      setTimeout(() => res.end(), 2000).unref();
    });
    const { port, routes } = await setup([slow.upstream], { metrics });
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, headers: { host: 'shop.localhost' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end();
    });
    routes.setApp({
      app: 'shop',
      state: 'live',
      primary: 'web',
      services: [{ service: 'web', upstreams: [(await upstream('a')).upstream] }],
    });
    expect((await request(port, 'shop.localhost', { method: 'POST', body: 'hello' })).status).toBe(200);
    expect((await request(port, 'zzz.localhost')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    expect(upstreamCut).toBe(true); // the proxy freed the upstream request when the client left
    const [m] = metrics.snapshot();
    expect(m).toMatchObject({ app: 'shop', service: 'web', requests: 2, bytesIn: 5 });
    expect(m.status['2xx']).toBe(2);
    expect(m.bytesOut).toBeGreaterThan(7);
    expect(m.latencySamples).toHaveLength(2);
  });
});
