// Backing-service images: present → nothing; missing → pulled (when allowed); a registry refusal fails
// with the image named; Docker unreachable is not a refusal (the deploy waits instead).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { ensureImage } from '../../server/jobs/rollout.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';

const img = { id: 'sha256:1', tags: ['redis:7'], labels: {}, created: 0, size: 1 };

describe('ensureImage', () => {
  it('does nothing for a local image and pulls a missing one', async () => {
    const docker = createFakeDockerPort();
    docker.images.set(img.id, img);
    const lines: string[] = [];
    await ensureImage({ docker, config: parseConfig({}) }, 'cache', 'redis:7', (l) => lines.push(l));
    expect(docker.calls.some((c) => c.method === 'pull')).toBe(false);
    await expect(
      ensureImage({ docker, config: parseConfig({}) }, 'db', 'postgres:16', (l) => lines.push(l)),
    ).rejects.toThrow(
      /service db: image postgres:16 is not on this machine and could not be pulled \(pull access denied/,
    );
    expect(lines).toContain('-----> db: pulling postgres:16');
  });

  it('says pulling is off when KYOZO_PULL_IMAGES=false', async () => {
    const docker = createFakeDockerPort();
    await expect(
      ensureImage({ docker, config: parseConfig({ KYOZO_PULL_IMAGES: 'false' }) }, 'db', 'postgres:16', () => {}),
    ).rejects.toThrow(/pulling is off \(KYOZO_PULL_IMAGES=false\); run "docker pull postgres:16"/);
    expect(docker.calls.some((c) => c.method === 'pull')).toBe(false);
  });

  it('lets an unreachable engine through untouched, so the deploy is retried', async () => {
    const docker = createFakeDockerPort();
    docker.fail('pull', Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }));
    await expect(ensureImage({ docker, config: parseConfig({}) }, 'db', 'postgres:16', () => {})).rejects.toThrow(
      /ENOENT/,
    );
  });

  it("refuses another app's build and a local-only image unless KYOZO_ALLOWED_IMAGES allows it", async () => {
    const docker = createFakeDockerPort();
    docker.images.set('sha256:2', {
      id: 'sha256:2',
      tags: ['kyozo/abc/web:v1'],
      labels: { 'kyozo.app': 'abc' },
      created: 0,
      size: 1,
    });
    const cfg = parseConfig({ KYOZO_ALLOWED_IMAGES: 'kyozo/*' });
    await expect(ensureImage({ docker, config: cfg }, 'db', 'kyozo/abc/web:v1', () => {})).rejects.toThrow(
      /^service db: image kyozo\/abc\/web:v1 was built by Kyozo for an app/,
    );
    await expect(ensureImage({ docker, config: cfg }, 'db', 'sha256:2', () => {})).rejects.toThrow(/built by Kyozo/);
    expect(docker.calls.some((c) => c.method === 'pull')).toBe(false);
  });
});
