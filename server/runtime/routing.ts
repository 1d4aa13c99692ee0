// What the proxy should route for an app, derived from the database's view (pure).
import type { AppRoutes } from '../proxy/routeTable.ts';

export interface RoutedService {
  name: string;
  routed: boolean;
  primary: boolean;
}

export interface RoutedReplica {
  service: string;
  containerId: string;
  host: string;
  port: number;
  state: string;
}

export interface AppView {
  app: string;
  state: string; // 'running' | 'stopped'
  live: { services: RoutedService[]; replicas: RoutedReplica[] } | null;
  /** Host network mode: stable discovery port per service. */
  servicePorts?: Record<string, number>;
}

/** Replica states the proxy may send traffic to. */
const SERVING = new Set(['running', 'starting']);

export function appRoutesFor(view: AppView): AppRoutes {
  if (!view.live)
    return { app: view.app, state: view.state === 'stopped' ? 'stopped' : 'none', primary: null, services: [] };
  const stopped = view.state === 'stopped';
  const routed = view.live.services.filter((s) => s.routed);
  // A stopped app keeps its hosts (so every one of them answers 503), with no upstreams.
  const services = routed.map((s) => ({
    ...(view.servicePorts?.[s.name] ? { internalPort: view.servicePorts[s.name] } : {}),
    service: s.name,
    upstreams: stopped
      ? []
      : view
          .live!.replicas.filter((r) => r.service === s.name && SERVING.has(r.state))
          .map((r) => ({ host: r.host, port: r.port, id: r.containerId })),
  }));
  const primary = routed.find((s) => s.primary)?.name ?? (routed.length === 1 ? routed[0].name : null);
  return { app: view.app, state: stopped ? 'stopped' : 'live', primary, services };
}

/** Picks the primary service: override, else `web`, else the root service, else the only web/static one. */
export function choosePrimary(
  services: { name: string; path: string | null; type: string }[],
  override?: string | null,
): string | null {
  const web = services.filter((s) => s.type === 'web' || s.type === 'static');
  if (override && web.some((s) => s.name === override)) return override;
  return (
    web.find((s) => s.name === 'web')?.name ??
    web.find((s) => s.path === '.')?.name ??
    (web.length >= 1 ? web[0].name : null)
  );
}
