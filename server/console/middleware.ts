// Console authorization: a valid session cookie on every page, fragment and stream; a valid CSRF token
// (hidden `_csrf` field or `X-CSRF-Token` header, sent by htmx from <body hx-headers>) on every non-GET.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../db/client.ts';
import { NotFound } from '../http/errors.ts';
import { appNotFoundMessage, loadApp } from '../http/loadApp.ts';
import type { ConsoleEnv } from './env.ts';
import { isHtmx } from './env.ts';
import { loadSession, sameToken, SESSION_COOKIE } from './sessions.ts';

const SAFE = new Set(['GET', 'HEAD']);

export function requireSession(db: Db): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = await loadSession(db, getCookie(c, SESSION_COOKIE));
    const method = c.req.method;
    if (!session) {
      if (!SAFE.has(method)) return c.text('Forbidden: sign in first', 403);
      const url = new URL(c.req.url);
      const login = `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
      if (isHtmx(c)) {
        c.header('HX-Redirect', login);
        return c.text('Sign in first', 401);
      }
      if (c.req.header('accept')?.includes('text/event-stream')) return c.text('Sign in first', 401);
      return c.redirect(login, 303);
    }
    if (!SAFE.has(method)) {
      let token = c.req.header('x-csrf-token');
      if (!token) {
        const type = c.req.header('content-type') ?? '';
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
          const body = await c.req.parseBody({ all: true });
          token = typeof body._csrf === 'string' ? body._csrf : undefined;
        }
      }
      if (!sameToken(token, session.csrfToken)) return c.text('Forbidden: missing or invalid CSRF token', 403);
    }
    c.set('principal', session.principal);
    c.set('csrf', session.csrfToken);
    c.set('sessionHash', session.idHash);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/** loadApp for console routes (after requireSession): a missing or someone else's app is the 404 page. */
export const requireApp = (db: Db) =>
  loadApp(db, (_c, name) => {
    throw new NotFound(appNotFoundMessage(name));
  });
