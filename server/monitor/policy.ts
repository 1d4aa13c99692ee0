// What the health monitor does about one replica (pure): probe results in, an action out.
// A replica that exits, or fails `failuresToReplace` probes in a row, leaves the proxy at once and is
// replaced; replacements back off exponentially; too many in a window is a crash loop: the service is
// marked crashed, an alert is raised, and Kyozo stops hammering it until the next release.

export interface MonitorOptions {
  failuresToReplace: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  crashLoopRestarts: number;
  crashLoopWindowMs: number;
}

export const DEFAULT_MONITOR: MonitorOptions = {
  failuresToReplace: 3,
  backoffBaseMs: 1_000,
  backoffMaxMs: 5 * 60_000,
  crashLoopRestarts: 5,
  crashLoopWindowMs: 10 * 60_000,
};

export interface ReplicaHealth {
  failures: number;
  down: boolean;
  /** Times of recent replacements (for backoff and crash-loop detection). */
  restarts: number[];
  nextRestartAt: number;
  crashed: boolean;
}

export const freshHealth = (): ReplicaHealth => ({
  failures: 0,
  down: false,
  restarts: [],
  nextRestartAt: 0,
  crashed: false,
});

export type Probe = { exited: boolean; ok: boolean };
export type Action = 'none' | 'mark-down' | 'mark-up' | 'replace' | 'crash-loop';

export function decide(
  h: ReplicaHealth,
  p: Probe,
  now: number,
  o: MonitorOptions = DEFAULT_MONITOR,
): { health: ReplicaHealth; actions: Action[] } {
  if (h.crashed) return { health: h, actions: [] };
  if (p.ok && !p.exited) {
    const actions: Action[] = h.down ? ['mark-up'] : [];
    return { health: { ...h, failures: 0, down: false }, actions };
  }
  const failures = p.exited ? o.failuresToReplace : h.failures + 1;
  if (failures < o.failuresToReplace) return { health: { ...h, failures }, actions: [] };
  const actions: Action[] = h.down ? [] : ['mark-down'];
  const recent = h.restarts.filter((t) => now - t < o.crashLoopWindowMs);
  if (recent.length >= o.crashLoopRestarts)
    return {
      health: { ...h, failures, down: true, restarts: recent, crashed: true },
      actions: [...actions, 'crash-loop'],
    };
  if (now < h.nextRestartAt) return { health: { ...h, failures, down: true, restarts: recent }, actions };
  return { health: { ...h, failures, down: true, restarts: recent }, actions: [...actions, 'replace'] };
}

/** After a replacement attempt (successful or not): remember it and set the next allowed time. */
export function afterReplace(
  h: ReplicaHealth,
  now: number,
  succeeded: boolean,
  o: MonitorOptions = DEFAULT_MONITOR,
): ReplicaHealth {
  const restarts = [...h.restarts.filter((t) => now - t < o.crashLoopWindowMs), now];
  const delay = Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** (restarts.length - 1));
  return succeeded
    ? { failures: 0, down: false, restarts, nextRestartAt: now + delay, crashed: false }
    : { ...h, restarts, nextRestartAt: now + delay };
}
