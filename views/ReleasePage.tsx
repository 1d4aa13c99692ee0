// A release: status, duration, filters, and the build/deploy log — streamed live over SSE while it runs.
import { Badge, Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls, LogFilter, LogLine, ReleaseView } from './props.ts';
import { describeRelease } from './ReleasesTable.tsx';
import { duration, shortTime, tone } from './format.ts';

export function LogLineView(props: { line: LogLine }) {
  const l = props.line;
  return (
    <div class={`log-line ${l.level}`} data-type={l.type} data-service={l.service ?? ''}>
      {l.text || ' '}
    </div>
  );
}

export function LogLines(props: { lines: LogLine[] }) {
  return (
    <>
      {props.lines.map((l) => (
        <LogLineView line={l} />
      ))}
    </>
  );
}

export function ReleaseStatus(props: { release: ReleaseView }) {
  const r = props.release;
  return (
    <span id="release-status" class="row">
      <Badge status={r.status} tone={tone(r.status)} />
      <span class="muted small">{duration(r.startedAt ?? r.createdAt, r.finishedAt)}</span>
      {r.error && <span class="bad-text small">{r.error}</span>}
      {['queued', 'building', 'deploying'].includes(r.status) && (
        <span class="muted small" id="live-note">
          streaming live…
        </span>
      )}
    </span>
  );
}

function Select(props: { name: string; value?: string; options: string[]; label: string }) {
  return (
    <label class="inline-label">
      {props.label}
      <select name={props.name}>
        <option value="">all</option>
        {props.options.map((o) => (
          <option value={o} selected={props.value === o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface ReleasePageProps {
  viewer: Viewer;
  assets: AssetUrls;
  app: string;
  release: ReleaseView;
  lines: LogLine[];
  /** Count of log lines read so far (filtered or not): the live stream continues after it. */
  after: number;
  live: boolean;
  services: string[];
  filter: LogFilter;
  filterQuery: string;
}

export function ReleasePage(props: ReleasePageProps) {
  const r = props.release;
  const base = `/apps/${props.app}/releases/${r.version}`;
  const stream = `/events/stream/apps/${props.app}/releases/${r.version}?after=${props.after}${props.filterQuery}`;
  return (
    <Layout assets={props.assets} title={`${props.app} v${r.version}`} viewer={props.viewer} active="apps">
      <p class="crumbs">
        <a href="/apps">Apps</a> / <a href={`/apps/${props.app}`}>{props.app}</a> / v{r.version}
      </p>
      <div
        hx-ext={props.live ? 'sse' : undefined}
        sse-connect={props.live ? stream : undefined}
        sse-close={props.live ? 'done' : undefined}
      >
        <div class="row spread">
          <h1>Release v{r.version}</h1>
          <div sse-swap={props.live ? 'status' : undefined}>
            <ReleaseStatus release={r} />
          </div>
        </div>
        <p class="muted">
          {describeRelease(r)} · created {shortTime(r.createdAt)}
        </p>
        <form method="get" action={base} class="inline filters">
          <Select name="service" label="Service" value={props.filter.service} options={props.services} />
          <Select
            name="type"
            label="Event"
            value={props.filter.type}
            options={['release', 'analysis', 'build', 'deploy']}
          />
          <Select name="level" label="Level" value={props.filter.level} options={['info', 'warning', 'error']} />
          <button type="submit" class="small">
            Filter
          </button>
          <a class="button small" href={`${base}/log.txt`} download>
            Download log
          </a>
        </form>
        <section
          class="log"
          id="log"
          data-live={props.live ? 'true' : 'false'}
          sse-swap={props.live ? 'line' : undefined}
          hx-swap="beforeend"
        >
          <LogLines lines={props.lines} />
        </section>
      </div>
    </Layout>
  );
}
