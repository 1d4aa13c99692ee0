// Rollups (raw → 1m → 1h) as one insert…select per tier, and retention. Each rollup continues after the
// newest bucket already rolled up, and only takes complete buckets, so running it again is a no-op.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export type Tier = 'raw' | '1m' | '1h';
const STEPS = [
  { from: 'raw', to: '1m', unit: 'minute' },
  { from: '1m', to: '1h', unit: 'hour' },
] as const;

/**
 * Rolls up every complete bucket (ending before now - lagMs, so the newest raw rows are in) that is newer
 * than the last rolled-up one, per app id (two apps that had one name never share a bucket). Averages for
 * gauges, max for limits/pids/restarts, sums for counters; p50/p95 are request-weighted means of the finer
 * buckets' percentiles, p99 their max (an upper bound).
 */
export async function rollup(db: Db, now = new Date(), lagMs = 15_000): Promise<{ '1m': number; '1h': number }> {
  const counts = { '1m': 0, '1h': 0 };
  const until = new Date(now.getTime() - lagMs);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('kyozo.metrics.rollup'))`);
    for (const s of STEPS) {
      const unit = sql.raw(`'${s.unit}'`);
      const interval = sql.raw(`interval '1 ${s.unit}'`);
      const m = await tx.execute(sql`
        with b as (select coalesce(
            (select max(at) + ${interval} from metrics where tier = ${s.to}),
            (select date_trunc(${unit}, min(at)) from metrics where tier = ${s.from})) as lo,
          date_trunc(${unit}, ${until.toISOString()}::timestamptz) as hi)
        insert into metrics (tier, at, app, app_id, service, replica, cpu_pct, mem_bytes, mem_limit_bytes, pids, restarts,
          requests, s2xx, s3xx, s4xx, s5xx, bytes_in, bytes_out, p50_ms, p95_ms, p99_ms)
        select ${s.to}, date_trunc(${unit}, at), app, app_id, service, replica, avg(cpu_pct), avg(mem_bytes), max(mem_limit_bytes),
          max(pids), max(restarts), sum(requests), sum(s2xx), sum(s3xx), sum(s4xx), sum(s5xx), sum(bytes_in), sum(bytes_out),
          sum(p50_ms * requests) / nullif(sum(requests) filter (where p50_ms is not null), 0),
          sum(p95_ms * requests) / nullif(sum(requests) filter (where p95_ms is not null), 0),
          max(p99_ms)
        from metrics, b where tier = ${s.from} and at >= b.lo and at < b.hi
        group by date_trunc(${unit}, at), app_id, app, service, replica`);
      await tx.execute(sql`
        with b as (select coalesce(
            (select max(at) + ${interval} from system_metrics where tier = ${s.to}),
            (select date_trunc(${unit}, min(at)) from system_metrics where tier = ${s.from})) as lo,
          date_trunc(${unit}, ${until.toISOString()}::timestamptz) as hi)
        insert into system_metrics (tier, at, cpu_pct, mem_used_bytes, mem_total_bytes, disk_used_bytes, disk_total_bytes,
          containers_running, containers_crashed)
        select ${s.to}, date_trunc(${unit}, at), avg(cpu_pct), avg(mem_used_bytes), max(mem_total_bytes), max(disk_used_bytes),
          max(disk_total_bytes), round(avg(containers_running)), max(containers_crashed)
        from system_metrics, b where tier = ${s.from} and at >= b.lo and at < b.hi
        group by date_trunc(${unit}, at)`);
      counts[s.to] = (m as unknown as { count: number }).count;
    }
  });
  return counts;
}

export interface RetentionPolicy {
  retentionDays: number;
  rawRetentionDays: number;
}

/** Deletes rows older than the policy, in bounded batches (short statements, no long table locks). */
export async function enforceRetention(
  db: Db,
  policy: RetentionPolicy,
  now = new Date(),
  batch = 20_000,
  maxBatches = 100,
): Promise<number> {
  const cutoff = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const rules: [Tier, string][] = [
    ['raw', cutoff(policy.rawRetentionDays)],
    ['1m', cutoff(policy.retentionDays)],
    ['1h', cutoff(policy.retentionDays)],
  ];
  let deleted = 0;
  for (const table of ['metrics', 'system_metrics']) {
    const t = sql.raw(table);
    for (const [tier, before] of rules) {
      for (let i = 0; i < maxBatches; i++) {
        const r = await db.execute(sql`delete from ${t} where id in (
          select id from ${t} where tier = ${tier} and at < ${before}::timestamptz limit ${batch})`);
        const n = (r as unknown as { count: number }).count;
        deleted += n;
        if (n < batch) break;
      }
    }
  }
  return deleted;
}
