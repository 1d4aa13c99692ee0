// The audit log with filters (app, type, level, time window) and an "older" cursor.
import { Badge, Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls, EventView } from './props.ts';
import { shortTime, tone } from './format.ts';

export interface EventsQuery {
  app?: string;
  type?: string;
  level?: string;
  since?: string;
}

export function EventRows(props: { events: EventView[] }) {
  if (props.events.length === 0) return <p class="empty">No events match.</p>;
  return (
    <table class="table" id="event-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Level</th>
          <th>App</th>
          <th>Type</th>
          <th>Who</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => (
          <tr data-type={e.type}>
            <td class="small mono" title={new Date(e.at).toISOString()}>
              {shortTime(e.at)}
            </td>
            <td>
              <Badge status={e.level} tone={tone(e.level)} />
            </td>
            <td>
              {e.app ? <a href={`/events?app=${e.app}`}>{e.app}</a> : <span class="muted">—</span>}
              {e.service ? <span class="muted">/{e.service}</span> : null}
              {e.deleted ? (
                <span class="muted small" title="this app was deleted; its name may belong to another app now">
                  {' '}
                  (deleted)
                </span>
              ) : null}
            </td>
            <td class="mono small">{e.type}</td>
            <td class="small">
              {e.actorEmail ?? (e.actorId ? `user #${e.actorId}` : 'kyozo')}
              {e.ip && <div class="muted">{e.ip}</div>}
            </td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EventsPage(props: {
  viewer: Viewer;
  assets: AssetUrls;
  events: EventView[];
  apps: string[];
  query: EventsQuery;
  nextBefore: number | null;
  error?: string | null;
  live?: boolean;
}) {
  const q = props.query;
  const older = new URLSearchParams(
    Object.entries({ ...q, before: String(props.nextBefore) }).filter(([, v]) => v) as [string, string][],
  );
  const filters = new URLSearchParams(Object.entries(q).filter(([, v]) => v) as [string, string][]);
  const rows = <EventRows events={props.events} />;
  return (
    <Layout assets={props.assets} title="Events" viewer={props.viewer} active="events">
      <h1>Events</h1>
      <form method="get" action="/events" class="inline filters card">
        <label class="inline-label">
          App
          <select name="app">
            <option value="">all</option>
            {props.apps.map((a) => (
              <option value={a} selected={q.app === a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label class="inline-label">
          Type
          <input type="text" name="type" value={q.type ?? ''} placeholder="e.g. rollback" class="mono" size={14} />
        </label>
        <label class="inline-label">
          Level
          <select name="level">
            <option value="">all</option>
            {['info', 'warning', 'error'].map((l) => (
              <option value={l} selected={q.level === l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label class="inline-label">
          Since
          <select name="since">
            <option value="">any time</option>
            {['1h', '24h', '7d', '30d'].map((s) => (
              <option value={s} selected={q.since === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="small">
          Filter
        </button>
      </form>
      {props.error && <p class="alert bad">{props.error}</p>}
      <section class="card">
        {props.live ? (
          <div hx-ext="sse" sse-connect={`/events/stream/log?${filters}`}>
            <div id="event-rows" sse-swap="events">
              {rows}
            </div>
          </div>
        ) : (
          rows
        )}
        {props.nextBefore && (
          <p>
            <a href={`/events?${older}`}>Older events →</a>
          </p>
        )}
      </section>
    </Layout>
  );
}
