// Kyozo's state: user → token; app → release → service → replica. Releases record every service's
// image and the app's config, so a rollback is "run version N's images with version N's config".
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash'),
  isAdmin: boolean('is_admin').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** sha256 of the token; tokens are 256-bit random, so a fast hash is enough. */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

export const apps = pgTable('apps', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  /**
   * Immutable, random, never reused: every Docker object of the app (images, containers, networks, volumes) is
   * named and labelled from it, so two apps' names can never collide and a re-created name is a new app.
   */
  uid: text('uid')
    .notNull()
    .unique()
    .default(sql`substr(md5(gen_random_uuid()::text), 1, 12)`),
  ownerId: integer('owner_id')
    .notNull()
    .references(() => users.id),
  /** Current config vars; each release keeps its own copy. */
  config: jsonb('config').$type<Record<string, string>>().notNull().default({}),
  /** 'running' or 'stopped' (stopped apps answer 503 at the proxy). */
  state: text('state').notNull().default('running'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ReleaseStatus = 'queued' | 'building' | 'deploying' | 'live' | 'failed' | 'superseded';
export type ReleaseKind = 'push' | 'config' | 'rollback' | 'restart' | 'scale';

export const releases = pgTable(
  'releases',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: text('status').$type<ReleaseStatus>().notNull().default('queued'),
    kind: text('kind').$type<ReleaseKind>().notNull().default('push'),
    commit: text('commit'),
    /** For config/rollback/restart releases: the release whose images are reused. */
    baseVersion: integer('base_version'),
    config: jsonb('config').$type<Record<string, string>>().notNull().default({}),
    analysis: jsonb('analysis'),
    error: text('error'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('releases_app_version').on(t.appId, t.version)],
);

export const releaseServices = pgTable(
  'release_services',
  {
    id: serial('id').primaryKey(),
    releaseId: integer('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    runtime: text('runtime').notNull().default('docker'),
    image: text('image').notNull(),
    imageId: text('image_id'),
    port: integer('port'),
    healthPath: text('health_path'),
    replicas: integer('replicas').notNull().default(1),
    memoryMb: integer('memory_mb').notNull(),
    cpus: text('cpus').notNull(),
    routed: boolean('routed').notNull().default(true),
    primary: boolean('primary').notNull().default(false),
    /** Hash of the service's source tree + build inputs: unchanged hash → reuse image and replicas. */
    sourceHash: text('source_hash'),
    /** Service-specific env from the repo (compose environment) and discovery (<NAME>_URL, DATABASE_URL…). */
    env: jsonb('env').$type<Record<string, string>>().notNull().default({}),
    /** Backing services (compose image:): container paths kept in named volumes across releases. */
    volumes: jsonb('volumes').$type<string[]>().notNull().default([]),
    /**
     * The Docker volume of each of those paths (path → name). null before Kyozo recorded them: those releases
     * used kyozo-<app>-<service>-<path> (runtime/names.ts legacyVolumeName), and their successors keep it.
     */
    volumeNames: jsonb('volume_names').$type<Record<string, string> | null>(),
    /** Command override (compose command:), exec form. */
    cmd: jsonb('cmd').$type<string[] | null>(),
    /** Start order position from the dependency map (0 first). */
    startOrder: integer('start_order').notNull().default(0),
  },
  (t) => [uniqueIndex('release_services_release_name').on(t.releaseId, t.name)],
);

export const replicas = pgTable(
  'replicas',
  {
    id: serial('id').primaryKey(),
    releaseId: integer('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    service: text('service').notNull(),
    index: integer('index').notNull(),
    containerId: text('container_id').notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    /** starting | running | stopped | failed | crashed */
    state: text('state').notNull().default('starting'),
    restarts: integer('restarts').notNull().default(0),
    lastExitCode: integer('last_exit_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('replicas_release').on(t.releaseId)],
);

export const releaseLogs = pgTable(
  'release_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    releaseId: integer('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    line: text('line').notNull(),
  },
  (t) => [index('release_logs_release').on(t.releaseId, t.id)],
);

// ---- Console sign-in (issue: console) ----

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the session cookie value. */
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

// ---- Operations: per-app settings, events, metrics, alerts, app logs ----

/** Per-app operational settings: scale/resources per service, alert thresholds, webhook, primary service. */
export interface AppSettings {
  formation?: Record<string, { replicas?: number; memoryMb?: number; cpus?: number }>;
  alerts?: Partial<Record<'cpuPct' | 'memoryPct' | 'errorRatePct' | 'p95Ms' | 'diskPct', number>>;
  webhookUrl?: string | null;
  primary?: string | null;
  /** Host network mode: the stable 127.0.0.1 port of each service (discovery URLs; backing services listen on it). */
  servicePorts?: Record<string, number>;
}

export const appSettings = pgTable('app_settings', {
  appId: integer('app_id')
    .primaryKey()
    .references(() => apps.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<AppSettings>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** App name, kept as text so events outlive a deleted app. */
    app: text('app'),
    /** The app's id (no foreign key: audit events outlive the app; a re-created name is another id). */
    appId: integer('app_id'),
    service: text('service'),
    /** e.g. app.create, release.live, release.failed, scale, config.set, rollback, token.create, git.push, login */
    type: text('type').notNull(),
    level: text('level').notNull().default('info'),
    actorId: integer('actor_id'),
    actorEmail: text('actor_email'),
    ip: text('ip'),
    message: text('message').notNull(),
    data: jsonb('data'),
  },
  (t) => [
    index('events_at').on(t.at),
    index('events_app_at').on(t.app, t.at),
    index('events_app_id_at').on(t.appId, t.at),
  ],
);

/**
 * Time series, one wide row per (tier, bucket start, app, service, replica). Container stats fill the
 * replica rows; proxy request metrics fill the service rows (replica = ''). Tiers: raw (10 s), 1m, 1h.
 */
export const metrics = pgTable(
  'metrics',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tier: text('tier').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    app: text('app').notNull(),
    /** The app's id: a re-created name starts with no history. */
    appId: integer('app_id'),
    service: text('service').notNull(),
    replica: text('replica').notNull().default(''),
    cpuPct: doublePrecision('cpu_pct'),
    memBytes: doublePrecision('mem_bytes'),
    memLimitBytes: doublePrecision('mem_limit_bytes'),
    pids: integer('pids'),
    restarts: integer('restarts'),
    requests: integer('requests'),
    s2xx: integer('s2xx'),
    s3xx: integer('s3xx'),
    s4xx: integer('s4xx'),
    s5xx: integer('s5xx'),
    bytesIn: doublePrecision('bytes_in'),
    bytesOut: doublePrecision('bytes_out'),
    p50Ms: doublePrecision('p50_ms'),
    p95Ms: doublePrecision('p95_ms'),
    p99Ms: doublePrecision('p99_ms'),
  },
  (t) => [
    index('metrics_lookup').on(t.app, t.tier, t.at),
    index('metrics_app_id_lookup').on(t.appId, t.tier, t.at),
    index('metrics_tier_at').on(t.tier, t.at),
  ],
);

export const systemMetrics = pgTable(
  'system_metrics',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tier: text('tier').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    cpuPct: doublePrecision('cpu_pct'),
    memUsedBytes: doublePrecision('mem_used_bytes'),
    memTotalBytes: doublePrecision('mem_total_bytes'),
    diskUsedBytes: doublePrecision('disk_used_bytes'),
    diskTotalBytes: doublePrecision('disk_total_bytes'),
    containersRunning: integer('containers_running'),
    containersCrashed: integer('containers_crashed'),
  },
  (t) => [index('system_metrics_tier_at').on(t.tier, t.at)],
);

export const alerts = pgTable(
  'alerts',
  {
    id: serial('id').primaryKey(),
    app: text('app'),
    appId: integer('app_id'),
    service: text('service'),
    /** cpu | memory | error-rate | p95-latency | crash-loop | disk | deploy-failed */
    kind: text('kind').notNull(),
    /** Deduplication key: one open alert per key. */
    key: text('key').notNull(),
    severity: text('severity').notNull().default('warning'),
    message: text('message').notNull(),
    value: doublePrecision('value'),
    threshold: doublePrecision('threshold'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alerts_open_key')
      .on(t.key)
      .where(sql`resolved_at is null`),
    index('alerts_opened').on(t.openedAt),
  ],
);

export const appLogs = pgTable(
  'app_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    app: text('app').notNull(),
    appId: integer('app_id'),
    service: text('service').notNull(),
    replica: text('replica').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    stream: text('stream').notNull().default('stdout'),
    line: text('line').notNull(),
  },
  (t) => [index('app_logs_app_id').on(t.app, t.id), index('app_logs_by_app_id').on(t.appId, t.id)],
);
