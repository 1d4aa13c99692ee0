import { describe, expect, it } from 'vitest';
import { planRollout, type LiveReplica, type RolloutState } from '../../server/release/rollout.ts';

const web = { name: 'web', type: 'web', image: 'kyozo/shop-web:v2', imageId: 'sha256:w2', replicas: 2 };
const worker = { name: 'jobs', type: 'worker', image: 'kyozo/shop-jobs:v2', imageId: 'sha256:j2', replicas: 1 };
const db = { name: 'db', type: 'database', image: 'postgres:16', imageId: null, replicas: 1 };
const replica = (service: string, index: number, state = 'running'): LiveReplica => ({
  service,
  index,
  containerId: `${service}${index}`,
  host: '127.0.0.1',
  port: 20000 + index,
  state,
});
const kept = (service: string, index: number) => {
  const { containerId, host, port } = replica(service, index);
  return { index, containerId, host, port };
};
/** Live release v1 runs web#1, web#2 and db#1; the new release changes nothing unless a test says so. */
const state = (over: Partial<RolloutState> = {}): RolloutState => ({
  layers: [['db'], ['web']],
  services: [db, web],
  fingerprints: { next: { db: 'D', web: 'W' }, live: { db: 'D', web: 'W' } },
  replicas: [replica('db', 1), replica('web', 1), replica('web', 2)],
  live: 1,
  ...over,
});

describe('planRollout', () => {
  it('first deploy: start every service layer by layer, health-check each layer, switch once', () => {
    expect(
      planRollout(state({ fingerprints: { next: { db: 'D', web: 'W' }, live: {} }, replicas: [], live: null })),
    ).toEqual([
      { kind: 'ensureImage', service: 'db', image: 'postgres:16' },
      { kind: 'start', service: 'db', indexes: [1] },
      { kind: 'healthCheck', services: ['db'] },
      { kind: 'start', service: 'web', indexes: [1, 2] },
      { kind: 'healthCheck', services: ['web'] },
      { kind: 'switchRoutes' },
    ]);
  });

  it('nothing changed: keep every running replica, switch, drain and stop nothing else', () => {
    expect(planRollout(state())).toEqual([
      { kind: 'keep', service: 'db', replicas: [kept('db', 1)] },
      { kind: 'keep', service: 'web', replicas: [kept('web', 1), kept('web', 2)] },
      { kind: 'switchRoutes' },
      { kind: 'drain', release: 1, keep: ['db1', 'web1', 'web2'] },
      { kind: 'stopOld', release: 1 },
    ]);
  });

  it('a changed backing service is stopped (not removed) before its new container starts; dependents are replaced', () => {
    expect(
      planRollout(state({ fingerprints: { next: { db: 'D2', web: 'W2' }, live: { db: 'D', web: 'W' } } })),
    ).toEqual([
      { kind: 'ensureImage', service: 'db', image: 'postgres:16' },
      { kind: 'stop', service: 'db', containerIds: ['db1'] },
      { kind: 'start', service: 'db', indexes: [1] },
      { kind: 'healthCheck', services: ['db'] },
      { kind: 'start', service: 'web', indexes: [1, 2] },
      { kind: 'healthCheck', services: ['web'] },
      { kind: 'switchRoutes' },
      { kind: 'drain', release: 1, keep: [] },
      { kind: 'stopOld', release: 1 },
    ]);
  });

  it('scaling up keeps the running replicas and starts the missing indexes; scaling down keeps the first ones', () => {
    const up = state({ services: [db, { ...web, replicas: 4 }], replicas: [replica('db', 1), replica('web', 2)] });
    expect(planRollout(up)).toEqual([
      { kind: 'keep', service: 'db', replicas: [kept('db', 1)] },
      { kind: 'keep', service: 'web', replicas: [kept('web', 2)] },
      { kind: 'start', service: 'web', indexes: [1, 3, 4] },
      { kind: 'healthCheck', services: ['web'] },
      { kind: 'switchRoutes' },
      { kind: 'drain', release: 1, keep: ['db1', 'web2'] },
      { kind: 'stopOld', release: 1 },
    ]);
    expect(planRollout(state({ services: [db, { ...web, replicas: 1 }] }))).toEqual([
      { kind: 'keep', service: 'db', replicas: [kept('db', 1)] },
      { kind: 'keep', service: 'web', replicas: [kept('web', 1)] },
      { kind: 'switchRoutes' },
      { kind: 'drain', release: 1, keep: ['db1', 'web1'] },
      { kind: 'stopOld', release: 1 },
    ]);
  });

  it('a restart replaces the named services even when unchanged; crashed replicas are never kept', () => {
    const s = state({
      layers: [['db'], ['jobs', 'web']],
      services: [db, worker, web],
      fingerprints: { next: { db: 'D', web: 'W', jobs: 'J' }, live: { db: 'D', web: 'W', jobs: 'J' } },
      replicas: [replica('db', 1), replica('web', 1), replica('web', 2), replica('jobs', 1, 'crashed')],
      restart: ['web'],
    });
    expect(planRollout(s)).toEqual([
      { kind: 'keep', service: 'db', replicas: [kept('db', 1)] },
      { kind: 'start', service: 'jobs', indexes: [1] },
      { kind: 'start', service: 'web', indexes: [1, 2] },
      { kind: 'healthCheck', services: ['jobs', 'web'] },
      { kind: 'switchRoutes' },
      { kind: 'drain', release: 1, keep: ['db1'] },
      { kind: 'stopOld', release: 1 },
    ]);
    expect(planRollout({ ...s, restart: 'all' }).filter((x) => x.kind === 'keep')).toEqual([]);
  });

  it('a service scaled to 0 starts nothing and its replicas drain; a new service only starts', () => {
    const s = state({
      layers: [['db', 'jobs'], ['web']],
      services: [{ ...db, replicas: 0 }, worker, { ...web, replicas: 0 }],
      fingerprints: { next: { db: 'D', web: 'W', jobs: 'J' }, live: { db: 'D', web: 'W' } },
    });
    expect(planRollout(s)).toEqual([
      { kind: 'start', service: 'jobs', indexes: [1] },
      { kind: 'healthCheck', services: ['jobs'] },
      { kind: 'switchRoutes' },
      { kind: 'drain', release: 1, keep: [] },
      { kind: 'stopOld', release: 1 },
    ]);
  });

  it('checks the image policy of a compose image: service that is not a backing service (an image Kyozo did not build)', () => {
    const stolen = { name: 'stolen', type: 'worker', image: 'kyozo/abc/web:v1', imageId: null, replicas: 1 };
    const plan = planRollout(
      state({
        layers: [['stolen']],
        services: [stolen],
        replicas: [],
        live: null,
        fingerprints: { next: { stolen: 'S' }, live: {} },
      }),
    );
    expect(plan[0]).toEqual({ kind: 'ensureImage', service: 'stolen', image: 'kyozo/abc/web:v1' });
  });
});
