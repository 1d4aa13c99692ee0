// Observations → alert subjects: a replica the health monitor marked crashed keeps its service in a
// crash loop (so the alert opens and stays open even though the replica has no container to sample).
import { describe, expect, it } from 'vitest';
import { conditions } from '../../server/alerts/evaluate.ts';
import { RestartHistory, serviceSubjects } from '../../server/alerts/subjects.ts';
import type { Observation } from '../../server/metrics/collect.ts';

const host = { cpuPct: null, memUsedBytes: null, memTotalBytes: null, diskUsedBytes: null, diskTotalBytes: null, containersRunning: 0, containersCrashed: 1 };

describe('alert subjects', () => {
  it('turns a crashed replica into a firing crash-loop condition for its service', () => {
    const obs = { at: new Date(), replicas: [], services: [], host, crashLooping: [{ app: 'shop', service: 'api' }] } as unknown as Observation;
    const subjects = serviceSubjects(obs, new RestartHistory());
    expect(subjects).toEqual([expect.objectContaining({ app: 'shop', service: 'api', restartsInWindow: 5 })]);
    const conds = conditions({ services: subjects, deploys: [], diskPct: null }, () => ({ cpuPct: 90, memoryPct: 90, errorRatePct: 5, p95Ms: 2000, diskPct: 90 }));
    expect(conds.find((c) => c.kind === 'crash-loop')).toMatchObject({ key: 'crash-loop:shop:api', firing: true });
  });
});
