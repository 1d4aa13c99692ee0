// One app: URLs, services as cards, releases with rollback, config editor — kept live over SSE.
import { ConfigEditor } from './ConfigEditor.tsx';
import { Badge, Csrf, Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls, ReleaseView, ServiceStats } from './props.ts';
import { ReleasesTable } from './ReleasesTable.tsx';
import { ServiceCards, type Controls, type ServiceView } from './ServiceCard.tsx';
import { tone } from './format.ts';

export interface AppView {
  name: string;
  status: string;
  url: string;
  gitUrl: string;
  liveRelease: { version: number } | null;
  services: ServiceView[];
}

export interface AppPageProps {
  viewer: Viewer;
  assets: AssetUrls;
  app: AppView;
  releases: ReleaseView[];
  config: Record<string, string>;
  stats: Map<string, ServiceStats>;
  controls: Controls;
  reveal?: string | null;
}

export function AppHeader(props: { app: AppView }) {
  const a = props.app;
  return (
    <div class="row" id="app-status">
      <Badge status={a.status} tone={tone(a.status)} />
      <span class="muted">{a.liveRelease ? `v${a.liveRelease.version} live` : 'nothing live'}</span>
    </div>
  );
}

export function AppPage(props: AppPageProps) {
  const a = props.app;
  const csrf = props.viewer.csrf;
  return (
    <Layout assets={props.assets} title={a.name} viewer={props.viewer} active="apps">
      <div hx-ext="sse" sse-connect={`/events/stream/apps/${a.name}`}>
        <div class="row spread">
          <div class="row">
            <h1>{a.name}</h1>
            <div sse-swap="status">
              <AppHeader app={a} />
            </div>
          </div>
          <nav class="row">
            <a class="button primary" href={`/apps/${a.name}/deploy`}>
              Deploy a folder
            </a>
            <a class="button" href={`/metrics?app=${a.name}`}>
              Metrics
            </a>
            <a class="button" href={`/events?app=${a.name}`}>
              Events
            </a>
          </nav>
        </div>
        <section class="card">
          <dl class="kv">
            <dt>URL</dt>
            <dd>
              <a href={a.url} data-testid="app-url">
                {a.url}
              </a>
            </dd>
            <dt>Git</dt>
            <dd>
              <pre class="copy">{`git remote add kyozo ${a.gitUrl}\ngit push kyozo main`}</pre>
            </dd>
          </dl>
        </section>
        <h2>Services</h2>
        <div id="services" sse-swap="services">
          <ServiceCards app={a.name} services={a.services} stats={props.stats} controls={props.controls} csrf={csrf} />
        </div>
        <h2>Releases</h2>
        <section class="card" id="releases" sse-swap="releases">
          <ReleasesTable app={a.name} releases={props.releases} csrf={csrf} />
        </section>
      </div>
      <h2>Config vars</h2>
      <section class="card" id="config">
        <ConfigEditor app={a.name} config={props.config} csrf={csrf} reveal={props.reveal} />
      </section>
      <section class="card danger-zone">
        <form
          method="post"
          action={`/apps/${a.name}/delete`}
          hx-post={`/apps/${a.name}/delete`}
          hx-confirm={`Delete ${a.name}, its containers, images and repository?`}
          class="row"
        >
          <Csrf token={csrf} />
          <span>Delete this app with its containers, images, route and repository.</span>
          <button type="submit" class="danger">
            Delete app
          </button>
        </form>
      </section>
    </Layout>
  );
}
