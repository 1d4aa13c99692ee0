// Deciding a rollout (pure): from what the live release runs and what the new one wants, the exact steps,
// in order. jobs/rollout.ts runs them through the Docker port; the same plan could drive a Swarm scheduler.
//
// Layer by layer (dependencies first), each service either keeps its running replicas (same run
// fingerprint, not restarted) or gets new ones; every replica started in a layer is health-checked before
// the next layer starts. Routes switch once, for every service together, after the last layer is healthy;
// then the live release's replicas that were not kept drain and stop. A backing service owns its data
// volume and port, so its old container is stopped (not removed: a failed release starts it again) before
// the new one starts.
import { isBackingType } from './spec.ts';

export interface LiveReplica {
  service: string;
  index: number;
  containerId: string;
  host: string;
  port: number;
  /** running, starting, crashed, failed...: only running replicas are kept or stopped for a backing service. */
  state: string;
}

export type KeptReplica = Pick<LiveReplica, 'index' | 'containerId' | 'host' | 'port'>;

export interface RolloutState {
  /** Start layers, dependencies first (order.ts startLayers). */
  layers: string[][];
  /** The new release's services, formation applied. */
  services: { name: string; type: string; image: string; imageId: string | null; replicas: number }[];
  /** Run fingerprint (spec.ts runFingerprint) of each new service, and of the live release's same-named one. */
  fingerprints: { next: Record<string, string>; live: Record<string, string> };
  /** Every replica of the live release. */
  replicas: LiveReplica[];
  /** Services replaced even when unchanged (restart releases); 'all' = every one. */
  restart?: string[] | 'all';
  /** Version of the live release; null on the first deploy. */
  live: number | null;
}

export type RolloutStep =
  /** Carry these running replicas over into the new release. */
  | { kind: 'keep'; service: string; replicas: KeptReplica[] }
  /** Check the image policy and pull the image when it is not on the machine (images Kyozo did not build). */
  | { kind: 'ensureImage'; service: string; image: string }
  /** Stop (not remove) a backing service's old containers before its new one starts. */
  | { kind: 'stop'; service: string; containerIds: string[] }
  /** Start new replicas with these indexes (the ones kept replicas do not hold). */
  | { kind: 'start'; service: string; indexes: number[] }
  /** Health-check every replica started since the last check (one layer). */
  | { kind: 'healthCheck'; services: string[] }
  /** Point every route at the new release at once. */
  | { kind: 'switchRoutes' }
  /** Let in-flight requests of the live release's replicas that were not kept finish. */
  | { kind: 'drain'; release: number; keep: string[] }
  /** Stop and remove those replicas. */
  | { kind: 'stopOld'; release: number };

export function planRollout(s: RolloutState): RolloutStep[] {
  const steps: RolloutStep[] = [];
  const kept: string[] = [];
  const forced = (name: string) => s.restart === 'all' || (Array.isArray(s.restart) && s.restart.includes(name));
  for (const layer of s.layers) {
    const started: string[] = [];
    for (const name of layer) {
      const service = s.services.find((x) => x.name === name)!;
      const running = s.replicas.filter((r) => r.service === name && r.state === 'running');
      const live = s.fingerprints.live[name];
      const same = live !== undefined && !forced(name) && live === s.fingerprints.next[name] && running.length > 0;
      const keep = same ? running.slice(0, service.replicas) : [];
      if (keep.length) {
        steps.push({
          kind: 'keep',
          service: name,
          replicas: keep.map(({ index, containerId, host, port }) => ({ index, containerId, host, port })),
        });
        kept.push(...keep.map((r) => r.containerId));
      }
      if (keep.length >= service.replicas) continue;
      // Every image Kyozo did not build (compose `image:`, backing or not) passes the image policy first.
      if (isBackingType(service.type) || service.imageId === null)
        steps.push({ kind: 'ensureImage', service: name, image: service.image });
      if (isBackingType(service.type)) {
        if (running.length)
          steps.push({ kind: 'stop', service: name, containerIds: running.map((r) => r.containerId) });
      }
      steps.push({ kind: 'start', service: name, indexes: freeIndexes(keep, service.replicas) });
      started.push(name);
    }
    if (started.length) steps.push({ kind: 'healthCheck', services: started });
  }
  steps.push({ kind: 'switchRoutes' });
  if (s.live !== null) steps.push({ kind: 'drain', release: s.live, keep: kept }, { kind: 'stopOld', release: s.live });
  return steps;
}

/** The lowest indexes from 1 that kept replicas do not hold, until `replicas` are held in all. */
function freeIndexes(kept: KeptReplica[], replicas: number): number[] {
  const used = new Set(kept.map((r) => r.index));
  const out: number[] = [];
  for (let n = 1; used.size < replicas; n++) {
    if (used.has(n)) continue;
    used.add(n);
    out.push(n);
  }
  return out;
}
