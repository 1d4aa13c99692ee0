// From one collection cycle to the subjects alerts are evaluated on (pure, plus a small restart history).
import { DEFAULT_MONITOR } from '../monitor/policy.ts';
import type { Observation } from '../metrics/collect.ts';
import type { ServiceSubject } from './evaluate.ts';
import { RULES } from './thresholds.ts';

/** Restart counters per replica over time, to tell a crash loop (many restarts lately) from old restarts. */
export class RestartHistory {
  #seen = new Map<string, { atMs: number; restarts: number }[]>();
  constructor(private windowMs = RULES.crashWindowMs) {}

  /** Records the counter and returns restarts within the window (0 on the first sighting). */
  record(key: string, restarts: number, atMs: number): number {
    const list = (this.#seen.get(key) ?? []).filter((p) => p.atMs >= atMs - this.windowMs && p.restarts <= restarts);
    list.push({ atMs, restarts });
    this.#seen.set(key, list);
    return restarts - Math.min(...list.map((p) => p.restarts));
  }

  forget(keep: ReadonlySet<string>): void {
    for (const k of this.#seen.keys()) if (!keep.has(k)) this.#seen.delete(k);
  }
}

/** Restarts the health monitor allows in its window before it marks a replica crashed (policy.ts). */
const CRASHED_RESTARTS = DEFAULT_MONITOR.crashLoopRestarts;

const pct = (v: number, of: number) => Math.round((v / of) * 10000) / 100;

export function serviceSubjects(obs: Observation, history: RestartHistory): ServiceSubject[] {
  const by = new Map<string, ServiceSubject>();
  const get = (app: string, service: string, appId?: number) => {
    const k = `${app}\0${service}`;
    let s = by.get(k);
    if (!s)
      by.set(
        k,
        (s = {
          app,
          ...(appId !== undefined ? { appId } : {}),
          service,
          cpuPct: null,
          memoryPct: null,
          requests: 0,
          s5xx: 0,
          p95Ms: null,
          restartsInWindow: null,
        }),
      );
    return s;
  };
  const max = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.max(a, b));
  const seen = new Set<string>();
  for (const r of obs.replicas) {
    const s = get(r.app, r.service, r.appId);
    if (r.cpuPct !== null) s.cpuPct = max(s.cpuPct, r.cpus ? r.cpuPct / r.cpus : r.cpuPct);
    if (r.memLimitBytes > 0) s.memoryPct = max(s.memoryPct, pct(r.memBytes, r.memLimitBytes));
    const key = `${r.appId}/${r.service}/${r.replica}`;
    seen.add(key);
    s.restartsInWindow = max(s.restartsInWindow, history.record(key, r.restarts, obs.at.getTime()));
  }
  history.forget(seen);
  // A replica marked crashed by the health monitor is a crash loop for as long as it stays so.
  for (const c of obs.crashLooping ?? []) {
    const s = get(c.app, c.service, c.appId);
    s.restartsInWindow = max(s.restartsInWindow, CRASHED_RESTARTS);
  }
  for (const w of obs.services) {
    const s = get(w.app, w.service, w.appId);
    s.requests += w.requests;
    s.s5xx += w.s5xx;
    s.p95Ms = max(s.p95Ms, w.p95Ms);
  }
  return [...by.values()];
}

export function diskPct(obs: Observation): number | null {
  const { diskUsedBytes: used, diskTotalBytes: total } = obs.host;
  return used !== null && total ? pct(used, total) : null;
}
