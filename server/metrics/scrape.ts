// Families computed from the database at scrape time (so they survive restarts): releases and deploy
// durations, jobs by state, open alerts, replicas by state.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { DEFAULT_BUCKETS, type Family, type Labels } from './prometheus.ts';

type Row = Record<string, unknown>;
const rowsOf = (r: unknown) => r as Row[];

function gauge(name: string, help: string, rows: Row[], labelCols: string[], valueCol = 'n'): Family {
  const values = new Map<string, { labels: Labels; value: number }>();
  for (const r of rows) {
    const labels = Object.fromEntries(labelCols.map((c) => [c, String(r[c] ?? '')]));
    values.set(JSON.stringify(labels), { labels, value: Number(r[valueCol]) });
  }
  return { name, help, kind: 'gauge', values };
}

export async function dbFamilies(db: Db): Promise<Family[]> {
  const buckets = DEFAULT_BUCKETS;
  const bucketCols = buckets.map((b, i) => `count(*) filter (where d <= ${b}) as b${i}`).join(', ');
  const [releases, durations, alerts, replicas] = await Promise.all([
    db.execute(sql`select status, count(*)::int as n from releases group by status`),
    db.execute(
      sql.raw(`select status, count(*)::int as n, coalesce(sum(d), 0)::float8 as s, ${bucketCols}
      from (select status, extract(epoch from finished_at - started_at) as d from releases
            where finished_at is not null and started_at is not null and status in ('live', 'superseded', 'failed')) x group by status`),
    ),
    db.execute(
      sql`select kind, severity, count(*)::int as n from alerts where resolved_at is null group by kind, severity`,
    ),
    db.execute(sql`select state, count(*)::int as n from replicas group by state`),
  ]);
  const hist: Family = {
    name: 'kyozo_deploy_duration_seconds',
    help: 'Deploy duration (start to live or failed) by outcome',
    kind: 'histogram',
    buckets,
    values: new Map(),
  };
  for (const r of rowsOf(durations)) {
    const outcome = r.status === 'failed' ? 'failed' : 'live';
    const prev = hist.values.get(outcome);
    // Buckets are stored per bucket (renderPrometheus accumulates), so convert the cumulative SQL counts.
    const cum = buckets.map((_, i) => Number(r[`b${i}`]));
    const per = cum.map((c, i) => c - (i ? cum[i - 1] : 0));
    if (prev) {
      prev.value += Number(r.n);
      prev.sum! += Number(r.s);
      prev.buckets = prev.buckets!.map((v, i) => v + per[i]);
    } else hist.values.set(outcome, { labels: { outcome }, value: Number(r.n), sum: Number(r.s), buckets: per });
  }
  const out = [
    gauge('kyozo_releases', 'Releases by status', rowsOf(releases), ['status']),
    hist,
    gauge('kyozo_alerts_open', 'Open alerts by kind and severity', rowsOf(alerts), ['kind', 'severity']),
    gauge('kyozo_replicas', 'Replicas by state', rowsOf(replicas), ['state']),
  ];
  try {
    const jobs = await db.execute(sql`select task_identifier as task,
        case when locked_at is not null then 'running' when attempts >= max_attempts then 'failed'
             when run_at > now() then 'scheduled' else 'queued' end as state, count(*)::int as n
      from graphile_worker.jobs group by 1, 2`);
    out.push(gauge('kyozo_jobs', 'Jobs in the queue by task and state', rowsOf(jobs), ['task', 'state']));
  } catch {
    // graphile-worker not installed in this database (yet)
  }
  return out;
}
