// Sign-in form (email + password; an API token works as the password too).
import { Layout } from './Layout.tsx';
import type { AssetUrls } from './props.ts';

export function LoginPage(props: {
  assets: AssetUrls;
  csrf: string;
  next: string;
  email?: string;
  error?: string | null;
}) {
  return (
    <Layout assets={props.assets} title="Sign in">
      <section class="card narrow">
        <h1>Sign in</h1>
        {props.error && (
          <p class="alert bad" role="alert">
            {props.error}
          </p>
        )}
        <form method="post" action="/login" class="stack">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            Email
            <input type="email" name="email" required autocomplete="username" value={props.email ?? ''} autofocus />
          </label>
          <label>
            Password
            <input type="password" name="password" required autocomplete="current-password" />
          </label>
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
        <p class="muted small">
          First sign-in: email <code>admin@localhost</code>, password = the admin API token Kyozo printed on first start
          (or <code>KYOZO_ADMIN_PASSWORD</code>). Then set a password on the Account page.
        </p>
      </section>
    </Layout>
  );
}
