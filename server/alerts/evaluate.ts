// Pure threshold evaluation: observations → conditions (firing, clear, or unknown) → transitions
// against the currently open alerts (open once per key, resolve when the value is back or the subject is gone).
import { RULES, SEVERITY, type AlertKind, type Thresholds } from './thresholds.ts';

export interface ServiceSubject {
  app: string;
  /** The app's id, stored on the alerts it opens (its name may be created again by another app). */
  appId?: number;
  service: string;
  /** null = not measured this cycle. */
  cpuPct: number | null;
  memoryPct: number | null;
  requests: number;
  s5xx: number;
  p95Ms: number | null;
  /** Max restarts of one replica within the crash window. */
  restartsInWindow: number | null;
}

export interface Subjects {
  services: ServiceSubject[];
  /** Apps whose latest finished release failed (true) or went live (false). */
  deploys: { app: string; appId?: number; failed: boolean; version: number; error?: string | null }[];
  diskPct: number | null;
}

export interface Condition {
  key: string;
  kind: AlertKind;
  app: string | null;
  /** The app's id when the subject carried one (null: host-wide, or unknown). */
  appId: number | null;
  service: string | null;
  /** true: over the threshold; false: back; null: unknown this cycle (no transition). */
  firing: boolean | null;
  value: number | null;
  threshold: number;
  severity: 'warning' | 'critical';
  message: string;
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

export function conditions(s: Subjects, thresholdsOf: (app: string | null) => Thresholds): Condition[] {
  const out: Condition[] = [];
  const add = (
    kind: AlertKind,
    app: string | null,
    appId: number | null | undefined,
    service: string | null,
    value: number | null,
    threshold: number,
    label: string,
    unit: string,
    canOpen = true,
  ) => {
    const firing = value === null ? null : value > threshold ? (canOpen ? true : null) : false;
    const where = app ? `${app}${service ? `/${service}` : ''}` : 'host';
    out.push({
      key: `${kind}:${app ?? ''}:${service ?? ''}`,
      kind,
      app,
      appId: appId ?? null,
      service,
      firing,
      value,
      threshold,
      severity: SEVERITY[kind],
      message: `${where}: ${label} ${value === null ? 'unknown' : fmt(value)}${unit} (threshold ${fmt(threshold)}${unit})`,
    });
  };
  for (const v of s.services) {
    const t = thresholdsOf(v.app);
    add('cpu', v.app, v.appId, v.service, v.cpuPct, t.cpuPct, 'CPU', '%');
    add('memory', v.app, v.appId, v.service, v.memoryPct, t.memoryPct, 'memory', '%');
    const busy = v.requests >= RULES.minRequests;
    add(
      'error-rate',
      v.app,
      v.appId,
      v.service,
      v.requests > 0 ? (v.s5xx / v.requests) * 100 : 0,
      t.errorRatePct,
      '5xx rate',
      '%',
      busy,
    );
    add('p95-latency', v.app, v.appId, v.service, v.requests > 0 ? v.p95Ms : 0, t.p95Ms, 'p95 latency', ' ms', busy);
    add(
      'crash-loop',
      v.app,
      v.appId,
      v.service,
      v.restartsInWindow,
      RULES.crashRestarts,
      `restarts in ${RULES.crashWindowMs / 60_000} min`,
      '',
    );
  }
  for (const d of s.deploys) {
    out.push({
      key: `deploy-failed:${d.app}:`,
      kind: 'deploy-failed',
      app: d.app,
      appId: d.appId ?? null,
      service: null,
      firing: d.failed,
      value: d.version,
      threshold: 0,
      severity: SEVERITY['deploy-failed'],
      message: `${d.app}: release v${d.version} failed${d.error ? `: ${d.error.slice(0, 200)}` : ''}`,
    });
  }
  add('disk', null, null, null, s.diskPct, thresholdsOf(null).diskPct, 'disk usage', '%');
  return out;
}

export interface OpenAlert {
  id: number;
  key: string;
}

export function transitions(
  conds: readonly Condition[],
  open: readonly OpenAlert[],
): { toOpen: Condition[]; toResolve: { alert: OpenAlert; condition: Condition | null }[] } {
  const openKeys = new Map(open.map((a) => [a.key, a]));
  const byKey = new Map(conds.map((c) => [c.key, c]));
  const toOpen = conds.filter((c) => c.firing === true && !openKeys.has(c.key));
  const toResolve = open
    .filter((a) => !byKey.has(a.key) || byKey.get(a.key)!.firing === false)
    .map((alert) => ({ alert, condition: byKey.get(alert.key) ?? null }));
  return { toOpen, toResolve };
}
