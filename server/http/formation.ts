// /api/apps/:name/{scale,resources,stop,start}: formation changes, each rolled out with zero downtime.
import { Hono, type Context } from 'hono';
import { getApp } from '../db/apps.ts';
import type { OpsDeps } from '../ops/deps.ts';
import { scale, setResources, start, stop } from '../ops/formation.ts';
import type { HttpEnv } from './env.ts';
import { asObject, field, readJson } from './json.ts';

export function formationRouter(deps: OpsDeps) {
  const r = new Hono<HttpEnv>();
  const load = async (c: Context<HttpEnv>) => getApp(deps.database.db, c.get('principal'), c.req.param('name')!);
  const notFound = (c: Context<HttpEnv>) => c.json({ error: `app "${c.req.param('name')}" not found` }, 404);
  const accepted = (c: Context<HttpEnv>, rel: { version: number; status: string } | null) =>
    c.json(rel ? { version: rel.version, status: rel.status } : { status: 'stopped' }, 202);

  r.post('/:name/scale', async (c) => {
    const app = await load(c);
    if (!app) return notFound(c);
    return accepted(c, await scale(deps, app, await readJson(c), c.get('principal')));
  });
  r.patch('/:name/resources', async (c) => {
    const app = await load(c);
    if (!app) return notFound(c);
    return accepted(c, await setResources(deps, app, await readJson(c), c.get('principal')));
  });
  for (const action of ['stop', 'start'] as const) {
    r.post(`/:name/${action}`, async (c) => {
      const app = await load(c);
      if (!app) return notFound(c);
      const service = field<string>(asObject(await readJson(c)), 'service', 'string') ?? null;
      const fn = action === 'stop' ? stop : start;
      return accepted(c, await fn(deps, app, service, c.get('principal')));
    });
  }
  return r;
}
