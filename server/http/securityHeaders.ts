// Response headers against framing, MIME sniffing and injected script/style: every response gets nosniff and
// same-origin referrers; everything outside /api and /internal (console pages, fragments, SSE, assets) also
// gets a strict CSP and X-Frame-Options DENY. The console needs nothing more: htmx, the SSE extension and
// console.js are same-origin files, htmx runs with allowEval=false and includeIndicatorStyles=false
// (views/Layout.tsx), and views carry no inline script, event handler or style attribute.
import type { MiddlewareHandler } from 'hono';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'same-origin');
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/') || path.startsWith('/internal/')) return;
    h.set('Content-Security-Policy', CONSOLE_CSP);
    h.set('X-Frame-Options', 'DENY');
  };
}
