import { describe, expect, it } from 'vitest';
import * as names from '../../server/runtime/names.ts';

const replica = { app: 'shop', service: 'web', release: 7, replica: 2 };

describe('Docker object names', () => {
  it('names containers, images, networks, aliases and volumes in the current formats', () => {
    expect(names.containerName({ ...replica, suffix: 'a1b2c3' })).toBe('kyozo-shop-web-v7-2-a1b2c3');
    expect(names.containerName({ app: 'My App', service: 'API', release: 1, replica: 0, suffix: 'Z9' })).toBe(
      'kyozo-my-app-api-v1-0-z9',
    );
    expect(names.imageTag({ app: 'shop', service: 'web', release: 7 })).toBe('kyozo/shop-web:v7');
    expect(names.imageTag({ app: 'shop', service: 'web', release: 'sha256:ab/c' })).toBe('kyozo/shop-web:sha256-ab-c');
    expect(names.networkName({ app: 'shop' })).toBe('kyozo-shop');
    expect(names.networkAliases({ app: 'Shop', service: 'API' })).toEqual(['api', 'api.shop']);
    expect(names.volumeName({ app: 'shop', service: 'db', path: '/var/lib/postgresql/data' })).toBe(
      'kyozo-shop-db-var-lib-postgresql-data',
    );
    expect(names.volumeName({ app: 'shop', service: 'db', path: '/' })).toBe('kyozo-shop-db-data');
    expect(names.volumeName({ app: 'a'.repeat(150), service: 'db', path: '/' + 'x'.repeat(100) })).toHaveLength(200);
  });

  it('labels replicas, builds, the installation and networks', () => {
    expect(names.containerLabels({ ...replica, port: 5000 })).toEqual({
      'kyozo.app': 'shop',
      'kyozo.service': 'web',
      'kyozo.release': '7',
      'kyozo.replica': '2',
      'kyozo.port': '5000',
    });
    expect(names.buildLabels({ app: 'shop', service: 'web' })).toEqual({ 'kyozo.app': 'shop', 'kyozo.service': 'web' });
    expect(names.instanceLabels({ instance: 'abc' })).toEqual({ 'kyozo.instance': 'abc' });
    expect(names.networkLabels({ instance: 'i1' })).toEqual({ 'kyozo.managed': 'true', 'kyozo.instance': 'i1' });
  });

  it('finds them again with label filters', () => {
    expect(names.managedContainers({ instance: 'abc' })).toEqual({ 'kyozo.app': '', 'kyozo.instance': 'abc' });
    expect(names.instanceContainers({ instance: 'abc' })).toEqual({ 'kyozo.instance': 'abc' });
    expect(names.anyAppContainers()).toEqual({ 'kyozo.app': '' });
    expect(names.appContainers({ app: 'shop', instance: 'abc' })).toEqual({
      'kyozo.app': 'shop',
      'kyozo.instance': 'abc',
    });
    expect(names.appImages({ app: 'shop' })).toEqual({ 'kyozo.app': 'shop' });
    expect(names.labelFilters(names.managedContainers({ instance: 'abc' }))).toEqual([
      'kyozo.app',
      'kyozo.instance=abc',
    ]);
    expect(names.labelFilters(names.managedNetworks({ instance: 'i1' }))).toEqual([
      'kyozo.instance=i1',
      'kyozo.managed=true',
    ]);
  });
});
