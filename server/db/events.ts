// The audit/event log: who did what, when, from where. Never holds secret values (config events carry keys only).
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { events } from './schema.ts';

export type EventLevel = 'info' | 'warning' | 'error';
export type Event = typeof events.$inferSelect;

export interface EventInput {
  type: string;
  message: string;
  app?: string | null;
  service?: string | null;
  level?: EventLevel;
  actor?: { userId: number; email?: string | null } | null;
  ip?: string | null;
  data?: Record<string, unknown> | null;
}

/** Records an event; never throws (an audit write must not break the action it describes). */
export async function recordEvent(db: Db, e: EventInput): Promise<void> {
  try {
    await db.insert(events).values({
      type: e.type,
      message: e.message,
      app: e.app ?? null,
      service: e.service ?? null,
      level: e.level ?? 'info',
      actorId: e.actor?.userId ?? null,
      actorEmail: e.actor?.email ?? null,
      ip: e.ip ?? null,
      data: e.data ?? null,
    });
  } catch (err) {
    console.error(`[events] could not record ${e.type}: ${(err as Error).message}`);
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
  /** Tenant scope: events of these apps (plus `actorId`'s own actions). null/undefined = all (admin). */
  apps?: string[] | null;
  actorId?: number;
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
  if (f.apps) {
    const scope = [f.apps.length ? inArray(events.app, f.apps) : sql`false`];
    if (f.actorId !== undefined) scope.push(eq(events.actorId, f.actorId));
    conds.push(or(...scope)!);
  }
  if (f.app) conds.push(eq(events.app, f.app));
  if (f.service) conds.push(eq(events.service, f.service));
  if (f.type) conds.push(eq(events.type, f.type));
  if (f.level) conds.push(eq(events.level, f.level));
  if (f.since) conds.push(gte(events.at, f.since));
  if (f.before) conds.push(lt(events.id, f.before));
  return db
    .select()
    .from(events)
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
