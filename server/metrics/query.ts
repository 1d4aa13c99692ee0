// Reads for the metrics API: one app's replica and service series (by app id: an app created with a deleted
// app's name starts with none), and the host series.
import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { metrics, systemMetrics } from '../db/schema.ts';
import type { RangeQuery } from './params.ts';

const iso = (d: Date) => d.toISOString();

export async function appSeries(db: Db, app: { id: number; name: string }, q: RangeQuery) {
  const conds: SQL[] = [
    eq(metrics.appId, app.id),
    eq(metrics.tier, q.step),
    gte(metrics.at, q.since),
    lt(metrics.at, q.until),
  ];
  if (q.service) conds.push(eq(metrics.service, q.service));
  const rows = await db
    .select()
    .from(metrics)
    .where(and(...conds))
    .orderBy(asc(metrics.service), asc(metrics.replica), asc(metrics.at))
    .limit(200_000);
  const replicas = new Map<string, { service: string; replica: string; points: unknown[] }>();
  const services = new Map<string, { service: string; points: unknown[] }>();
  for (const r of rows) {
    if (r.replica === '') {
      let s = services.get(r.service);
      if (!s) services.set(r.service, (s = { service: r.service, points: [] }));
      s.points.push({
        at: iso(r.at),
        requests: r.requests,
        s2xx: r.s2xx,
        s3xx: r.s3xx,
        s4xx: r.s4xx,
        s5xx: r.s5xx,
        bytesIn: r.bytesIn,
        bytesOut: r.bytesOut,
        p50Ms: r.p50Ms,
        p95Ms: r.p95Ms,
        p99Ms: r.p99Ms,
      });
    } else {
      const k = `${r.service}\0${r.replica}`;
      let s = replicas.get(k);
      if (!s) replicas.set(k, (s = { service: r.service, replica: r.replica, points: [] }));
      s.points.push({
        at: iso(r.at),
        cpuPct: r.cpuPct,
        memBytes: r.memBytes,
        memLimitBytes: r.memLimitBytes,
        pids: r.pids,
        restarts: r.restarts,
      });
    }
  }
  return {
    app: app.name,
    since: iso(q.since),
    until: iso(q.until),
    step: q.step,
    service: q.service ?? null,
    replicas: [...replicas.values()],
    services: [...services.values()],
  };
}

export async function systemSeries(db: Db, q: RangeQuery) {
  const cols = {
    at: systemMetrics.at,
    cpuPct: systemMetrics.cpuPct,
    memUsedBytes: systemMetrics.memUsedBytes,
    memTotalBytes: systemMetrics.memTotalBytes,
    diskUsedBytes: systemMetrics.diskUsedBytes,
    diskTotalBytes: systemMetrics.diskTotalBytes,
    containersRunning: systemMetrics.containersRunning,
    containersCrashed: systemMetrics.containersCrashed,
  };
  const [rows, [latest]] = await Promise.all([
    db
      .select(cols)
      .from(systemMetrics)
      .where(and(eq(systemMetrics.tier, q.step), gte(systemMetrics.at, q.since), lt(systemMetrics.at, q.until)))
      .orderBy(asc(systemMetrics.at))
      .limit(10_000),
    db.select(cols).from(systemMetrics).where(eq(systemMetrics.tier, 'raw')).orderBy(desc(systemMetrics.at)).limit(1),
  ]);
  const point = (r: (typeof rows)[number]) => ({ ...r, at: iso(r.at) });
  return {
    since: iso(q.since),
    until: iso(q.until),
    step: q.step,
    latest: latest ? point(latest) : null,
    points: rows.map(point),
  };
}
