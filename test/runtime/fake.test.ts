import { describe, expect, it } from 'vitest';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';
import { containerSpec } from '../../server/runtime/spec.ts';

const spec = (image: string) =>
  containerSpec({
    uid: 'a',
    app: 'a',
    release: 1,
    service: 'web',
    replica: 0,
    image,
    env: {},
    port: 20001,
    network: { mode: 'host' },
    limits: { memoryMb: 64, cpus: 1 },
    suffix: 's1',
  });

describe('createFakeDockerPort', () => {
  it('models build → run → list → exit → remove', async () => {
    const d = createFakeDockerPort();
    const lines: string[] = [];
    const { imageId } = await d.build({
      contextDir: '/x',
      dockerfile: 'Dockerfile',
      tag: 'kyozo/a-web:v1',
      labels: { 'kyozo.app': 'a' },
      onLine: (l) => lines.push(l),
    });
    expect(lines).toEqual(['Step 1/1 : FROM fake']);
    expect(await d.imageExists('kyozo/a-web:v1')).toBe(true);
    const id = await d.run(spec('kyozo/a-web:v1'));
    expect(await d.inspect(id)).toMatchObject({
      running: true,
      name: 'kyozo-a-web-v1-0-s1',
      labels: { 'kyozo.port': '20001' },
    });
    expect((await d.list({ 'kyozo.app': 'a' })).map((c) => c.id)).toEqual([id]);
    expect((await d.list({ 'kyozo.app': '' })).map((c) => c.id)).toEqual([id]);
    expect(await d.list({ 'kyozo.app': 'b' })).toEqual([]);
    expect(await d.removeImage(imageId)).toBe(false);
    d.exit(id, 1, 'Error: boom');
    expect(await d.inspect(id)).toMatchObject({ running: false, exitCode: 1 });
    expect(await d.logs(id)).toBe('Error: boom\n');
    await d.stopAndRemove(id);
    expect(await d.inspect(id)).toBeNull();
    expect(await d.removeImage('kyozo/a-web:v1')).toBe(true);
    await expect(d.run(spec('kyozo/a-web:v1'))).rejects.toThrow(/No such image/);
  });

  it('injects faults: errors for N calls, build failures, hangs', async () => {
    const d = createFakeDockerPort();
    d.fail('ping', new Error('down'), 2);
    expect([await d.ping(), await d.ping(), await d.ping()]).toEqual([false, false, true]);
    d.onBuild = () => ({
      lines: ['Step 2/2 : RUN exit 3'],
      error: "The command '/bin/sh -c exit 3' returned a non-zero code: 3",
    });
    await expect(
      d.build({ contextDir: '/x', dockerfile: 'Dockerfile', tag: 't', labels: {}, onLine: () => {} }),
    ).rejects.toThrow(/non-zero code: 3/);
    d.fail('inspect', 'hang');
    const r = await Promise.race([
      d.inspect('x').then(() => 'settled'),
      new Promise((res) => setTimeout(() => res('hung'), 50)),
    ]);
    expect(r).toBe('hung');
    expect(d.calls.map((c) => c.method)).toEqual(['ping', 'ping', 'ping', 'build', 'inspect']);
  });
});
