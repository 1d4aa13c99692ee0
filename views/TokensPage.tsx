// Account: API tokens (create — shown once —, list, revoke) and the console password.
import { Csrf, Layout, type Viewer } from './Layout.tsx';
import { shortTime } from './format.ts';
import type { AssetUrls } from './props.ts';

export interface TokenRow {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function TokenList(props: {
  tokens: TokenRow[];
  csrf: string;
  created?: { name: string; token: string } | null;
}) {
  return (
    <div id="tokens">
      {props.created && (
        <div class="alert good" role="status">
          <p>
            Token <strong>{props.created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <pre class="copy" data-testid="new-token">
            {props.created.token}
          </pre>
        </div>
      )}
      <table class="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr>
              <td>{t.name}</td>
              <td>{shortTime(t.createdAt)}</td>
              <td>{shortTime(t.lastUsedAt)}</td>
              <td>{t.revokedAt ? <span class="badge muted">revoked</span> : <span class="badge good">active</span>}</td>
              <td>
                {!t.revokedAt && (
                  <form
                    method="post"
                    action={`/tokens/${t.id}/revoke`}
                    hx-post={`/tokens/${t.id}/revoke`}
                    hx-target="#tokens"
                    hx-swap="outerHTML"
                    hx-confirm={`Revoke token "${t.name}"?`}
                  >
                    <Csrf token={props.csrf} />
                    <button type="submit" class="danger small">
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TokensPage(props: {
  viewer: Viewer;
  assets: AssetUrls;
  tokens: TokenRow[];
  created?: { name: string; token: string } | null;
  message?: string | null;
  error?: string | null;
}) {
  const { csrf } = props.viewer;
  return (
    <Layout assets={props.assets} title="Account" viewer={props.viewer} active="tokens">
      <h1>Account</h1>
      {props.message && (
        <p class="alert good" role="status">
          {props.message}
        </p>
      )}
      {props.error && (
        <p class="alert bad" role="alert">
          {props.error}
        </p>
      )}
      <section class="card">
        <h2>API tokens</h2>
        <p class="muted">
          Use a token as <code>Authorization: Bearer …</code> for the API and as the password of git remotes.
        </p>
        <form method="post" action="/tokens" hx-post="/tokens" hx-target="#tokens" hx-swap="outerHTML" class="inline">
          <Csrf token={csrf} />
          <input type="text" name="name" placeholder="token name, e.g. ci" required maxlength={100} />
          <button type="submit" class="primary">
            Create token
          </button>
        </form>
        <TokenList tokens={props.tokens} csrf={csrf} created={props.created} />
      </section>
      <section class="card">
        <h2>Password</h2>
        <form method="post" action="/account/password" class="stack narrow">
          <Csrf token={csrf} />
          <label>
            New password (10+ characters)
            <input type="password" name="password" required minlength={10} autocomplete="new-password" />
          </label>
          <label>
            Repeat
            <input type="password" name="confirm" required minlength={10} autocomplete="new-password" />
          </label>
          <button type="submit">Set password</button>
        </form>
      </section>
    </Layout>
  );
}
