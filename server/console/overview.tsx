// Overview page (placeholder until the overview read model lands).
import { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './env.ts';
import { requireSession } from './middleware.ts';

export function overviewRouter(deps: ConsoleDeps) {
  const r = new Hono<ConsoleEnv>();
  r.get('/', requireSession(deps.database.db), (c) => c.redirect('/apps', 303));
  return r;
}
