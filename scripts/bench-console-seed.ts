// Seed data of scripts/bench-console.ts, written with set-based SQL (generate_series) so 100 apps × 30 days
// take seconds: apps, 3 releases each (v3 live) with a service and a replica, log lines, metrics, events, alerts.
import type postgres from 'postgres';

export async function seedConsoleBench(sql: postgres.Sql, n: number): Promise<number> {
  await sql`insert into apps (name, owner_id) select 'app-' || lpad(i::text, 3, '0'), 1 from generate_series(0, ${n - 1}) i`;
  await sql`insert into releases (app_id, version, status, kind, commit, config, created_at, started_at, finished_at)
    select a.id, v, case when v = 3 then 'live' else 'superseded' end, 'push', md5(a.id::text || v::text) || '01234567',
      '{"SECRET":"x"}'::jsonb, now() - (4 - v) * interval '1 day', now() - (4 - v) * interval '1 day', now() - (4 - v) * interval '1 day' + interval '40 seconds'
    from apps a, generate_series(1, 3) v`;
  await sql`insert into release_services (release_id, name, type, image, port, memory_mb, cpus, replicas, "primary")
    select r.id, 'web', 'web', 'kyozo/bench:' || r.id, 3000, 256, '0.5', 1, true from releases r`;
  await sql`insert into replicas (release_id, service, index, container_id, host, port, state)
    select r.id, 'web', 0, md5(r.id::text), '127.0.0.1', 20000 + r.id, 'running' from releases r where r.status = 'live'`;
  await sql`insert into release_logs (release_id, line)
    select r.id, case when g % 50 = 0 then '-----> web: building with a generated Dockerfile (node)' when g % 97 = 0 then '! warning: something failed' else '       Step ' || g || ' : RUN npm ci' end
    from releases r, generate_series(1, 400) g`;
  let rows = 0;
  for (const [tier, step, span] of [
    ['1h', '1 hour', '30 days'],
    ['1m', '1 minute', '24 hours'],
    ['raw', '10 seconds', '1 hour'],
  ] as const) {
    const [{ count: a }] =
      await sql`with ins as (insert into metrics (tier, at, app, service, replica, cpu_pct, mem_bytes, mem_limit_bytes, pids, restarts)
      select ${tier}, ts, a.name, 'web', 'r0', 5 + 20 * random(), 50e6 + 20e6 * random(), 268435456, 12, 0
      from apps a, generate_series(date_trunc('minute', now()) - ${span}::interval, now(), ${step}::interval) ts returning 1) select count(*)::int from ins`;
    const [{ count: b }] =
      await sql`with ins as (insert into metrics (tier, at, app, service, replica, requests, s2xx, s5xx, p50_ms, p95_ms, p99_ms)
      select ${tier}, ts, a.name, 'web', '', 100 + (50 * random())::int, 100, (2 * random())::int, 5, 20 + 30 * random(), 80
      from apps a, generate_series(date_trunc('minute', now()) - ${span}::interval, now(), ${step}::interval) ts returning 1) select count(*)::int from ins`;
    await sql`insert into system_metrics (tier, at, cpu_pct, mem_used_bytes, mem_total_bytes, disk_used_bytes, disk_total_bytes, containers_running, containers_crashed)
      select ${tier}, ts, 30 * random(), 4e9, 16e9, 100e9, 500e9, ${n}, 0 from generate_series(now() - ${span}::interval, now(), ${step}::interval) ts`;
    rows += Number(a) + Number(b);
  }
  await sql`insert into events (at, app, type, level, actor_id, actor_email, message)
    select now() - g * interval '2 minutes', 'app-' || lpad((g % ${n})::text, 3, '0'), 'release.create', 'info', 1, 'admin@localhost', 'v' || g || ' queued'
    from generate_series(1, 20000) g`;
  await sql`insert into alerts (app, service, kind, key, severity, message)
    select 'app-' || lpad(i::text, 3, '0'), 'web', 'cpu', 'cpu:' || i, 'warning', 'CPU above 90%' from generate_series(0, 4) i`;
  return rows;
}
