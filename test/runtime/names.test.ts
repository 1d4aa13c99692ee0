import { describe, expect, it } from 'vitest';
import * as names from '../../server/runtime/names.ts';

const uid = '0a1b2c3d4e5f';
const replica = { uid, service: 'web', release: 7, replica: 2 };

describe('Docker object names', () => {
  it('names containers, images, networks, aliases and volumes from the app uid', () => {
    expect(names.containerName({ ...replica, suffix: 'a1b2c3' })).toBe('kyozo-0a1b2c3d4e5f-web-v7-2-a1b2c3');
    expect(names.containerName({ uid, service: 'API', release: 1, replica: 0, suffix: 'Z9' })).toBe(
      'kyozo-0a1b2c3d4e5f-api-v1-0-z9',
    );
    expect(names.imageTag({ uid, service: 'web', release: 7 })).toBe('kyozo/0a1b2c3d4e5f/web:v7');
    expect(names.imageTag({ uid, service: 'web', release: 'sha256:ab/c' })).toBe('kyozo/0a1b2c3d4e5f/web:sha256-ab-c');
    expect(names.networkName({ uid })).toBe('kyozo-0a1b2c3d4e5f');
    // Aliases live on the app's own network only: the service and <service>.<app name>.
    expect(names.networkAliases({ name: 'Shop', service: 'API' })).toEqual(['api', 'api.shop']);
    expect(names.volumeName({ uid, service: 'db', path: '/var/lib/postgresql/data' })).toBe(
      'kyozo_0a1b2c3d4e5f_db_var.lib.postgresql.data',
    );
    expect(names.volumeName({ uid, service: 'db', path: '/' })).toBe('kyozo_0a1b2c3d4e5f_db_.');
    expect(names.volumeName({ uid, service: 'db', path: '//data/' })).toBe('kyozo_0a1b2c3d4e5f_db_data');
    expect(names.volumeName({ uid, service: 'db', path: '/my_data.d' })).toBe('kyozo_0a1b2c3d4e5f_db_my_5fdata_2ed');
    const long = names.volumeName({ uid, service: 'db', path: '/' + 'x'.repeat(300) });
    expect(long).toHaveLength(189);
    expect(long).not.toBe(names.volumeName({ uid, service: 'db', path: '/' + 'x'.repeat(301) }));
    expect(long).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/); // Docker's volume name rule
  });

  it('never gives two apps, or two services or paths of one app, the same name', () => {
    // The case names joined with '-' could not tell apart: app kk + service x-web, app kk-x + service web.
    const a = { uid: 'aaaaaaaaaaaa', service: 'x-web' };
    const b = { uid: 'bbbbbbbbbbbb', service: 'web' };
    expect(names.imageTag({ ...a, release: 1 })).not.toBe(names.imageTag({ ...b, release: 1 }));
    expect(names.volumeName({ ...a, path: '/data' })).not.toBe(names.volumeName({ ...b, path: '/data' }));
    expect(names.networkName(a)).not.toBe(names.networkName(b));
    // Within one app: paths that a '-' join would merge stay apart.
    const paths = ['/a-b', '/a/b', '/a.b', '/a_b', '/a b', '/A/b'];
    const vols = paths.map((path) => names.volumeName({ uid, service: 'db', path }));
    expect(new Set(vols).size).toBe(paths.length);
    // A service name (a DNS label) holds no '_': the first three '_' split a volume name.
    expect(names.volumeName({ uid, service: 'db-x', path: '/y' })).not.toBe(
      names.volumeName({ uid, service: 'db', path: '/x/y' }),
    );
  });

  it('keeps the names objects had before names came from the uid', () => {
    expect(names.legacyVolumeName({ name: 'shop', service: 'db', path: '/var/lib/postgresql/data' })).toBe(
      'kyozo-shop-db-var-lib-postgresql-data',
    );
    expect(names.legacyVolumeName({ name: 'shop', service: 'db', path: '/' })).toBe('kyozo-shop-db-data');
    expect(names.legacyNetworkName({ name: 'shop' })).toBe('kyozo-shop');
  });

  it('labels replicas, builds, volumes, the installation and networks with the uid and the name', () => {
    const app = { uid, name: 'shop' };
    expect(names.containerLabels({ ...app, service: 'web', release: 7, replica: 2, port: 5000 })).toEqual({
      'kyozo.app': uid,
      'kyozo.app.name': 'shop',
      'kyozo.service': 'web',
      'kyozo.release': '7',
      'kyozo.replica': '2',
      'kyozo.port': '5000',
    });
    expect(names.buildLabels({ ...app, instance: 'i1', service: 'web' })).toEqual({
      'kyozo.app': uid,
      'kyozo.app.name': 'shop',
      'kyozo.service': 'web',
      'kyozo.instance': 'i1',
    });
    expect(names.volumeLabels({ ...app, instance: 'i1', service: 'db', path: '/data/' })).toEqual({
      'kyozo.app': uid,
      'kyozo.app.name': 'shop',
      'kyozo.service': 'db',
      'kyozo.path': '/data',
      'kyozo.instance': 'i1',
    });
    expect(names.instanceLabels({ instance: 'abc' })).toEqual({ 'kyozo.instance': 'abc' });
    expect(names.networkLabels({ instance: 'i1' })).toEqual({ 'kyozo.managed': 'true', 'kyozo.instance': 'i1' });
    expect(names.appNetworkLabels({ ...app, instance: 'i1' })).toEqual({
      'kyozo.managed': 'true',
      'kyozo.instance': 'i1',
      'kyozo.app': uid,
      'kyozo.app.name': 'shop',
    });
  });

  it('finds them again with label filters on the uid, never the name', () => {
    expect(names.managedContainers({ instance: 'abc' })).toEqual({ 'kyozo.app': '', 'kyozo.instance': 'abc' });
    expect(names.instanceContainers({ instance: 'abc' })).toEqual({ 'kyozo.instance': 'abc' });
    expect(names.anyAppContainers()).toEqual({ 'kyozo.app': '' });
    for (const f of [names.appContainers, names.appImages, names.appVolumes, names.appNetworks])
      expect(f({ uid, instance: 'abc' })).toEqual({ 'kyozo.app': uid, 'kyozo.instance': 'abc' });
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
