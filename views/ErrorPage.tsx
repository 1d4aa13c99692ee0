// Error page (404, 4xx from an operation, 500) and the inline error used in htmx fragments.
import { Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls } from './props.ts';

export function ErrorPage(props: { status: number; message: string; assets: AssetUrls; viewer?: Viewer | null }) {
  return (
    <Layout assets={props.assets} title={props.status === 404 ? 'Not found' : 'Error'} viewer={props.viewer}>
      <section class="card narrow">
        <h1>{props.status === 404 ? 'Not found' : `Error ${props.status}`}</h1>
        <p class="alert bad" role="alert">
          {props.message}
        </p>
        <p>
          <a href="/apps">Back to apps</a>
        </p>
      </section>
    </Layout>
  );
}

export function InlineError(props: { message: string }) {
  return (
    <p class="alert bad" role="alert">
      {props.message}
    </p>
  );
}
