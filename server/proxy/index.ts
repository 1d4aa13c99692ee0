// Public surface of the app proxy.
export { RouteTable, hostnameOf, upstreamKey } from './routeTable.ts';
export type { AppRoutes, AppState, Resolution, ServiceRoute, UnavailableReason, Upstream } from './routeTable.ts';
export { Balancer, type BalancerOptions } from './balancer.ts';
export { InflightTracker } from './inflight.ts';
export { ProxyMetrics, percentile, type RequestSample, type ServiceMetrics, type StatusClasses } from './metrics.ts';
export { createProxyServer, type ProxyOptions, type ProxyServer } from './server.ts';
