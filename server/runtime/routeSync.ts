// Keeps the proxy's route table equal to the database's view of live releases.
import type { Db } from '../db/client.ts';
import { getAppByName } from '../db/apps.ts';
import { allLiveReleases, getRelease, liveRelease, servicesOf } from '../db/releases.ts';
import { replicasOf } from '../db/replicas.ts';
import { getSettings } from '../db/settings.ts';
import { apps as appsTable } from '../db/schema.ts';
import type { AppRoutes } from '../proxy/routeTable.ts';
import { appRoutesFor, type AppView } from './routing.ts';

/** Where routes go: the proxy daemon's control socket, or an in-process RouteTable in tests. */
export interface RouteSink {
  setApp(routes: AppRoutes): Promise<void>;
  removeApp(app: string): Promise<void>;
  replaceAll(routes: AppRoutes[]): Promise<void>;
  /** Resolves when none of these upstreams has a request in flight, or after timeoutMs. */
  waitIdle(upstreamIds: string[], timeoutMs: number): Promise<void>;
}

export class RouteSync {
  constructor(
    private db: Db,
    private sink: RouteSink,
  ) {}

  /** The routes of one app; `liveReleaseId` switches to that release before the database says so. */
  async routesOf(appName: string, liveReleaseId?: number): Promise<AppRoutes | null> {
    const app = await getAppByName(this.db, appName);
    if (!app) return null;
    const live = liveReleaseId ? await getRelease(this.db, liveReleaseId) : await liveRelease(this.db, app.id);
    return appRoutesFor(await this.view(app.id, app.name, app.state, live?.id ?? null));
  }

  async syncApp(appName: string, liveReleaseId?: number): Promise<void> {
    const routes = await this.routesOf(appName, liveReleaseId);
    if (routes) await this.sink.setApp(routes);
    else await this.sink.removeApp(appName);
  }

  async removeApp(appName: string): Promise<void> {
    await this.sink.removeApp(appName);
  }

  async syncAll(): Promise<AppRoutes[]> {
    const all = await this.db.select().from(appsTable);
    const live = new Map((await allLiveReleases(this.db)).map((r) => [r.appId, r.id]));
    const routes = await Promise.all(
      all.map(async (a) => appRoutesFor(await this.view(a.id, a.name, a.state, live.get(a.id) ?? null))),
    );
    await this.sink.replaceAll(routes);
    return routes;
  }

  waitIdle(ids: string[], timeoutMs: number) {
    return this.sink.waitIdle(ids, timeoutMs);
  }

  private async view(appId: number, app: string, state: string, releaseId: number | null): Promise<AppView> {
    if (releaseId === null) return { app, state, live: null };
    const [services, replicas, settings] = await Promise.all([
      servicesOf(this.db, releaseId),
      replicasOf(this.db, releaseId),
      getSettings(this.db, appId),
    ]);
    return { app, state, live: { services, replicas }, servicePorts: settings.servicePorts };
  }
}
