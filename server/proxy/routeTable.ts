// Host → app/service → upstreams (pure). Every host of one app is replaced in a single Map write,
// so a new release switches all of its services at once.

export type Upstream = {
  host: string;
  port: number;
  /** Container/replica id. When present it is the key for health and in-flight tracking. */
  id?: string;
};
/** internalPort: host-network mode's stable 127.0.0.1 port for service discovery (the daemon listens on it). */
export type ServiceRoute = { service: string; upstreams: Upstream[]; internalPort?: number };
export type AppState = 'live' | 'stopped' | 'none';
export type AppRoutes = { app: string; state: AppState; primary: string | null; services: ServiceRoute[] };

/** stopped: app stopped; no-release: nothing deployed yet; no-service: live but no web service at this host; no-replicas: service has no upstreams. */
export type UnavailableReason = 'stopped' | 'no-release' | 'no-service' | 'no-replicas';

export type Resolution =
  | { kind: 'upstreams'; app: string; service: string; upstreams: readonly Upstream[] }
  | { kind: 'unavailable'; app: string; service: string | null; reason: UnavailableReason }
  | { kind: 'unknown' };

/** Key used by the balancer, health marks and in-flight counts. */
export const upstreamKey = (u: Upstream): string => u.id ?? `${u.host}:${u.port}`;

/** `Host` header → lowercase hostname without port or trailing dot ('' when absent). */
export function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith('['))
    h = h.slice(0, h.indexOf(']') + 1); // IPv6 literal
  else if (h.indexOf(':') !== -1) h = h.slice(0, h.indexOf(':'));
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

type Entry = { routes: AppRoutes; byService: ReadonlyMap<string, ServiceRoute> };

export class RouteTable {
  readonly domain: string;
  #apps = new Map<string, Entry>();

  constructor(domain: string) {
    this.domain = hostnameOf(domain);
  }

  /** Atomically replaces every route of `routes.app` (primary host and all `<service>.<app>` hosts). */
  setApp(routes: AppRoutes): void {
    const app = routes.app.toLowerCase();
    const services = routes.services.map((s) => ({
      ...(s.internalPort ? { internalPort: s.internalPort } : {}),
      service: s.service.toLowerCase(),
      upstreams: Object.freeze(s.upstreams.map((u) => Object.freeze({ ...u }))) as Upstream[],
    }));
    const byService = new Map(services.map((s) => [s.service, s] as const));
    const primary = routes.primary?.toLowerCase() ?? null;
    if (primary !== null && !byService.has(primary))
      throw new Error(`primary service "${primary}" of app "${app}" has no route`);
    const copy: AppRoutes = { app, state: routes.state, primary, services };
    this.#apps.set(app, { routes: copy, byService });
  }

  removeApp(app: string): void {
    this.#apps.delete(app.toLowerCase());
  }

  get(app: string): AppRoutes | undefined {
    return this.#apps.get(app.toLowerCase())?.routes;
  }

  apps(): AppRoutes[] {
    return [...this.#apps.values()].map((e) => e.routes);
  }

  /** `<app>.<domain>` → primary service; `<service>.<app>.<domain>` → that service. */
  resolve(hostHeader: string | undefined): Resolution {
    const host = hostnameOf(hostHeader);
    const suffix = '.' + this.domain;
    if (!host.endsWith(suffix)) return { kind: 'unknown' };
    const labels = host.slice(0, -suffix.length).split('.');
    if (labels.length > 2 || labels.some((l) => l === '')) return { kind: 'unknown' };
    const [app, service] = labels.length === 2 ? [labels[1], labels[0]] : [labels[0], null];
    const entry = this.#apps.get(app);
    if (!entry) return { kind: 'unknown' };
    const { routes, byService } = entry;
    const name = service ?? routes.primary;
    const route = name === null ? undefined : byService.get(name);
    if (service !== null && !route) return { kind: 'unknown' };
    if (routes.state === 'stopped') return { kind: 'unavailable', app, service: name, reason: 'stopped' };
    if (routes.state === 'none') return { kind: 'unavailable', app, service: name, reason: 'no-release' };
    if (!route) return { kind: 'unavailable', app, service: null, reason: 'no-service' };
    if (route.upstreams.length === 0) return { kind: 'unavailable', app, service: name, reason: 'no-replicas' };
    return { kind: 'upstreams', app, service: route.service, upstreams: route.upstreams };
  }
}
