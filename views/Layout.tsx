// The page shell: head with the versioned assets (URLs from the console), top navigation, CSRF token for htmx
// on <body>.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { AssetUrls } from './props.ts';

export interface Viewer {
  email: string;
  isAdmin: boolean;
  csrf: string;
}

// 4xx/5xx responses are swapped too (the console answers errors with an inline message and HX-Retarget).
// The console's CSP (server/http/securityHeaders.ts) allows no eval and no inline style: htmx must not
// evaluate attributes or inject its indicator style element (the indicator rules are in console.css).
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: true, error: true },
  ],
});

const NAV = [
  ['overview', '/', 'Overview'],
  ['apps', '/apps', 'Apps'],
  ['metrics', '/metrics', 'Metrics'],
  ['events', '/events', 'Events'],
  ['tokens', '/tokens', 'Account'],
] as const;

export function Layout(props: {
  title: string;
  assets: AssetUrls;
  viewer?: Viewer | null;
  active?: string;
  children?: Child;
}) {
  const v = props.viewer;
  const a = props.assets;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title} · Kyozo</title>
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <link rel="stylesheet" href={a.css} />
          <script src={a.htmx} defer></script>
          <script src={a.sse} defer></script>
          <script src={a.js} defer></script>
        </head>
        <body hx-headers={v ? JSON.stringify({ 'X-CSRF-Token': v.csrf }) : undefined}>
          <header class="top">
            <a class="brand" href="/">
              Kyozo
            </a>
            {v && (
              <nav>
                {NAV.map(([key, href, label]) => (
                  <a href={href} class={props.active === key ? 'active' : undefined}>
                    {label}
                  </a>
                ))}
              </nav>
            )}
            {v && (
              <form method="post" action="/logout" class="signout">
                <input type="hidden" name="_csrf" value={v.csrf} />
                <span class="muted">{v.email}</span>
                <button type="submit" class="link">
                  Sign out
                </button>
              </form>
            )}
          </header>
          <main>
            <div id="flash" aria-live="polite"></div>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function Badge(props: { status: string; tone: string }) {
  return <span class={`badge ${props.tone}`}>{props.status}</span>;
}

/** A horizontal bar filled to `fill` percent: an SVG rect's width attribute, not an inline style (CSP). */
export function BarTrack(props: { fill: number; tone: string }) {
  return (
    <svg class="bar-track" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
      <rect class={`bar-fill ${props.tone}`} width={props.fill.toFixed(1)} height="1" />
    </svg>
  );
}
