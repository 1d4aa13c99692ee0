// Config vars: values masked until revealed (one request per reveal), set and unset forms.
import { Csrf } from './Layout.tsx';

export function ConfigRow(props: { app: string; name: string; value: string; revealed: boolean; csrf: string }) {
  const base = `/apps/${props.app}/config`;
  const q = `key=${encodeURIComponent(props.name)}`;
  return (
    <tr id={`config-${props.name}`}>
      <td class="mono">{props.name}</td>
      <td class="mono">
        {props.revealed ? (
          <span data-testid="config-value">{props.value}</span>
        ) : (
          <a
            href={`/apps/${props.app}?reveal=${encodeURIComponent(props.name)}#config`}
            hx-get={`${base}/reveal?${q}`}
            hx-target={`#config-${props.name}`}
            hx-swap="outerHTML"
            class="masked"
          >
            •••••••• reveal
          </a>
        )}
      </td>
      <td class="actions">
        <form
          method="post"
          action={`${base}/unset`}
          hx-post={`${base}/unset`}
          hx-target="#config"
          hx-swap="innerHTML"
          hx-confirm={`Unset ${props.name}?`}
        >
          <Csrf token={props.csrf} />
          <input type="hidden" name="key" value={props.name} />
          <button type="submit" class="danger small">
            Unset
          </button>
        </form>
      </td>
    </tr>
  );
}

export function ConfigEditor(props: {
  app: string;
  config: Record<string, string>;
  csrf: string;
  reveal?: string | null;
  message?: string | null;
  error?: string | null;
}) {
  const keys = Object.keys(props.config).sort();
  const base = `/apps/${props.app}/config`;
  return (
    <>
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
      {keys.length === 0 ? (
        <p class="empty">No config vars.</p>
      ) : (
        <table class="table">
          <tbody>
            {keys.map((k) => (
              <ConfigRow
                app={props.app}
                name={k}
                value={props.config[k]}
                revealed={props.reveal === k}
                csrf={props.csrf}
              />
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={base} hx-post={base} hx-target="#config" hx-swap="innerHTML" class="inline">
        <Csrf token={props.csrf} />
        <input
          type="text"
          name="key"
          placeholder="KEY"
          required
          pattern="[A-Za-z_][A-Za-z0-9_]*"
          class="mono"
          aria-label="Config key"
        />
        <input type="password" name="value" placeholder="value" autocomplete="off" aria-label="Config value" />
        <button type="submit">Set</button>
      </form>
      <p class="small muted">Setting or unsetting a var rolls out a new release of the live images (no rebuild).</p>
    </>
  );
}
