// Orchestration overview: totals, host gauges, apps, recent releases and open alerts — each a fragment
// the page's SSE stream re-sends when it changes.
import { AppList } from './AppsPage.tsx';
import { Badge, Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls, Overview } from './props.ts';
import { describeRelease } from './ReleasesTable.tsx';
import { ago, bytes, pct, tone } from './format.ts';

function Stat(props: { label: string; value: string | number; sub?: string; tone?: string }) {
  return (
    <div class="stat">
      <div class={`value ${props.tone ?? ''}`}>{props.value}</div>
      <div class="label">
        {props.label}
        {props.sub && <> · {props.sub}</>}
      </div>
    </div>
  );
}

export function OverviewStats(props: { data: Overview }) {
  const { totals: t, host: h } = props.data;
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? (a / b) * 100 : null);
  return (
    <div class="stats">
      <Stat label="Apps" value={t.apps} sub={`${t.live} live${t.deploying ? `, ${t.deploying} deploying` : ''}`} />
      <Stat label="Services" value={t.services} />
      <Stat label="Replicas running" value={t.running} />
      <Stat label="Crashed" value={t.crashed} tone={t.crashed ? 'bad-text' : ''} />
      {props.data.showHost && (
        <>
          <Stat label="Host CPU" value={pct(h?.cpuPct)} sub={h ? undefined : 'no data yet'} />
          <Stat
            label="Host memory"
            value={pct(ratio(h?.memUsedBytes, h?.memTotalBytes))}
            sub={h ? `${bytes(h.memUsedBytes)} / ${bytes(h.memTotalBytes)}` : 'no data yet'}
          />
          <Stat
            label="Disk"
            value={pct(ratio(h?.diskUsedBytes, h?.diskTotalBytes))}
            sub={h ? `${bytes(h.diskUsedBytes)} / ${bytes(h.diskTotalBytes)}` : 'no data yet'}
          />
        </>
      )}
    </div>
  );
}

export function RecentReleases(props: { data: Overview }) {
  if (props.data.recent.length === 0) return <p class="empty">No releases yet.</p>;
  return (
    <ul class="list">
      {props.data.recent.map((r) => (
        <li>
          <a href={`/apps/${r.app}/releases/${r.version}`}>
            <strong>{r.app}</strong> v{r.version}
          </a>{' '}
          <Badge status={r.status} tone={tone(r.status)} />
          <span class="muted small">
            {describeRelease(r)} · {ago(r.createdAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function OpenAlerts(props: { data: Overview }) {
  if (props.data.alerts.length === 0) return <p class="empty">No open alerts.</p>;
  return (
    <ul class="list">
      {props.data.alerts.map((a) => (
        <li>
          <Badge status={a.severity} tone={tone(a.severity)} />{' '}
          <strong>
            {a.app ?? 'host'}
            {a.service ? `/${a.service}` : ''}
          </strong>{' '}
          {a.message} <span class="muted small">{ago(a.openedAt)}</span>
        </li>
      ))}
    </ul>
  );
}

export function OverviewPage(props: { viewer: Viewer; assets: AssetUrls; data: Overview }) {
  return (
    <Layout assets={props.assets} title="Overview" viewer={props.viewer} active="overview">
      <div hx-ext="sse" sse-connect="/events/stream/overview">
        <h1>Overview</h1>
        <div sse-swap="stats">
          <OverviewStats data={props.data} />
        </div>
        <div class="overview-grid">
          <section class="card">
            <h2>Apps</h2>
            <div sse-swap="apps">
              <AppList apps={props.data.apps} />
            </div>
          </section>
          <div class="stack">
            <section class="card">
              <h2>Open alerts</h2>
              <div sse-swap="alerts">
                <OpenAlerts data={props.data} />
              </div>
            </section>
            <section class="card">
              <h2>Recent releases</h2>
              <div sse-swap="releases">
                <RecentReleases data={props.data} />
              </div>
            </section>
          </div>
        </div>
      </div>
    </Layout>
  );
}
