// The audit/event log: who did what, when, from where. Never holds secret values (config events carry keys only).
// An event of an app carries the app's id as well as its name: the id says whose it is (a deleted app's name
// can be created again by someone else), the name stays readable after the app is gone.
import { and, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { apps, events } from './schema.ts';
import { safeErrorMessage } from './errors.ts';

export type EventLevel = 'info' | 'warning' | 'error';
/** A stored event; `deleted`: it is about an app that no longer exists (only admins see those). */
export type Event = typeof events.$inferSelect & { deleted: boolean };

export interface EventInput {
  type: string;
  message: string;
  app?: string | null;
  /**
   * The app's id; callers that pass `app` pass it too (they have the row). Left out, it is looked up by
   * name once, for a caller that only knows the name of an app that exists now.
   */
  appId?: number | null;
  service?: string | null;
  level?: EventLevel;
  actor?: { userId: number; email?: string | null } | null;
  ip?: string | null;
  data?: Record<string, unknown> | null;
}

/** Records an event; never throws (an audit write must not break the action it describes). */
export async function recordEvent(db: Db, e: EventInput): Promise<void> {
  try {
    const appId =
      e.appId !== undefined || !e.app
        ? (e.appId ?? null)
        : ((await db.select({ id: apps.id }).from(apps).where(eq(apps.name, e.app)))[0]?.id ?? null);
    await db.insert(events).values({
      type: e.type,
      message: e.message,
      app: e.app ?? null,
      appId,
      service: e.service ?? null,
      level: e.level ?? 'info',
      actorId: e.actor?.userId ?? null,
      actorEmail: e.actor?.email ?? null,
      ip: e.ip ?? null,
      data: e.data ?? null,
    });
  } catch (err) {
    console.error(`[events] could not record ${e.type}: ${safeErrorMessage(err)}`); // never the query parameters
  }
}

/** Who did it and from where; passed by the HTTP/console layers into ops functions. */
export interface AuditCtx {
  actor?: { userId: number; email?: string | null } | null;
  ip?: string | null;
}

/** The audit context of an op: the given one, or the acting user id alone. */
export const auditOr = (audit: AuditCtx | undefined, userId: number | null): AuditCtx =>
  audit ?? { actor: userId === null ? null : { userId } };

export interface EventFilter {
  /**
   * Tenant scope: events of these apps (by id: the apps the principal owns now), plus `actorId`'s own
   * account events (login, token.*, password: events of no app). null/undefined = all (admin), which
   * includes the events of deleted apps.
   */
  appIds?: number[] | null;
  actorId?: number;
  /** By name: for an admin also the events of deleted apps that had it. */
  app?: string;
  service?: string;
  type?: string;
  level?: string;
  since?: Date;
  before?: number; // id cursor
  limit?: number;
}

export async function listEvents(db: Db, f: EventFilter): Promise<Event[]> {
  const conds: SQL[] = [];
  if (f.appIds) {
    const scope = [f.appIds.length ? inArray(events.appId, f.appIds) : sql`false`];
    if (f.actorId !== undefined)
      scope.push(and(eq(events.actorId, f.actorId), isNull(events.appId), isNull(events.app))!);
    conds.push(or(...scope)!);
  }
  if (f.app) conds.push(eq(events.app, f.app));
  if (f.service) conds.push(eq(events.service, f.service));
  if (f.type) conds.push(eq(events.type, f.type));
  if (f.level) conds.push(eq(events.level, f.level));
  if (f.since) conds.push(gte(events.at, f.since));
  if (f.before) conds.push(lt(events.id, f.before));
  return db
    .select({
      ...getTableColumns(events),
      deleted: sql<boolean>`(${events.app} is not null and ${apps.id} is null)`.mapWith(Boolean),
    })
    .from(events)
    .leftJoin(apps, eq(apps.id, events.appId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(events.id))
    .limit(Math.min(f.limit ?? 100, 1000));
}

/** Deletes events older than `before`; returns how many. */
export async function purgeEvents(db: Db, before: Date): Promise<number> {
  const rows = await db.execute<{ n: number }>(
    sql`with d as (delete from ${events} where ${events.at} < ${before.toISOString()} returning 1) select count(*)::int as n from d`,
  );
  return Number(rows[0]?.n ?? 0);
}
