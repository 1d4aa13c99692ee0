// /api/apps/:name/{scale,resources,stop,start}: formation changes, each rolled out with zero downtime.
import { Hono, type Context } from 'hono';
import type { OpsDeps } from '../ops/deps.ts';
import { scale, setResources, start, stop } from '../ops/formation.ts';
import type { HttpEnv } from './env.ts';
import { asObject, field, readJson } from './json.ts';
import { loadApp } from './loadApp.ts';

export function formationRouter(deps: OpsDeps) {
  const r = new Hono<HttpEnv>();
  const withApp = loadApp(deps.database.db);
  const accepted = (c: Context, rel: { version: number; status: string } | null) =>
    c.json(rel ? { version: rel.version, status: rel.status } : { status: 'stopped' }, 202);

  r.post('/:name/scale', withApp, async (c) =>
    accepted(c, await scale(deps, c.get('app'), await readJson(c), c.get('principal'))),
  );
  r.patch('/:name/resources', withApp, async (c) =>
    accepted(c, await setResources(deps, c.get('app'), await readJson(c), c.get('principal'))),
  );
  for (const action of ['stop', 'start'] as const) {
    r.post(`/:name/${action}`, withApp, async (c) => {
      const service = field<string>(asObject(await readJson(c)), 'service', 'string') ?? null;
      const fn = action === 'stop' ? stop : start;
      return accepted(c, await fn(deps, c.get('app'), service, c.get('principal')));
    });
  }
  return r;
}
