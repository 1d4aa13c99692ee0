// Kyozo's state: user → token; app → release → service → replica. Releases record every service's
// image and the app's config, so a rollback is "run version N's images with version N's config".
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash'),
  isAdmin: boolean('is_admin').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
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
  ownerId: integer('owner_id').notNull().references(() => users.id),
  /** Current config vars; each release keeps its own copy. */
  config: jsonb('config').$type<Record<string, string>>().notNull().default({}),
  /** 'running' or 'stopped' (stopped apps answer 503 at the proxy). */
  state: text('state').notNull().default('running'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ReleaseStatus = 'queued' | 'building' | 'deploying' | 'live' | 'failed' | 'superseded';
export type ReleaseKind = 'push' | 'config' | 'rollback' | 'restart';

export const releases = pgTable('releases', {
  id: serial('id').primaryKey(),
  appId: integer('app_id').notNull().references(() => apps.id, { onDelete: 'cascade' }),
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
}, (t) => [uniqueIndex('releases_app_version').on(t.appId, t.version)]);

export const releaseServices = pgTable('release_services', {
  id: serial('id').primaryKey(),
  releaseId: integer('release_id').notNull().references(() => releases.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  type: text('type').notNull(),
  image: text('image').notNull(),
  imageId: text('image_id'),
  port: integer('port'),
  healthPath: text('health_path'),
  replicas: integer('replicas').notNull().default(1),
  memoryMb: integer('memory_mb').notNull(),
  cpus: text('cpus').notNull(),
  routed: boolean('routed').notNull().default(true),
  primary: boolean('primary').notNull().default(false),
}, (t) => [uniqueIndex('release_services_release_name').on(t.releaseId, t.name)]);

export const replicas = pgTable('replicas', {
  id: serial('id').primaryKey(),
  releaseId: integer('release_id').notNull().references(() => releases.id, { onDelete: 'cascade' }),
  service: text('service').notNull(),
  index: integer('index').notNull(),
  containerId: text('container_id').notNull(),
  host: text('host').notNull(),
  port: integer('port').notNull(),
  /** starting | running | stopped | failed */
  state: text('state').notNull().default('starting'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('replicas_release').on(t.releaseId)]);

export const releaseLogs = pgTable('release_logs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  releaseId: integer('release_id').notNull().references(() => releases.id, { onDelete: 'cascade' }),
  at: timestamp('at', { withTimezone: true }).notNull().default(sql`now()`),
  line: text('line').notNull(),
}, (t) => [index('release_logs_release').on(t.releaseId, t.id)]);
