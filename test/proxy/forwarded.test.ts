// Forwarding headers through the real proxy on loopback: a client's spoofed X-Forwarded-*, X-Real-IP and
// Forwarded never reach the app unless the connection comes from a trusted front proxy
// (KYOZO_TRUSTED_PROXIES); X-Forwarded-Port is the public port, not a guess from Host.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { RouteTable } from '../../server/proxy/routeTable.ts';
import { parseTrustedProxies, trustMatcher } from '../../server/proxy/trust.ts';
import { request, startProxy, startUpstream } from './helpers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(opts: { trustedProxies?: string[]; publicPort?: number }) {
  const u = await startUpstream('web');
  cleanup.push(u.close);
  const routes = new RouteTable('localhost');
  routes.setApp({
    app: 'shop',
    state: 'live',
    primary: 'web',
    services: [{ service: 'web', upstreams: [u.upstream] }],
  });
  const p = await startProxy({ routes, log: () => {}, ...opts });
  cleanup.push(p.close);
  const seen = async (headers: Record<string, string>) =>
    JSON.parse((await request(p.port, 'shop.localhost', { headers })).body).headers as Record<string, string>;
  return { port: p.port, seen };
}

const spoofed = {
  'x-forwarded-for': '6.6.6.6',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'bank.example',
  'x-forwarded-port': '443',
  'x-forwarded-server': 'evil',
  'x-real-ip': '6.6.6.6',
  forwarded: 'for=6.6.6.6;proto=https',
};

describe('proxy forwarding headers', () => {
  it('drops what a client sent and says what the proxy saw, with the public port', async () => {
    const { seen } = await setup({ publicPort: 80 });
    const h = await seen(spoofed);
    expect(h).toMatchObject({
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.localhost',
      'x-forwarded-port': '80',
      'x-real-ip': '127.0.0.1',
      forwarded: 'for=127.0.0.1;host="shop.localhost";proto=http',
    });
    expect(h['x-forwarded-server']).toBeUndefined();
  });

  it('without a public port, X-Forwarded-Port is the port the client connected to', async () => {
    const { port, seen } = await setup({});
    expect((await seen({}))['x-forwarded-port']).toBe(String(port));
  });

  it('a peer outside KYOZO_TRUSTED_PROXIES is not trusted', async () => {
    const { seen } = await setup({ trustedProxies: ['10.0.0.0/8'], publicPort: 80 });
    expect(await seen(spoofed)).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' });
  });

  it('a trusted front proxy keeps its values; this hop is appended', async () => {
    const { seen } = await setup({ trustedProxies: ['127.0.0.1'], publicPort: 8080 });
    const h = await seen({ ...spoofed, 'x-forwarded-for': '6.6.6.6, 203.0.113.7' });
    expect(h).toMatchObject({
      'x-forwarded-for': '6.6.6.6, 203.0.113.7, 127.0.0.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'bank.example',
      'x-forwarded-port': '443',
      'x-real-ip': '203.0.113.7',
      forwarded: 'for=6.6.6.6;proto=https, for=127.0.0.1;host="shop.localhost";proto=http',
    });
    const bare = await seen({});
    expect(bare).toMatchObject({
      'x-forwarded-for': '127.0.0.1',
      'x-real-ip': '127.0.0.1',
      'x-forwarded-port': '8080',
    });
  });
});

describe('KYOZO_TRUSTED_PROXIES', () => {
  it('parses IPs and CIDRs, v4 and v6, and matches IPv4-mapped peers', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(' 10.0.0.0/8, 192.168.1.5 ,fd00::/8,')).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
      'fd00::/8',
    ]);
    const m = trustMatcher(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);
    expect(['10.2.3.4', '::ffff:10.9.9.9', '192.168.1.5', 'fd00::1'].map(m)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.168.1.6', '::1', '', 'junk'].map(m)).toEqual([false, false, false, false, false]);
    expect(trustMatcher([])('127.0.0.1')).toBe(false);
  });

  it('rejects what is not an IP or CIDR, naming the entry, through the config', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/1', '::1/129', '10.0.0.0/x'])
      expect(() => parseConfig({ KYOZO_TRUSTED_PROXIES: bad }), bad).toThrow(`"${bad}"`);
    expect(parseConfig({ KYOZO_TRUSTED_PROXIES: '172.16.0.0/12' }).trustedProxies).toEqual(['172.16.0.0/12']);
    expect(parseConfig({}).trustedProxies).toEqual([]);
  });
});
