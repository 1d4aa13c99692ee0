import { describe, expect, it } from 'vitest';
import { buildLabels, containerName, imageTag, labelFilters, slug } from '../../server/runtime/names.ts';
import { containerSpec, type ContainerSpecInput } from '../../server/runtime/spec.ts';

const base: ContainerSpecInput = {
  uid: '0a1b2c3d4e5f',
  app: 'shop',
  release: 7,
  service: 'web',
  replica: 2,
  image: 'sha256:1234',
  env: { ZED: 'last', DATABASE_URL: 'postgres://x', PORT: 'ignored' },
  port: 21234,
  network: { mode: 'host' },
  limits: { memoryMb: 256, cpus: 0.5 },
  suffix: 'a1b2',
};

describe('containerSpec', () => {
  it('builds the exact host-mode spec', () => {
    expect(containerSpec(base)).toEqual({
      name: 'kyozo-0a1b2c3d4e5f-web-v7-2-a1b2',
      Image: 'sha256:1234',
      Env: ['PORT=21234', 'DATABASE_URL=postgres://x', 'ZED=last'],
      Labels: {
        'kyozo.app': '0a1b2c3d4e5f',
        'kyozo.app.name': 'shop',
        'kyozo.service': 'web',
        'kyozo.release': '7',
        'kyozo.replica': '2',
        'kyozo.port': '21234',
      },
      HostConfig: {
        Memory: 268435456,
        MemorySwap: 268435456,
        NanoCpus: 500000000,
        PidsLimit: 256,
        SecurityOpt: ['no-new-privileges'],
        CapDrop: ['ALL'],
        Init: true,
        RestartPolicy: { Name: 'no' },
        NetworkMode: 'host',
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      },
    });
  });

  it('builds the bridge-mode extras, cmd, pids and extra labels', () => {
    const spec = containerSpec({
      ...base,
      port: 5000,
      network: { mode: 'bridge', name: 'kyozo' },
      limits: { memoryMb: 64, cpus: 2, pids: 64 },
      cmd: ['node', 'server.js'],
      labels: { 'kyozo.test': 'run1', 'kyozo.app': 'overridden?' },
    });
    expect(spec.Cmd).toEqual(['node', 'server.js']);
    expect(spec.ExposedPorts).toEqual({ '5000/tcp': {} });
    expect(spec.NetworkingConfig).toEqual({ EndpointsConfig: { kyozo: { Aliases: ['web', 'web.shop'] } } });
    expect(spec.HostConfig?.NetworkMode).toBe('kyozo');
    expect(spec.HostConfig?.PidsLimit).toBe(64);
    expect(spec.HostConfig?.NanoCpus).toBe(2e9);
    expect(spec.Labels).toEqual({
      'kyozo.test': 'run1',
      'kyozo.app': '0a1b2c3d4e5f',
      'kyozo.app.name': 'shop',
      'kyozo.service': 'web',
      'kyozo.release': '7',
      'kyozo.replica': '2',
      'kyozo.port': '5000',
    });
  });

  it('drops every capability, adds back only the ones asked for, and mounts named volumes (backing services)', () => {
    const spec = containerSpec({
      ...base,
      capabilities: ['CHOWN', 'SETUID'],
      volumes: [{ name: 'kyozo-shop-db-data', path: '/data' }],
    });
    expect(spec.HostConfig).toEqual({
      Memory: 268435456,
      MemorySwap: 268435456,
      NanoCpus: 500000000,
      PidsLimit: 256,
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      CapAdd: ['CHOWN', 'SETUID'],
      Init: true,
      RestartPolicy: { Name: 'no' },
      NetworkMode: 'host',
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      Mounts: [{ Type: 'volume', Source: 'kyozo-shop-db-data', Target: '/data' }],
    });
  });

  it('is deterministic regardless of env key order', () => {
    const a = containerSpec({ ...base, env: { B: '2', A: '1' } });
    const b = containerSpec({ ...base, env: { A: '1', B: '2' } });
    expect(a).toEqual(b);
    expect(a.Env).toEqual(['PORT=21234', 'A=1', 'B=2']);
  });
});

describe('names, tags and labels', () => {
  it('slugs unsafe names', () => {
    expect(slug('My App_2!')).toBe('my-app-2');
    expect(slug('--')).toBe('x');
    expect(containerName({ uid: '0a1b2c3d4e5f', service: 'API', release: 1, replica: 0, suffix: 'Z9' })).toBe(
      'kyozo-0a1b2c3d4e5f-api-v1-0-z9',
    );
  });

  it('tags images by release or hash', () => {
    expect(imageTag({ uid: 'u1', service: 'web', release: 3 })).toBe('kyozo/u1/web:v3');
    expect(imageTag({ uid: 'u1', service: 'Web', release: 'abc123/def' })).toBe('kyozo/u1/web:abc123-def');
  });

  it('labels builds and renders label filters sorted', () => {
    const app = { uid: 'u1', name: 'shop', instance: 'i1' };
    expect(buildLabels({ ...app, service: 'web', release: 4, commit: 'abc' })).toEqual({
      'kyozo.app': 'u1',
      'kyozo.app.name': 'shop',
      'kyozo.service': 'web',
      'kyozo.instance': 'i1',
      'kyozo.release': '4',
      'kyozo.commit': 'abc',
    });
    expect(labelFilters({ b: '2', a: '1' })).toEqual(['a=1', 'b=2']);
    expect(labelFilters({ 'kyozo.app': '', x: 'y' })).toEqual(['kyozo.app', 'x=y']);
  });
});
