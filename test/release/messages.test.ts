import { describe, expect, it } from 'vitest';
import type { Topology } from '../../server/analysis/types.ts';
import * as say from '../../server/release/messages.ts';

const id = 'sha256:0123456789abcdef0123';

describe('release log wording', () => {
  it('answers the post-receive hook in one line', () => {
    expect(say.refDeleted('Branch', 'main', true)).toBe('Branch main deleted; the running release is unchanged.');
    expect(say.refDeleted('Tag', 'v1', false)).toBe('Tag v1 deleted.');
    expect(say.refStored('Branch', 'feature')).toBe('Branch feature stored; only main/master deploy.');
    expect(say.pushQueued('shop', 3, 'a'.repeat(40))).toBe('Kyozo: shop v3 queued for aaaaaaaaaaaa');
    expect(say.appGone('shop')).toBe('! app shop no longer exists');
  });

  it('names each phase of a release', () => {
    expect(
      say.releaseStarted(2, 'shop', say.releaseKind({ kind: 'push', commit: 'b'.repeat(40), baseVersion: null })),
    ).toBe('-----> Release v2 of shop (push of bbbbbbbbbbbb)');
    expect(
      ['rollback', 'config', 'restart', 'scale'].map((kind) => say.releaseKind({ kind, commit: null, baseVersion: 4 })),
    ).toEqual(['rollback to v4', 'config change on v4', 'restart of v4', 'restart of v4']);
    expect(say.exportingCommit('c'.repeat(40))).toBe('-----> Exporting commit cccccccccccc');
    expect(say.sourceUnchanged('web', 'kyozo/shop-web:v1')).toBe(
      '-----> web: source unchanged, reusing kyozo/shop-web:v1',
    );
    expect(say.buildingGenerated('web', 'node', 'next')).toBe(
      '-----> web: building with a generated Dockerfile (node/next)',
    );
    expect(say.buildingGenerated('web', 'go', null)).toBe('-----> web: building with a generated Dockerfile (go)');
    expect(say.buildingDockerfile('api', 'api', 'Dockerfile')).toBe('-----> api: building with api/Dockerfile');
    expect(say.buildingDockerfile('api', '.', 'Dockerfile')).toBe('-----> api: building with Dockerfile');
    expect(say.dockerOutput('Step 1/3')).toBe('       Step 1/3');
    expect(say.builtImage('web', 'kyozo/shop-web:v2', id)).toBe('       web: image kyozo/shop-web:v2 (0123456789ab)');
    expect(say.reusedImage('db', 'postgres:16')).toBe('       db: postgres:16');
    expect(say.startOrder([['db', 'redis'], ['web']])).toBe('-----> Start order: db, redis → web');
    expect(say.pulling('db', 'postgres:16')).toBe('-----> db: pulling postgres:16');
    expect(say.keeping('web', 1)).toBe('-----> web: unchanged, keeping 1 running replica');
    expect(say.keeping('web', 3)).toBe('-----> web: unchanged, keeping 3 running replicas');
    expect(say.replacingBacking('db')).toBe(
      '-----> db: definition changed, replacing the backing service (brief interruption)',
    );
    expect(say.startedReplica('web', 2, id.slice(7), '127.0.0.1', 20001)).toBe(
      '-----> Started web#2 (0123456789ab) on 127.0.0.1:20001',
    );
    expect(say.healthChecks(['db', 'web'])).toBe('-----> Health checks: db, web');
    expect(say.acceptingConnections('db', 1, '10.0.0.2', 5432)).toBe(
      '       db#1 accepting connections on 10.0.0.2:5432',
    );
    expect(say.healthy('web', 1, '/up', 200, 31)).toBe('       web#1 healthy: GET /up → 200 after 31 ms');
    expect(say.switchingRoutes(2)).toBe('-----> Switching routes to v2');
    expect(say.releaseLiveLine(2, 'http://shop.localhost:8080')).toBe(
      'Release v2 is live at http://shop.localhost:8080',
    );
    expect(say.stoppedOld(1, 1, 'shop')).toBe('-----> Stopped 1 replica of v1 (shop)');
    expect(say.stoppedOld(2, 1, 'shop')).toBe('-----> Stopped 2 replicas of v1 (shop)');
  });

  it('shows the analysis: services, evidence, dependencies and the recommendations that matter', () => {
    const t: Topology = {
      services: [
        {
          name: 'web',
          path: '.',
          type: 'web',
          runtime: 'node',
          framework: 'express',
          confidence: 0.9,
          evidence: ['package.json depends on express'],
          port: 3000,
          healthPath: null,
          processes: {},
          build: { strategy: 'generated' },
          resources: { memoryMb: 512, cpus: 0.5 },
        },
        {
          name: 'db',
          path: null,
          type: 'database',
          runtime: 'postgres',
          framework: null,
          confidence: 0.97,
          evidence: [],
          port: null,
          healthPath: null,
          processes: {},
          build: { strategy: 'image', image: 'postgres:16' },
          resources: { memoryMb: 512, cpus: 0.5 },
        },
      ],
      dependencies: [{ from: 'web', to: 'db', reason: 'uses pg' }],
      recommendations: [
        { severity: 'medium', code: 'no-lockfile', path: '.', message: 'commit a lockfile' },
        { severity: 'low', code: 'no-health-endpoint', path: null, message: 'hidden' },
      ],
      stats: { files: 12, durationMs: 3.4 },
    };
    expect(say.topologyLines(t)).toEqual([
      '-----> Detected 2 services (12 files, 3.4 ms)',
      '       web (.): web, node/express, confidence 90%, port 3000',
      '         - package.json depends on express',
      '       db (postgres:16): database, postgres, confidence 97%',
      '       web → db (uses pg)',
      '       [medium] no-lockfile (.): commit a lockfile',
    ]);
    expect(say.nothingDeployable({ ...t, services: [] })).toBe('nothing deployable found. commit a lockfile');
    expect(say.nothingDeployable({ ...t, services: [], recommendations: [] })).toMatch(
      /^nothing deployable found\. Kyozo looked for a Dockerfile, docker-compose\.yml, /,
    );
  });

  it('says, under each service, every compose option it deploys without: a dropped one as a warning', () => {
    expect(
      say.ignoredOptionLine('db', {
        option: 'privileged',
        value: 'true',
        action: 'dropped',
        reason: 'Kyozo never runs privileged containers',
      }),
    ).toBe('       db: warning: privileged: true dropped (Kyozo never runs privileged containers)');
    expect(
      say.ignoredOptionLine('db', {
        option: 'ports',
        value: '127.0.0.1:5432:5432',
        action: 'ignored',
        reason: 'Kyozo publishes no host ports',
      }),
    ).toBe('       db: ports: 127.0.0.1:5432:5432 ignored (Kyozo publishes no host ports)');
    const t: Topology = {
      services: [
        {
          name: 'monitor',
          path: null,
          type: 'worker',
          runtime: 'docker',
          framework: null,
          confidence: 0.9,
          evidence: ['service "monitor" in compose.yaml runs image cadvisor'],
          port: null,
          healthPath: null,
          processes: {},
          build: { strategy: 'image', image: 'cadvisor' },
          resources: { memoryMb: 256, cpus: 0.5 },
          ignoredOptions: [
            {
              option: 'volumes',
              value: '/var/run/docker.sock:/var/run/docker.sock',
              action: 'dropped',
              reason: 'Kyozo never gives a container the Docker socket',
            },
            { option: 'extra_hosts', value: 'a:1.2.3.4', action: 'ignored', reason: 'no /etc/hosts entries' },
          ],
        },
      ],
      dependencies: [],
      recommendations: [
        { severity: 'high', code: 'compose-option-ignored', path: 'compose.yaml', message: 'said above' },
        { severity: 'medium', code: 'unpinned-base-image', path: 'Dockerfile', message: 'pin it' },
      ],
      stats: { files: 1, durationMs: 1 },
    };
    expect(say.topologyLines(t)).toEqual([
      '-----> Detected 1 service (1 files, 1 ms)',
      '       monitor (cadvisor): worker, docker, confidence 90%',
      '         - service "monitor" in compose.yaml runs image cadvisor',
      '       monitor: warning: volumes: /var/run/docker.sock:/var/run/docker.sock dropped (Kyozo never gives a container the Docker socket)',
      '       monitor: extra_hosts: a:1.2.3.4 ignored (no /etc/hosts entries)',
      '       [medium] unpinned-base-image (Dockerfile): pin it',
    ]);
  });

  it('says why a release failed, on one line, and what still serves', () => {
    expect(say.releaseFailedLine(3, 'boom\n   at x')).toBe('! Release v3 failed: boom at x');
    expect(say.releaseFailedLine(3, 'boom', 2)).toBe('! Release v3 failed: boom — v2 is still live');
    expect(say.backingPutBack(id.slice(7))).toBe(
      '-----> put back backing container 0123456789ab of the previous release',
    );
    expect(say.backingNotPutBack(id.slice(7), 'gone')).toBe(
      '-----> could not restart backing container 0123456789ab: gone',
    );
    expect(say.waitingForDocker(say.DOCKER_UNREACHABLE)).toBe(
      '-----> Docker engine is unreachable; the deploy will be retried',
    );
    expect(say.dockerUnavailable('socket hang up')).toBe(
      'Docker engine unavailable, the deploy will be retried: socket hang up',
    );
    expect(say.failedToBuild('web', 'exit 1')).toBe('service web failed to build: exit 1');
    expect(say.imageNotPulled('db', 'nope:1', 'docker pull nope:1: denied')).toBe(
      'service db: image nope:1 is not on this machine and could not be pulled (denied); check the name, or run "docker pull nope:1" on the host and push again',
    );
    expect(say.replicaFailed('jobs', say.STOPPED_AFTER_START, say.containerExited(1, 'a\nb\n'))).toBe(
      'service jobs stopped right after starting: container exited with code 1; last output:\n         a\n         b',
    );
    expect(say.replicaFailed('db', say.notAccepting('127.0.0.1', 5432), say.NO_ANSWER)).toBe(
      'service db did not accept connections on 127.0.0.1:5432: no answer before the deadline',
    );
    expect(say.healthCheckFailed('web', 'http://x/', say.containerExited(null, ''))).toBe(
      'service web failed its health check (http://x/): container exited with code unknown',
    );
  });
});
