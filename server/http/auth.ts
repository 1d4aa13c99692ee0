// Bearer-token authentication for /api.
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/client.ts';
import { authenticateToken } from '../db/users.ts';
import type { HttpEnv } from './env.ts';

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}

export function requireToken(db: Db): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const principal = token ? await authenticateToken(db, token) : null;
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer realm="kyozo"');
      return c.json({ error: token ? 'invalid or revoked token' : 'missing Authorization: Bearer <token>' }, 401);
    }
    c.set('principal', principal);
    await next();
  };
}
