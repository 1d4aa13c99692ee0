// Turns the metrics API's series (server/metrics/query.ts) into chart sets: one line per service.
import type { Step } from '../metrics/params.ts';
import type { appSeries, systemSeries } from '../metrics/query.ts';
import type { ChartSet } from '../../views/MetricsPage.tsx';
import type { Series } from '../../views/Chart.tsx';

export const RANGE: Record<string, { ms: number; step: Step }> = {
  '1h': { ms: 3_600_000, step: 'raw' },
  '24h': { ms: 86_400_000, step: '1m' },
  '7d': { ms: 7 * 86_400_000, step: '1h' },
};

type AppSeries = Awaited<ReturnType<typeof appSeries>>;
type SystemSeries = Awaited<ReturnType<typeof systemSeries>>;
type Point = Record<string, unknown> & { at: string };

/** At most `max` points (the chart is ~560 units wide): averages of consecutive buckets, nulls kept as gaps. */
export function downsample(points: [number, number | null][], max = 400): [number, number | null][] {
  if (points.length <= max) return points;
  const size = Math.ceil(points.length / max);
  const out: [number, number | null][] = [];
  for (let i = 0; i < points.length; i += size) {
    const chunk = points.slice(i, i + size);
    const vals = chunk.map(([, v]) => v).filter((v): v is number => v !== null);
    out.push([chunk[0][0], vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null]);
  }
  return out;
}

/** Sums a field over replicas per service and timestamp. */
function perService(rows: { service: string; points: unknown[] }[], field: string): Series[] {
  const by = new Map<string, Map<number, number | null>>();
  for (const r of rows) {
    let m = by.get(r.service);
    if (!m) by.set(r.service, (m = new Map()));
    for (const p of r.points as Point[]) {
      const t = Date.parse(p.at);
      const v = p[field] as number | null;
      const prev = m.get(t);
      m.set(t, v === null || v === undefined ? (prev ?? null) : (prev ?? 0) + v);
    }
  }
  return [...by].map(([name, m]) => ({ name, points: downsample([...m].sort((a, b) => a[0] - b[0])) }));
}

export function appCharts(s: AppSeries): ChartSet[] {
  return [
    { id: 'cpu', title: 'CPU (% of one core, all replicas)', unit: 'pct', series: perService(s.replicas, 'cpuPct') },
    { id: 'memory', title: 'Memory', unit: 'bytes', series: perService(s.replicas, 'memBytes') },
    { id: 'requests', title: 'Requests per interval', unit: 'count', series: perService(s.services, 'requests') },
    { id: '5xx', title: '5xx responses', unit: 'count', series: perService(s.services, 's5xx') },
    { id: 'latency', title: 'Latency p95', unit: 'ms', series: perService(s.services, 'p95Ms') },
  ];
}

export function systemCharts(s: SystemSeries): ChartSet[] {
  const line = (name: string, f: (p: SystemSeries['points'][number]) => number | null): Series => ({
    name,
    points: downsample(s.points.map((p) => [Date.parse(p.at), f(p)])),
  });
  const ratio = (a: number | null, b: number | null) => (a !== null && b ? (a / b) * 100 : null);
  return [
    { id: 'cpu', title: 'Host CPU', unit: 'pct', series: [line('cpu', (p) => p.cpuPct)] },
    {
      id: 'memory',
      title: 'Host memory used',
      unit: 'pct',
      series: [line('memory', (p) => ratio(p.memUsedBytes, p.memTotalBytes))],
    },
    {
      id: 'disk',
      title: 'Disk used',
      unit: 'pct',
      series: [line('disk', (p) => ratio(p.diskUsedBytes, p.diskTotalBytes))],
    },
    {
      id: 'containers',
      title: 'Containers',
      unit: 'count',
      series: [line('running', (p) => p.containersRunning), line('crashed', (p) => p.containersCrashed)],
    },
  ];
}
