// Console app pages: list + create, one app (services, releases, config), rollback, delete. Every action
// calls the same ops as the JSON API (server/ops), never its own copy of the logic.
import { Hono, type Context } from 'hono';
import { getApp, type App } from '../db/apps.ts';
import { listReleases } from '../db/releases.ts';
import type { Principal } from '../db/users.ts';
import { NotFound } from '../http/errors.ts';
import { createAppOp, deleteAppOp } from '../ops/apps.ts';
import { appJson, releaseJson } from '../ops/appView.ts';
import { OpError } from '../ops/deps.ts';
import { changeConfig, rollback } from '../ops/releases.ts';
import { appUrl, gitUrl } from '../urls.ts';
import { AppList, AppsPage, CreateAppForm } from '../../views/AppsPage.tsx';
import { AppHeader, AppPage } from '../../views/AppPage.tsx';
import { ConfigEditor, ConfigRow } from '../../views/ConfigEditor.tsx';
import { ReleasesTable } from '../../views/ReleasesTable.tsx';
import { ServiceCards } from '../../views/ServiceCard.tsx';
import { controlsAvailable } from './services.tsx';
import { clientIp, formString, isHtmx, viewer, type AppCtx, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { html, liveFragments } from './live.ts';
import { requireApp, requireSession } from './middleware.ts';
import { appSummaries, latestServiceStats } from './queries.ts';

export function appsRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);
  const withApp = requireApp(db);
  const audit = <E extends ConsoleEnv>(c: Context<E>) => {
    const p: Principal = c.get('principal');
    return { actor: { userId: p.userId, email: p.email }, ip: clientIp(c) };
  };
  const releasesOf = async (app: App) => (await listReleases(db, app.id, 30)).map(releaseJson);

  r.get('/apps', auth, async (c) =>
    c.html(<AppsPage viewer={viewer(c)} assets={deps.assets} apps={await appSummaries(db, c.get('principal'))} />),
  );

  r.post('/apps', auth, async (c) => {
    const name = formString(await c.req.parseBody(), 'name');
    let created = null;
    let error: string | null = null;
    try {
      const app = await createAppOp(deps, c.get('principal').userId, name, audit(c));
      created = {
        name: app.name,
        gitUrl: gitUrl(deps.config, app.name, c.req.header('host')),
        url: appUrl(deps.config, app.name),
      };
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
      error = e.message;
    }
    const status = error ? 400 : 201;
    const apps = await appSummaries(db, c.get('principal'));
    if (isHtmx(c))
      return c.html(
        <>
          <CreateAppForm csrf={c.get('csrf')} error={error} value={error ? name : ''} created={created} />
          <AppList apps={apps} oob />
        </>,
        status,
      );
    return c.html(
      <AppsPage viewer={viewer(c)} assets={deps.assets} apps={apps} error={error} value={name} created={created} />,
      status,
    );
  });

  const services = async (c: AppCtx, app: App) => {
    const [view, stats] = await Promise.all([
      appJson(db, deps.config, app, c.req.header('host')),
      latestServiceStats(db, app.id),
    ]);
    return { view, stats };
  };

  r.get('/apps/:name', auth, withApp, async (c) => {
    const app = c.get('app');
    const [{ view, stats }, releases] = await Promise.all([services(c, app), releasesOf(app)]);
    return c.html(
      <AppPage
        viewer={viewer(c)}
        assets={deps.assets}
        app={view}
        releases={releases}
        config={app.config}
        stats={stats}
        controls={controlsAvailable}
        reveal={c.req.query('reveal')}
      />,
    );
  });

  r.get('/events/stream/apps/:name', auth, withApp, async (c) => {
    const app = c.get('app');
    const csrf = c.get('csrf');
    return liveFragments(c, async () => {
      const fresh = (await getApp(db, c.get('principal'), app.name)) ?? app;
      const [{ view, stats }, releases] = await Promise.all([services(c, fresh), releasesOf(fresh)]);
      return {
        status: await html(<AppHeader app={view} />),
        services: await html(
          <ServiceCards
            app={app.name}
            services={view.services}
            stats={stats}
            controls={controlsAvailable}
            csrf={csrf}
          />,
        ),
        releases: await html(<ReleasesTable app={app.name} releases={releases} csrf={csrf} />),
      };
    });
  });

  r.get('/apps/:name/services', auth, withApp, async (c) => {
    const app = c.get('app');
    const { view, stats } = await services(c, app);
    return c.html(
      <ServiceCards
        app={app.name}
        services={view.services}
        stats={stats}
        controls={controlsAvailable}
        csrf={c.get('csrf')}
      />,
    );
  });

  r.get('/apps/:name/releases', auth, withApp, async (c) => {
    const app = c.get('app');
    return c.html(<ReleasesTable app={app.name} releases={await releasesOf(app)} csrf={c.get('csrf')} />);
  });

  r.post('/apps/:name/rollback', auth, withApp, async (c) => {
    const app = c.get('app');
    const version = Number(formString(await c.req.parseBody(), 'version'));
    if (!Number.isInteger(version) || version < 1) throw new OpError(400, 'version must be a release number');
    const release = await rollback(deps, app, version, c.get('principal').userId, audit(c));
    if (!isHtmx(c)) return c.redirect(`/apps/${app.name}/releases/${release.version}`, 303);
    const message = `Rolling back to v${version} as v${release.version}.`;
    return c.html(
      <ReleasesTable app={app.name} releases={await releasesOf(app)} csrf={c.get('csrf')} message={message} />,
      202,
    );
  });

  r.get('/apps/:name/config/reveal', auth, withApp, async (c) => {
    const app = c.get('app');
    const key = c.req.query('key') ?? '';
    if (!(key in app.config)) throw new NotFound(`config var ${key} is not set`);
    return c.html(<ConfigRow app={app.name} name={key} value={app.config[key]} revealed csrf={c.get('csrf')} />);
  });

  const patchConfig = async (c: AppCtx, patch: Record<string, string | null>) => {
    const app = c.get('app');
    let message: string | null = null;
    let error: string | null = null;
    let config = app.config;
    try {
      const res = await changeConfig(deps, app, patch, c.get('principal').userId, audit(c));
      config = res.config;
      message = res.release ? `Saved; rolling out as v${res.release.version}.` : 'Saved; applies to the next release.';
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
      error = e.message;
    }
    if (!isHtmx(c) && !error) return c.redirect(`/apps/${app.name}#config`, 303);
    return c.html(
      <ConfigEditor app={app.name} config={config} csrf={c.get('csrf')} message={message} error={error} />,
      error ? 400 : 200,
    );
  };

  r.post('/apps/:name/config', auth, withApp, async (c) => {
    const body = await c.req.parseBody();
    return patchConfig(c, { [formString(body, 'key')]: typeof body.value === 'string' ? body.value : '' });
  });

  r.post('/apps/:name/config/unset', auth, withApp, async (c) =>
    patchConfig(c, { [formString(await c.req.parseBody(), 'key')]: null }),
  );

  r.post('/apps/:name/delete', auth, withApp, async (c) => {
    const app = c.get('app');
    await deleteAppOp(deps, app, audit(c));
    if (isHtmx(c)) {
      c.header('HX-Redirect', '/apps');
      return c.body(null, 204);
    }
    return c.redirect('/apps', 303);
  });
  return r;
}
