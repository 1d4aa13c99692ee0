// Circuit breaker over the fake port's fault injection: infra failures open it, answers don't.
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerUnavailableError, isInfrastructureFailure, withCircuitBreaker } from '../../server/runtime/breaker.ts';
import { createDockerPort } from '../../server/runtime/docker.ts';
import { createFakeDockerPort } from '../../server/runtime/fake.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2375'), { code: 'ECONNREFUSED' });

function setup(extra: Parameters<typeof withCircuitBreaker>[1] = {}) {
  const fake = createFakeDockerPort();
  let t = 1_000;
  const states: string[] = [];
  const b = withCircuitBreaker(fake, {
    failureThreshold: 3,
    openMs: 1000,
    now: () => t,
    autoProbe: false,
    onStateChange: (s) => states.push(s),
    ...extra,
  });
  return {
    fake,
    b,
    states,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('withCircuitBreaker', () => {
  it('opens after N consecutive infrastructure failures, then fails fast without calling the port', async () => {
    const { fake, b, states } = setup();
    fake.fail('list', refused(), 3);
    for (let i = 0; i < 3; i++) await expect(b.list({})).rejects.toBeInstanceOf(DockerUnavailableError);
    expect(b.state()).toBe('open');
    const before = fake.calls.length;
    await expect(b.inspect('x')).rejects.toThrow(/circuit open after 3 failures: connect ECONNREFUSED/);
    expect(await b.ping()).toBe(false);
    expect(fake.calls.length).toBe(before);
    expect(states).toEqual(['open']);
  });

  it('half-opens after openMs, lets one probe through, closes on success and re-opens on failure', async () => {
    const { fake, b, states, advance } = setup();
    fake.fail('ping', refused(), 4);
    for (let i = 0; i < 3; i++) expect(await b.ping()).toBe(false);
    expect(b.state()).toBe('open');
    advance(1000);
    expect(b.state()).toBe('half-open');
    expect(await b.ping()).toBe(false); // probe fails (4th fault) → open again
    expect(b.state()).toBe('open');
    advance(1000);
    expect(await b.ping()).toBe(true);
    expect(b.state()).toBe('closed');
    expect(await b.list({})).toEqual([]);
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('only one probe at a time while half-open', async () => {
    const { fake, b, advance } = setup({ timeoutMs: 50 });
    fake.fail('list', refused(), 3);
    for (let i = 0; i < 3; i++) await b.list({}).catch(() => {});
    advance(1000);
    fake.fail('list', 'hang', 1);
    const probe = b.list({});
    await expect(b.list({})).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(probe).rejects.toThrow(/no answer from the Docker engine within 50ms/); // hang = timeout = infra
    expect(b.state()).toBe('open');
  });

  it('does not count answers: 404/409, failing builds; an answer resets the count', async () => {
    const { fake, b } = setup();
    fake.fail('run', Object.assign(new Error('No such image'), { statusCode: 404 }), 5);
    for (let i = 0; i < 5; i++) await expect(b.run({ Image: 'x' })).rejects.toThrow(/No such image/);
    fake.onBuild = () => ({ error: "The command '/bin/sh -c exit 1' returned a non-zero code: 1" });
    for (let i = 0; i < 5; i++)
      await expect(
        b.build({ contextDir: '/x', dockerfile: 'Dockerfile', tag: 't', labels: {}, onLine: () => {} }),
      ).rejects.toThrow(/non-zero code/);
    fake.fail('list', refused(), 2);
    await b.list({}).catch(() => {});
    await b.list({}).catch(() => {});
    expect(await b.inspect('nope')).toBeNull(); // an answer: count back to 0
    fake.fail('list', refused(), 2);
    await b.list({}).catch(() => {});
    await b.list({}).catch(() => {});
    expect(b.state()).toBe('closed');
  });

  it('classifies errors', () => {
    expect(isInfrastructureFailure(refused())).toBe(true);
    expect(isInfrastructureFailure(new Error('docker list: no answer from the Docker engine within 30000ms'))).toBe(
      true,
    );
    expect(isInfrastructureFailure(Object.assign(new Error('docker create: conflict'), { statusCode: 409 }))).toBe(
      false,
    );
    expect(
      isInfrastructureFailure(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ENOENT' }) })),
    ).toBe(true);
    expect(isInfrastructureFailure(new Error('service web failed to build: COPY failed'))).toBe(false);
  });

  it('half-opens on its own and closes when the engine is back (auto probe)', async () => {
    const fake = createFakeDockerPort();
    const b = withCircuitBreaker(fake, { failureThreshold: 1, openMs: 30 });
    fake.fail('ping', refused(), 1);
    expect(await b.ping()).toBe(false);
    expect(b.state()).toBe('open');
    await new Promise((r) => setTimeout(r, 120));
    expect(b.state()).toBe('closed');
  });

  it('real engine: a dead socket opens the breaker and ping answers false fast', async () => {
    const b = withCircuitBreaker(createDockerPort(new Dockerode({ socketPath: '/tmp/nope.sock' })), {
      failureThreshold: 3,
      openMs: 60_000,
    });
    for (let i = 0; i < 3; i++) await expect(b.list({})).rejects.toBeInstanceOf(DockerUnavailableError);
    expect(b.state()).toBe('open');
    const t0 = Date.now();
    expect(await b.ping()).toBe(false);
    await expect(
      b.build({ contextDir: '/tmp', dockerfile: 'Dockerfile', tag: 'x', labels: {}, onLine: () => {} }),
    ).rejects.toBeInstanceOf(DockerUnavailableError);
    expect(Date.now() - t0).toBeLessThan(50);
  });
});
