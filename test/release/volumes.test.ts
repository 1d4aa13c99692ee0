import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../server/release/spec.ts';
import { assignVolumes, recordedVolume } from '../../server/release/volumes.ts';

const app = { uid: '0a1b2c3d4e5f', name: 'shop' };
const PG = '/var/lib/postgresql/data';
const spec = (over: Partial<ServiceSpec>): ServiceSpec => ({
  name: 'db',
  type: 'database',
  runtime: 'postgres',
  image: 'postgres:16',
  imageId: null,
  port: 5432,
  healthPath: null,
  replicas: 1,
  memoryMb: 256,
  cpus: 0.5,
  routed: false,
  primary: false,
  sourceHash: null,
  env: {},
  volumes: [PG],
  volumeNames: null,
  cmd: null,
  startOrder: 0,
  ...over,
});
const names = (specs: ServiceSpec[]) => Object.fromEntries(specs.map((s) => [s.name, s.volumeNames]));

describe('volumes of backing services across releases', () => {
  it('a new service gets a uid-based volume per path; other services none', () => {
    const next = [
      spec({}),
      spec({ name: 'cache', type: 'cache', volumes: ['/data', '/logs'] }),
      spec({ name: 'web', type: 'web', volumes: ['/tmp'] }),
    ];
    expect(names(assignVolumes(app, next, [], false))).toEqual({
      db: { [PG]: 'kyozo_0a1b2c3d4e5f_db_var.lib.postgresql.data' },
      cache: { '/data': 'kyozo_0a1b2c3d4e5f_cache_data', '/logs': 'kyozo_0a1b2c3d4e5f_cache_logs' },
      web: null,
    });
  });

  it('a service deployed before volumes were named from the uid keeps its old volume (nothing lost on upgrade)', () => {
    const before = [spec({ volumeNames: null })]; // recorded by an older Kyozo
    const next = assignVolumes(app, [spec({ env: { CHANGED: '1' } })], before, false);
    expect(names(next)).toEqual({ db: { [PG]: 'kyozo-shop-db-var-lib-postgresql-data' } });
    // ...and the release after that inherits it from the record.
    expect(names(assignVolumes(app, [spec({})], next, false))).toEqual(names(next));
  });

  it('a path the previous release did not have gets a new name; the others keep theirs', () => {
    const before = [spec({ volumeNames: { [PG]: 'kept-volume' } })];
    const next = assignVolumes(app, [spec({ volumes: [PG, '/backups'] })], before, false);
    expect(names(next)).toEqual({ db: { [PG]: 'kept-volume', '/backups': 'kyozo_0a1b2c3d4e5f_db_backups' } });
  });

  it('a copied release (rollback, config) uses its own record when the live release lacks the service', () => {
    const base = spec({ volumeNames: null }); // rolling back to a release from before volume names
    expect(names(assignVolumes(app, [base], [], true))).toEqual({
      db: { [PG]: 'kyozo-shop-db-var-lib-postgresql-data' },
    });
    expect(names(assignVolumes(app, [base], [], false))).toEqual({
      db: { [PG]: 'kyozo_0a1b2c3d4e5f_db_var.lib.postgresql.data' },
    });
    // The live release's volume wins over the copied record: data continuity first.
    const live = [spec({ volumeNames: { [PG]: 'live-volume' } })];
    expect(names(assignVolumes(app, [spec({ volumeNames: { [PG]: 'old-volume' } })], live, true))).toEqual({
      db: { [PG]: 'live-volume' },
    });
  });

  it('a service that was not a backing service before has no volume to inherit', () => {
    const before = [spec({ type: 'web', volumes: [PG] })];
    expect(names(assignVolumes(app, [spec({})], before, false))).toEqual({
      db: { [PG]: 'kyozo_0a1b2c3d4e5f_db_var.lib.postgresql.data' },
    });
    expect(recordedVolume(app, spec({ type: 'web' }), PG)).toBeNull();
    expect(recordedVolume(app, spec({}), '/elsewhere')).toBeNull();
  });
});
