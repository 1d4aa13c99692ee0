import { describe, expect, it } from 'vitest';
import { backingCapabilities } from '../../server/release/backing.ts';

describe('backing service capabilities', () => {
  it('adds back only what entrypoints use to chown their data and switch users; never network or system ones', () => {
    for (const kind of ['postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'valkey', 'rabbitmq', 'unknown'])
      expect(backingCapabilities(kind)).toEqual(['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID']);
    expect(backingCapabilities('memcached')).toEqual(['SETGID', 'SETUID']);
    expect(backingCapabilities('nats')).toEqual([]);
  });
});
