import { describe, expect, it } from 'vitest';
import { appRoutesFor, choosePrimary } from '../../server/runtime/routing.ts';

const replica = (service: string, port: number, state = 'running') => ({
  service,
  containerId: `c${port}`,
  host: '127.0.0.1',
  port,
  state,
});

describe('appRoutesFor', () => {
  it('routes running replicas of routed services, primary first', () => {
    const r = appRoutesFor({
      app: 'shop',
      state: 'running',
      live: {
        services: [
          { name: 'web', routed: true, primary: true },
          { name: 'api', routed: true, primary: false },
          { name: 'jobs', routed: false, primary: false },
        ],
        replicas: [
          replica('web', 1),
          replica('web', 2),
          replica('api', 3),
          replica('api', 4, 'failed'),
          replica('jobs', 5),
        ],
      },
    });
    expect(r).toEqual({
      app: 'shop',
      state: 'live',
      primary: 'web',
      services: [
        {
          service: 'web',
          upstreams: [
            { host: '127.0.0.1', port: 1, id: 'c1' },
            { host: '127.0.0.1', port: 2, id: 'c2' },
          ],
        },
        { service: 'api', upstreams: [{ host: '127.0.0.1', port: 3, id: 'c3' }] },
      ],
    });
  });
  it('says stopped or none', () => {
    const stopped = appRoutesFor({
      app: 'a',
      state: 'stopped',
      live: { services: [{ name: 'web', routed: true, primary: true }], replicas: [replica('web', 1)] },
    });
    expect(stopped).toEqual({
      app: 'a',
      state: 'stopped',
      primary: 'web',
      services: [{ service: 'web', upstreams: [] }],
    });
    expect(appRoutesFor({ app: 'a', state: 'running', live: null }).state).toBe('none');
  });
});

describe('choosePrimary', () => {
  const svc = (name: string, path: string | null, type = 'web') => ({ name, path, type });
  it('prefers the override, then web, then the root service, then the first web one', () => {
    expect(choosePrimary([svc('api', 'api'), svc('web', 'web')], 'api')).toBe('api');
    expect(choosePrimary([svc('api', 'api'), svc('web', 'web')])).toBe('web');
    expect(choosePrimary([svc('api', 'api'), svc('site', '.')])).toBe('site');
    expect(choosePrimary([svc('jobs', 'jobs', 'worker'), svc('front', 'front', 'static')])).toBe('front');
    expect(choosePrimary([svc('jobs', '.', 'worker')])).toBeNull();
  });
});
