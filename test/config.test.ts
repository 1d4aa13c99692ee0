import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../server/config.ts';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const c = parseConfig({}, '/srv');
    expect(c).toMatchObject({
      port: 3000,
      proxyPort: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/.kyozo',
      databaseUrl: null,
      domain: 'localhost',
      adminToken: null,
      network: 'bridge',
    });
    expect(c.images.node).toBe('node:20-slim');
  });
  it('reads every variable', () => {
    const c = parseConfig({
      KYOZO_PORT: '4000',
      KYOZO_PROXY_PORT: '80',
      KYOZO_HOST: '127.0.0.1',
      KYOZO_DATA_DIR: '/d',
      DATABASE_URL: 'postgres://x',
      KYOZO_DOMAIN: 'Apps.Example.COM.',
      KYOZO_ADMIN_TOKEN: 't',
      KYOZO_NETWORK: 'host',
      KYOZO_IMAGE_NODE: 'kyozo/node-standin:20',
    });
    expect(c).toMatchObject({
      port: 4000,
      proxyPort: 80,
      host: '127.0.0.1',
      dataDir: '/d',
      databaseUrl: 'postgres://x',
      domain: 'apps.example.com',
      adminToken: 't',
      network: 'host',
    });
    expect(c.images.node).toBe('kyozo/node-standin:20');
    expect(c.images.nodeBuild).toBe('kyozo/node-standin:20');
  });
  it('refuses bad values with the variable name', () => {
    expect(() => parseConfig({ KYOZO_PORT: 'abc' })).toThrow(ConfigError);
    expect(() => parseConfig({ KYOZO_PORT: '70000' })).toThrow(/KYOZO_PORT/);
    expect(() => parseConfig({ KYOZO_NETWORK: 'overlay' })).toThrow(/KYOZO_NETWORK/);
  });
});
