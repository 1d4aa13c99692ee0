// /api/apps: create, list, show, delete, config, rollback.
import { Hono, type MiddlewareHandler } from 'hono';
import { listApps } from '../db/apps.ts';
import { createAppOp, deleteAppOp } from '../ops/apps.ts';
import { appJson } from '../ops/appView.ts';
import type { OpsDeps } from '../ops/deps.ts';
import { changeConfig, configPatchError, restart, rollback } from '../ops/releases.ts';
import { appUrl, gitUrl } from '../urls.ts';
import type { HttpEnv } from './env.ts';
import { asObject, BadRequest, field, intIn, readJson } from './json.ts';
import { loadApp } from './loadApp.ts';
import { releasesRouter } from './releases.ts';
import { auditOf } from './events.ts';

export function appsRouter(deps: OpsDeps) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();

  const withApp = loadApp(db);

  r.post('/', async (c) => {
    const body = asObject(await readJson(c));
    const app = await createAppOp(deps, c.get('principal').userId, body.name, auditOf(c));
    return c.json(
      {
        name: app.name,
        gitUrl: gitUrl(deps.config, app.name, c.req.header('host')),
        url: appUrl(deps.config, app.name),
      },
      201,
    );
  });

  r.get('/', async (c) => {
    const apps = await listApps(db, c.get('principal'));
    return c.json(await Promise.all(apps.map((a) => appJson(db, deps.config, a, c.req.header('host')))));
  });

  r.get('/:name', withApp, async (c) => c.json(await appJson(db, deps.config, c.get('app'), c.req.header('host'))));

  // ?keepData=true keeps the app's volumes (the answer names them); everything else of the app goes.
  r.delete('/:name', withApp, async (c) => {
    const keepData = c.req.query('keepData');
    if (keepData !== undefined && !['true', 'false', '1', '0'].includes(keepData))
      return c.json({ error: 'keepData must be true or false' }, 400);
    const done = await deleteAppOp(deps, c.get('app'), auditOf(c), {
      keepData: keepData === 'true' || keepData === '1',
    });
    return c.json(done);
  });

  r.get('/:name/config', withApp, (c) => c.json(c.get('app').config));

  // The patch is checked before anything reaches the database (a NUL byte, a bad key: 400 naming the key).
  const validPatch: MiddlewareHandler<HttpEnv> = async (c, next) => {
    const err = configPatchError(await readJson(c));
    if (err) throw new BadRequest(err);
    await next();
  };

  r.patch('/:name/config', validPatch, withApp, async (c) => {
    const app = c.get('app');
    const { config, release } = await changeConfig(
      deps,
      app,
      (await readJson(c)) as Record<string, string | null>,
      c.get('principal').userId,
      auditOf(c),
    );
    return c.json({ config, release: release ? { version: release.version, status: release.status } : null });
  });

  r.post('/:name/rollback', withApp, async (c) => {
    const app = c.get('app');
    const version = intIn(field<number>(asObject(await readJson(c)), 'version', 'integer', true), 'version');
    const release = await rollback(deps, app, version, c.get('principal').userId, auditOf(c));
    return c.json({ version: release.version, status: release.status, baseVersion: release.baseVersion }, 202);
  });

  r.post('/:name/restart', withApp, async (c) => {
    const app = c.get('app');
    const service = field<string>(asObject(await readJson(c)), 'service', 'string') ?? null;
    const release = await restart(deps, app, service, c.get('principal').userId, auditOf(c));
    return c.json({ version: release.version, status: release.status, baseVersion: release.baseVersion, service }, 202);
  });

  r.route('/:name/releases', releasesRouter(deps));
  return r;
}
