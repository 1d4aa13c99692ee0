// The app named by `:name`, loaded once per request for the JSON API and the console alike: the principal
// sees it if it is theirs or they are an admin (db/apps.ts getApp); anyone else gets the surface's 404.
import type { Context, MiddlewareHandler } from 'hono';
import { getApp, type App } from '../db/apps.ts';
import type { Db } from '../db/client.ts';
import type { Principal } from '../db/users.ts';

/** What loadApp needs from the router (a principal, set by requireToken or requireSession) and what it adds. */
export type AppEnv = { Variables: { principal: Principal; app: App } };

/** The answer for a missing or someone else's app: a response, or a throw the router's onError renders. */
export type AppNotFound = (c: Context, name: string) => Response | Promise<Response>;

export const appNotFoundMessage = (name: string) => `app "${name}" not found`;

/** The JSON API's 404: { error: 'app "x" not found' }. */
export const jsonAppNotFound: AppNotFound = (c, name) => c.json({ error: appNotFoundMessage(name) }, 404);

/** Middleware: reads `:name`, loads the app the principal may see and sets c.get('app'), else `notFound`. */
export function loadApp(db: Db, notFound: AppNotFound = jsonAppNotFound): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const name = c.req.param('name') ?? '';
    const app = await getApp(db, c.get('principal'), name);
    if (!app) return notFound(c, name);
    c.set('app', app);
    await next();
  };
}
