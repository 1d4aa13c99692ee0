// Observations → alert subjects: a replica the health monitor marked crashed keeps its service in a
// crash loop (so the alert opens and stays open even though the replica has no container to sample).
import { describe, expect, it } from 'vitest';
import { conditions } from '../../server/alerts/evaluate.ts';
import { RestartHistory, serviceSubjects } from '../../server/alerts/subjects.ts';
import type { Observation } from '../../server/metrics/collect.ts';

const host = {
  cpuPct: null,
  memUsedBytes: null,
  memTotalBytes: null,
  diskUsedBytes: null,
  diskTotalBytes: null,
  containersRunning: 0,
  containersCrashed: 1,
};

describe('alert subjects', () => {
  it('turns a crashed replica into a firing crash-loop condition for its service', () => {
    const obs = {
      at: new Date(),
      replicas: [],
      services: [],
      host,
      crashLooping: [{ app: 'shop', service: 'api' }],
    } as unknown as Observation;
    const subjects = serviceSubjects(obs, new RestartHistory());
    expect(subjects).toEqual([expect.objectContaining({ app: 'shop', service: 'api', restartsInWindow: 5 })]);
    const conds = conditions({ services: subjects, deploys: [], diskPct: null }, () => ({
      cpuPct: 90,
      memoryPct: 90,
      errorRatePct: 5,
      p95Ms: 2000,
      diskPct: 90,
    }));
    expect(conds.find((c) => c.kind === 'crash-loop')).toMatchObject({ key: 'crash-loop:shop:api', firing: true });
  });
});

import { isPrivateHost, validateWebhookUrl } from '../../server/alerts/thresholds.ts';

describe('webhook URLs', () => {
  it('keeps tenants away from private, loopback and metadata addresses; admins may use them', () => {
    for (const h of [
      'localhost',
      'api.localhost',
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '[::1]',
      'fd00::1',
      'db',
      'x.internal',
    ])
      expect(isPrivateHost(h), h).toBe(true);
    for (const h of ['hooks.slack.com', '8.8.8.8', '172.32.0.1', '2001:db8::1'])
      expect(isPrivateHost(h), h).toBe(false);
    expect(() => validateWebhookUrl('http://169.254.169.254/latest/meta-data', false)).toThrow(/public host/);
    expect(validateWebhookUrl('http://127.0.0.1:9000/hook', true)).toBe('http://127.0.0.1:9000/hook');
    expect(validateWebhookUrl('https://hooks.example.com/x', false)).toBe('https://hooks.example.com/x');
  });
});
