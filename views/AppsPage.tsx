// Apps: the list with status, the create form, and the git commands to copy after creating one.
import { Badge, Csrf, Layout, type Viewer } from './Layout.tsx';
import type { AppSummary, AssetUrls } from './props.ts';
import { ago, tone } from './format.ts';

export function GitInstructions(props: { name: string; gitUrl: string; url: string }) {
  return (
    <div class="alert good" id="created" data-testid="git-instructions">
      <p>
        App{' '}
        <a href={`/apps/${props.name}`}>
          <strong>{props.name}</strong>
        </a>{' '}
        created. Push a folder to deploy it (use an API token as the password):
      </p>
      <pre class="copy">{`git remote add kyozo ${props.gitUrl}\ngit push kyozo main`}</pre>
      <p class="small">
        It will be served at <a href={props.url}>{props.url}</a>. Or{' '}
        <a href={`/apps/${props.name}/deploy`}>deploy a folder from the browser</a>.
      </p>
    </div>
  );
}

export function AppList(props: { apps: AppSummary[]; oob?: boolean }) {
  const oob = props.oob ? 'true' : undefined;
  if (props.apps.length === 0)
    return (
      <p class="empty" id="app-list" hx-swap-oob={oob}>
        No apps yet. Create one above.
      </p>
    );
  return (
    <table class="table" id="app-list" hx-swap-oob={oob}>
      <thead>
        <tr>
          <th>App</th>
          <th>Status</th>
          <th>Live</th>
          <th>Services</th>
          <th>Replicas</th>
          <th>Last release</th>
        </tr>
      </thead>
      <tbody>
        {props.apps.map((a) => (
          <tr>
            <td>
              <a href={`/apps/${a.name}`}>
                <strong>{a.name}</strong>
              </a>
            </td>
            <td>
              <Badge status={a.status} tone={tone(a.status)} />
            </td>
            <td>{a.liveVersion ? `v${a.liveVersion}` : '—'}</td>
            <td>{a.services}</td>
            <td>
              {a.running}/{a.replicas}
              {a.crashed > 0 && <span class="badge bad">{a.crashed} crashed</span>}
            </td>
            <td>
              {a.latestVersion ? (
                <>
                  v{a.latestVersion} <Badge status={a.latestStatus ?? ''} tone={tone(a.latestStatus)} />{' '}
                  {ago(a.latestAt)}
                </>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CreateAppForm(props: {
  csrf: string;
  error?: string | null;
  value?: string;
  created?: { name: string; gitUrl: string; url: string } | null;
}) {
  return (
    <div id="create-app">
      <form method="post" action="/apps" hx-post="/apps" hx-target="#create-app" hx-swap="outerHTML" class="inline">
        <Csrf token={props.csrf} />
        <input
          type="text"
          name="name"
          placeholder="app name (a-z, 0-9, -)"
          required
          pattern="[a-z][a-z0-9-]{0,62}"
          value={props.value ?? ''}
          aria-label="App name"
        />
        <button type="submit" class="primary">
          Create app
        </button>
      </form>
      {props.error && (
        <p class="alert bad" role="alert">
          {props.error}
        </p>
      )}
      {props.created && <GitInstructions {...props.created} />}
    </div>
  );
}

export function AppsPage(props: {
  viewer: Viewer;
  assets: AssetUrls;
  apps: AppSummary[];
  error?: string | null;
  value?: string;
  created?: { name: string; gitUrl: string; url: string } | null;
}) {
  return (
    <Layout assets={props.assets} title="Apps" viewer={props.viewer} active="apps">
      <h1>Apps</h1>
      <section class="card">
        <CreateAppForm csrf={props.viewer.csrf} error={props.error} value={props.value} created={props.created} />
      </section>
      <section class="card">
        <AppList apps={props.apps} />
      </section>
    </Layout>
  );
}
