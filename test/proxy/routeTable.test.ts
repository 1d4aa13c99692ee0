import { describe, expect, it } from 'vitest';
import { RouteTable, hostnameOf } from '../../server/proxy/routeTable.ts';

const up = (port: number) => ({ host: '127.0.0.1', port });

function table() {
  const t = new RouteTable('localhost');
  t.setApp({
    app: 'shop',
    state: 'live',
    primary: 'web',
    services: [
      { service: 'web', upstreams: [up(1001), up(1002)] },
      { service: 'api', upstreams: [up(2001)] },
    ],
  });
  t.setApp({ app: 'api', state: 'live', primary: 'web', services: [{ service: 'web', upstreams: [up(3001)] }] });
  return t;
}

describe('hostnameOf', () => {
  it('strips port, trailing dot and case', () => {
    expect(hostnameOf('Shop.LocalHost.:8080')).toBe('shop.localhost');
    expect(hostnameOf('shop.localhost')).toBe('shop.localhost');
    expect(hostnameOf('[::1]:8080')).toBe('[::1]');
    expect(hostnameOf(undefined)).toBe('');
  });
});

describe('RouteTable.resolve', () => {
  it('routes <app>.<domain> to the primary service', () => {
    const r = table().resolve('SHOP.localhost:8080');
    expect(r).toMatchObject({ kind: 'upstreams', app: 'shop', service: 'web' });
    if (r.kind === 'upstreams') expect(r.upstreams.map((u) => u.port)).toEqual([1001, 1002]);
  });

  it('routes <service>.<app>.<domain> to that service', () => {
    expect(table().resolve('api.shop.localhost')).toMatchObject({ kind: 'upstreams', app: 'shop', service: 'api' });
    expect(table().resolve('web.shop.localhost.')).toMatchObject({ kind: 'upstreams', app: 'shop', service: 'web' });
  });

  it('keeps app "api" and service "api" of shop apart', () => {
    const t = table();
    const app = t.resolve('api.localhost');
    expect(app).toMatchObject({ kind: 'upstreams', app: 'api', service: 'web' });
    const svc = t.resolve('api.shop.localhost');
    expect(svc).toMatchObject({ kind: 'upstreams', app: 'shop', service: 'api' });
  });

  it('answers unknown for other domains, unknown apps/services and deep names', () => {
    const t = table();
    for (const h of [
      'shop.example.com',
      'localhost',
      'nope.localhost',
      'db.shop.localhost',
      'a.web.shop.localhost',
      '.localhost',
      undefined,
      'shoplocalhost',
    ])
      expect(t.resolve(h)).toEqual({ kind: 'unknown' });
  });

  it('answers unavailable for stopped apps, apps without release, and empty services', () => {
    const t = table();
    t.setApp({ app: 'shop', state: 'stopped', primary: 'web', services: [{ service: 'web', upstreams: [] }] });
    expect(t.resolve('shop.localhost')).toMatchObject({ kind: 'unavailable', reason: 'stopped' });
    expect(t.resolve('web.shop.localhost')).toMatchObject({ kind: 'unavailable', reason: 'stopped' });
    t.setApp({ app: 'fresh', state: 'none', primary: null, services: [] });
    expect(t.resolve('fresh.localhost')).toMatchObject({ kind: 'unavailable', app: 'fresh', reason: 'no-release' });
    expect(t.resolve('web.fresh.localhost')).toEqual({ kind: 'unknown' });
    t.setApp({ app: 'worker', state: 'live', primary: null, services: [{ service: 'jobs', upstreams: [] }] });
    expect(t.resolve('worker.localhost')).toMatchObject({ kind: 'unavailable', reason: 'no-service' });
    expect(t.resolve('jobs.worker.localhost')).toMatchObject({ kind: 'unavailable', reason: 'no-replicas' });
  });

  it('switches every host of an app in one step and can remove it', () => {
    const t = table();
    const before = t.resolve('api.shop.localhost');
    t.setApp({ app: 'shop', state: 'live', primary: 'api', services: [{ service: 'api', upstreams: [up(4001)] }] });
    expect(t.resolve('shop.localhost')).toMatchObject({ kind: 'upstreams', service: 'api' });
    expect(t.resolve('web.shop.localhost')).toEqual({ kind: 'unknown' });
    const after = t.resolve('api.shop.localhost');
    if (after.kind === 'upstreams') expect(after.upstreams[0].port).toBe(4001);
    if (before.kind === 'upstreams') expect(before.upstreams[0].port).toBe(2001); // old resolution untouched
    t.removeApp('SHOP');
    expect(t.resolve('shop.localhost')).toEqual({ kind: 'unknown' });
    expect(t.apps().map((a) => a.app)).toEqual(['api']);
  });

  it('copies its input and rejects a primary without route', () => {
    const t = new RouteTable('Apps.Example.com.');
    const services = [{ service: 'Web', upstreams: [up(1)] }];
    t.setApp({ app: 'Blog', state: 'live', primary: 'web', services });
    services[0].upstreams.push(up(2));
    const r = t.resolve('blog.apps.example.com');
    expect(r.kind === 'upstreams' && r.upstreams.length).toBe(1);
    expect(() => t.setApp({ app: 'x', state: 'live', primary: 'web', services: [] })).toThrow(/primary/);
  });
});
