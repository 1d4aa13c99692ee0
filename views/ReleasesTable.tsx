// Releases of an app, newest first: status, kind, duration, log link and a rollback button.
import { Badge, Csrf } from './Layout.tsx';
import { ago, duration, tone } from './format.ts';
import type { ReleaseView } from './props.ts';

export function describeRelease(r: ReleaseView): string {
  if (r.kind === 'push') return r.commit ? `push ${r.commit.slice(0, 7)}` : 'push';
  if (r.kind === 'rollback') return `rollback to v${r.baseVersion}`;
  if (r.kind === 'config') return `config change (images of v${r.baseVersion})`;
  return `${r.kind}${r.baseVersion ? ` of v${r.baseVersion}` : ''}`;
}

export function ReleaseRow(props: { app: string; release: ReleaseView; csrf: string }) {
  const r = props.release;
  const canRollback = r.status === 'superseded';
  return (
    <tr id={`release-${r.version}`} data-status={r.status}>
      <td>
        <a href={`/apps/${props.app}/releases/${r.version}`}>
          <strong>v{r.version}</strong>
        </a>
      </td>
      <td>
        <Badge status={r.status} tone={tone(r.status)} />
      </td>
      <td>
        {describeRelease(r)}
        {r.error && (
          <div class="small bad-text ellipsis" title={r.error}>
            {r.error}
          </div>
        )}
      </td>
      <td title={new Date(r.createdAt).toISOString()}>{ago(r.createdAt)}</td>
      <td>{duration(r.startedAt ?? r.createdAt, r.finishedAt)}</td>
      <td class="actions">
        <a href={`/apps/${props.app}/releases/${r.version}`} class="small">
          Log
        </a>
        {canRollback && (
          <form
            method="post"
            action={`/apps/${props.app}/rollback`}
            hx-post={`/apps/${props.app}/rollback`}
            hx-target="#releases"
            hx-swap="innerHTML"
            hx-confirm={`Roll back to v${r.version}?`}
          >
            <Csrf token={props.csrf} />
            <input type="hidden" name="version" value={String(r.version)} />
            <button type="submit" class="small">
              Roll back
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

export function ReleasesTable(props: { app: string; releases: ReleaseView[]; csrf: string; message?: string | null }) {
  return (
    <>
      {props.message && (
        <p class="alert good" role="status">
          {props.message}
        </p>
      )}
      {props.releases.length === 0 ? (
        <p class="empty">No releases yet.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>Version</th>
              <th>Status</th>
              <th>What</th>
              <th>Created</th>
              <th>Duration</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.releases.map((r) => (
              <ReleaseRow app={props.app} release={r} csrf={props.csrf} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
