// Data the console hands the views: the shapes its read models (server/console/queries*.ts, the release log
// classifier, the events table, the asset loader) fill in. Views depend on these, never on the server modules
// that produce them.

/** One row of the app list: status and replica counts of the live release. */
export interface AppSummary {
  name: string;
  status: string;
  state: string;
  createdAt: Date;
  liveVersion: number | null;
  latestVersion: number | null;
  latestStatus: string | null;
  latestAt: Date | null;
  services: number;
  replicas: number;
  running: number;
  crashed: number;
}

/** Latest container stats of one service, summed over its replicas. */
export interface ServiceStats {
  cpuPct: number | null;
  memBytes: number | null;
  memLimitBytes: number | null;
  at: Date | null;
}

/** One release as the views show it (ops/appView.ts releaseJson). */
export interface ReleaseView {
  version: number;
  status: string;
  kind: string;
  commit: string | null;
  baseVersion: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

/** The newest host gauges (admins only). */
export interface HostGauges {
  cpuPct: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  diskUsedBytes: number | null;
  diskTotalBytes: number | null;
}

export interface OpenAlert {
  app: string | null;
  service: string | null;
  severity: string;
  message: string;
  openedAt: Date;
}

/** The overview page: app summaries, totals, host gauges, recent releases and open alerts. */
export interface Overview {
  apps: AppSummary[];
  totals: { apps: number; live: number; services: number; running: number; crashed: number; deploying: number };
  host: HostGauges | null;
  showHost: boolean;
  recent: (ReleaseView & { app: string })[];
  alerts: OpenAlert[];
}

/** One audit log event (a row of the events table). */
export interface EventView {
  at: Date;
  app: string | null;
  service: string | null;
  type: string;
  level: string;
  actorId: number | null;
  actorEmail: string | null;
  ip: string | null;
  message: string;
  /** The event's app has been deleted (its name may belong to another app now); only admins see these. */
  deleted?: boolean;
}

/** Versioned URLs of the console's static files (server/console/assets.ts), for the layout's <head>. */
export interface AssetUrls {
  htmx: string;
  sse: string;
  css: string;
  js: string;
}

export type LogType = 'release' | 'analysis' | 'build' | 'deploy';
export type LogLevel = 'info' | 'warning' | 'error';

/** A classified release log line. */
export interface LogLine {
  n: number;
  text: string;
  service: string | null;
  type: LogType;
  level: LogLevel;
}

/** The release page's log filters (from the query string). */
export interface LogFilter {
  service?: string;
  type?: string;
  level?: string;
}
