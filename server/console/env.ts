// Hono environment of the console router and request helpers shared by its pages.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Principal } from '../db/users.ts';
import type { AppEnv } from '../http/loadApp.ts';
import type { OpsDeps } from '../ops/deps.ts';
import type { AssetUrls } from '../../views/props.ts';

export type ConsoleEnv = { Variables: { principal: Principal; csrf: string; sessionHash: string } };
/** The console routers' dependencies: the ops ones plus the layout's asset URLs (read once by consoleRouter). */
export type ConsoleDeps = OpsDeps & { assets: AssetUrls };
export type Ctx = Context<ConsoleEnv>;
/** The context of a route behind requireApp: c.get('app') is the `:name` app. */
export type AppCtx = Context<ConsoleEnv & AppEnv>;

export const isHtmx = (c: Context) => c.req.header('hx-request') === 'true';

export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/** The layout's view of the signed-in user: name in the header, CSRF token for forms and htmx. */
export const viewer = (c: Pick<Ctx, 'get'>) => ({
  email: c.get('principal').email,
  isAdmin: c.get('principal').isAdmin,
  csrf: c.get('csrf'),
});

/** A form field as a trimmed string ('' when absent or a file). */
export function formString(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}
