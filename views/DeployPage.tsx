// Deploy a folder: drop a folder (or pick one, or a .zip/.tar.gz) → analysis view → Deploy.
// Chromium accepts a dropped folder on a webkitdirectory input, so the drop zone needs no script of its own.
import type { Child } from 'hono/jsx';
import { Csrf, Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls } from './props.ts';

export function DeployPage(props: {
  viewer: Viewer;
  assets: AssetUrls;
  app: string;
  maxMb: number;
  error?: string | null;
  children?: Child;
}) {
  const action = `/apps/${props.app}/deploy`;
  return (
    <Layout assets={props.assets} title={`Deploy ${props.app}`} viewer={props.viewer} active="apps">
      <p class="crumbs">
        <a href="/apps">Apps</a> / <a href={`/apps/${props.app}`}>{props.app}</a> / deploy
      </p>
      <h1>Deploy a folder to {props.app}</h1>
      <section class="card">
        <form
          method="post"
          action={action}
          enctype="multipart/form-data"
          hx-post={action}
          hx-encoding="multipart/form-data"
          hx-target="#analysis"
          hx-swap="innerHTML"
          hx-trigger="submit, change"
          hx-indicator="#uploading"
          class="stack"
        >
          <Csrf token={props.viewer.csrf} />
          <label class="dropzone" data-testid="dropzone">
            <strong>Drop a folder here</strong> or click to pick one
            <br />
            <span class="muted small">The analysis appears below (without JavaScript: press Analyze).</span>
            <input type="file" name="files" webkitdirectory multiple data-testid="folder-input" />
          </label>
          <label class="row small">
            Or an archive (.zip, .tar.gz):
            <input type="file" name="archive" accept=".zip,.tar.gz,.tgz" data-testid="archive-input" />
          </label>
          <div class="row">
            <button type="submit">Analyze</button>
            <span class="muted small">
              Up to {props.maxMb} MiB. <code>.git</code>, paths leaving the folder and symlinks pointing outside it are
              refused.
            </span>
            <span id="uploading" class="htmx-indicator muted small">
              Uploading and analyzing…
            </span>
          </div>
        </form>
      </section>
      <section id="analysis">
        {props.error && (
          <p class="alert bad" role="alert">
            {props.error}
          </p>
        )}
        {props.children}
      </section>
    </Layout>
  );
}
