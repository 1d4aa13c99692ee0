// Sign in / out, API tokens and the password: the account side of the console.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticatePassword, setPassword } from '../auth/accounts.ts';
import { passwordError } from '../auth/password.ts';
import { recordEvent } from '../db/events.ts';
import { issueToken, listTokens, revokeToken } from '../db/users.ts';
import { intParam } from '../http/json.ts';
import { LoginPage } from '../../views/LoginPage.tsx';
import { TokenList, TokensPage } from '../../views/TokensPage.tsx';
import { clientIp, formString, isHtmx, isHttps, viewer, type ConsoleDeps, type ConsoleEnv, type Ctx } from './env.ts';
import { requireSession } from './middleware.ts';
import { SlidingWindowLimiter } from './rateLimit.ts';
import {
  createSession,
  deleteOtherSessions,
  deleteSession,
  loadSession,
  randomToken,
  sameToken,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from './sessions.ts';

const LOGIN_CSRF = 'kz_login_csrf';
const safeNext = (n: string) => (n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/\\') ? n : '/');

export function authRouter(deps: ConsoleDeps, limiter = new SlidingWindowLimiter(10, 60_000)) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);

  const loginForm = (
    c: Ctx,
    status: 200 | 401 | 403 | 429,
    extra: { email?: string; error?: string; next?: string } = {},
  ) => {
    let token = getCookie(c, LOGIN_CSRF);
    if (!token || token.length !== 43) {
      token = randomToken();
      setCookie(c, LOGIN_CSRF, token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        path: '/login',
        maxAge: 3600,
      });
    }
    c.header('Cache-Control', 'no-store');
    return c.html(
      <LoginPage
        assets={deps.assets}
        csrf={token}
        next={safeNext(extra.next ?? c.req.query('next') ?? '/')}
        email={extra.email}
        error={extra.error}
      />,
      status,
    );
  };

  r.get('/login', async (c) => {
    if (await loadSession(db, getCookie(c, SESSION_COOKIE))) return c.redirect('/', 303);
    return loginForm(c, 200);
  });

  r.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const email = formString(body, 'email').toLowerCase();
    const next = formString(body, 'next');
    if (!sameToken(formString(body, '_csrf'), getCookie(c, LOGIN_CSRF) ?? ''))
      return loginForm(c, 403, { email, next, error: 'The form expired; please try again.' });
    const ip = clientIp(c);
    const key = `${ip}|${email}`;
    if (!limiter.take(key)) {
      c.header('Retry-After', String(limiter.retryAfter(key)));
      return loginForm(c, 429, { email, next, error: 'Too many sign-in attempts. Wait a minute and try again.' });
    }
    const principal = await authenticatePassword(db, email, typeof body.password === 'string' ? body.password : '');
    if (!principal) {
      await recordEvent(db, {
        type: 'login.failed',
        level: 'warning',
        message: `failed sign-in for ${email.slice(0, 100)}`,
        ip,
      });
      return loginForm(c, 401, { email, next, error: 'Wrong email or password.' });
    }
    limiter.reset(key);
    const { id } = await createSession(db, principal.userId, { ip, userAgent: c.req.header('user-agent') });
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c),
      path: '/',
      maxAge: SESSION_TTL_MS / 1000,
    });
    deleteCookie(c, LOGIN_CSRF, { path: '/login' });
    await recordEvent(db, {
      type: 'login',
      message: `${principal.email} signed in to the console`,
      actor: principal,
      ip,
    });
    return c.redirect(safeNext(next), 303);
  });

  r.post('/logout', auth, async (c) => {
    await deleteSession(db, c.get('sessionHash'));
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    return c.redirect('/login', 303);
  });

  const tokensOf = (c: { get(k: 'principal'): ConsoleEnv['Variables']['principal'] }) =>
    listTokens(db, c.get('principal').userId);

  r.get('/tokens', auth, async (c) =>
    c.html(<TokensPage viewer={viewer(c)} assets={deps.assets} tokens={await tokensOf(c)} />),
  );

  r.post('/tokens', auth, async (c) => {
    const name = formString(await c.req.parseBody(), 'name').slice(0, 100) || 'console';
    const p = c.get('principal');
    const created = { name, token: (await issueToken(db, p.userId, name)).token };
    await recordEvent(db, { type: 'token.create', message: `token "${name}" created`, actor: p, ip: clientIp(c) });
    const tokens = await tokensOf(c);
    if (isHtmx(c)) return c.html(<TokenList tokens={tokens} csrf={c.get('csrf')} created={created} />);
    return c.html(<TokensPage viewer={viewer(c)} assets={deps.assets} tokens={tokens} created={created} />);
  });

  r.post('/tokens/:id/revoke', auth, async (c) => {
    const p = c.get('principal');
    const ok = await revokeToken(db, p.userId, intParam(c.req.param('id'), 'token id'));
    if (ok)
      await recordEvent(db, {
        type: 'token.revoke',
        message: `token #${c.req.param('id')} revoked`,
        actor: p,
        ip: clientIp(c),
      });
    const tokens = await tokensOf(c);
    if (isHtmx(c)) return c.html(<TokenList tokens={tokens} csrf={c.get('csrf')} />, ok ? 200 : 404);
    return c.html(
      <TokensPage
        viewer={viewer(c)}
        assets={deps.assets}
        tokens={tokens}
        message={ok ? 'Token revoked.' : null}
        error={ok ? null : 'No such token.'}
      />,
      ok ? 200 : 404,
    );
  });

  r.post('/account/password', auth, async (c) => {
    const body = await c.req.parseBody();
    const password = typeof body.password === 'string' ? body.password : '';
    const err = passwordError(password) ?? (password !== body.confirm ? 'the two passwords differ' : null);
    const p = c.get('principal');
    if (!err) {
      await setPassword(db, p.userId, password);
      await deleteOtherSessions(db, p.userId, c.get('sessionHash'));
      await recordEvent(db, {
        type: 'password.set',
        message: `${p.email} set a console password`,
        actor: p,
        ip: clientIp(c),
      });
    }
    return c.html(
      <TokensPage
        viewer={viewer(c)}
        assets={deps.assets}
        tokens={await tokensOf(c)}
        message={err ? null : 'Password saved.'}
        error={err}
      />,
      err ? 400 : 200,
    );
  });
  return r;
}
