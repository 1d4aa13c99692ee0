// Pure arithmetic of the collector: CPU% from two cumulative samples, proxy windows → service rows.
import { percentile, type ServiceMetrics } from '../proxy/metrics.ts';

/** A cumulative CPU counter read at a wall-clock time. */
export interface CpuSample {
  /** Total CPU time used by the container so far, in nanoseconds. */
  cpuNs: number;
  /** When it was read (ms since epoch, or any monotonic ms clock). */
  atMs: number;
}

/**
 * Percent of one core (100 = one full core) used between two samples; null when there is no usable
 * previous sample (first sample, counter reset after a restart, clock not advancing).
 */
export function cpuPercent(prev: CpuSample | undefined, cur: CpuSample): number | null {
  if (!prev) return null;
  const wallNs = (cur.atMs - prev.atMs) * 1e6;
  const used = cur.cpuNs - prev.cpuNs;
  if (wallNs <= 0 || used < 0) return null;
  return Math.round((used / wallNs) * 100 * 100) / 100;
}

export const round = (n: number | null, digits = 2): number | null =>
  n === null || !Number.isFinite(n) ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/** What the metrics table stores for one app service's proxy window (replica = ''). */
export interface ServiceRow {
  app: string;
  service: string;
  requests: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  bytesIn: number;
  bytesOut: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** One row per app/service; windows of the same app/service (e.g. two drains) are merged first. */
export function serviceRows(windows: readonly ServiceMetrics[]): ServiceRow[] {
  const merged = new Map<string, { m: ServiceMetrics; samples: number[] }>();
  for (const w of windows) {
    const key = `${w.app}\0${w.service}`;
    const cur = merged.get(key);
    if (!cur) {
      merged.set(key, { m: { ...w, status: { ...w.status } }, samples: [...w.latencySamples] });
      continue;
    }
    cur.m.requests += w.requests;
    cur.m.bytesIn += w.bytesIn;
    cur.m.bytesOut += w.bytesOut;
    for (const k of Object.keys(w.status) as (keyof typeof w.status)[]) cur.m.status[k] += w.status[k];
    cur.samples.push(...w.latencySamples);
  }
  return [...merged.values()].map(({ m, samples }) => ({
    app: m.app,
    service: m.service,
    requests: m.requests,
    s2xx: m.status['2xx'],
    s3xx: m.status['3xx'],
    s4xx: m.status['4xx'],
    s5xx: m.status['5xx'],
    bytesIn: m.bytesIn,
    bytesOut: m.bytesOut,
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    p99Ms: round(percentile(samples, 99)),
  }));
}

/** Runs fn over items with at most `limit` in flight; results keep the input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
