import { describe, expect, it } from 'vitest';
import { afterReplace, decide, freshHealth, type MonitorOptions } from '../../server/monitor/policy.ts';

const o: MonitorOptions = {
  failuresToReplace: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 8000,
  crashLoopRestarts: 3,
  crashLoopWindowMs: 60_000,
};
const fail = { ok: false, exited: false };
const ok = { ok: true, exited: false };

describe('health monitor policy', () => {
  it('replaces after N failed probes in a row, marking the replica down first', () => {
    let h = freshHealth();
    let r = decide(h, fail, 0, o);
    h = r.health;
    expect(r.actions).toEqual([]);
    r = decide(h, fail, 1, o);
    h = r.health;
    expect(r.actions).toEqual([]);
    r = decide(h, fail, 2, o);
    expect(r.actions).toEqual(['mark-down', 'replace']);
  });
  it('a passing probe resets the count and marks a down replica up', () => {
    let h = decide(decide(freshHealth(), fail, 0, o).health, fail, 1, o).health;
    expect(decide(h, ok, 2, o)).toEqual({ health: { ...h, failures: 0, down: false }, actions: [] });
    h = { ...h, down: true };
    expect(decide(h, ok, 2, o).actions).toEqual(['mark-up']);
  });
  it('an exited container is replaced at once', () => {
    expect(decide(freshHealth(), { ok: false, exited: true }, 0, o).actions).toEqual(['mark-down', 'replace']);
  });
  it('backs off exponentially between replacements', () => {
    let h = afterReplace(freshHealth(), 0, false, o);
    expect(h.nextRestartAt).toBe(1000);
    expect(decide(h, { ok: false, exited: true }, 500, o).actions).toEqual(['mark-down']);
    h = afterReplace(h, 1000, false, o);
    expect(h.nextRestartAt).toBe(3000);
    h = afterReplace({ ...h, restarts: [] }, 10_000, true, o);
    expect(h.nextRestartAt).toBe(11_000);
  });
  it('detects a crash loop and stops acting', () => {
    let h = freshHealth();
    for (const t of [0, 2000, 6000]) h = afterReplace(h, t, true, o);
    const r = decide(h, { ok: false, exited: true }, 20_000, o);
    expect(r.actions).toEqual(['mark-down', 'crash-loop']);
    expect(r.health.crashed).toBe(true);
    expect(decide(r.health, ok, 30_000, o).actions).toEqual([]);
  });
});
