// The audit/event log: who did what, when, from where. Never holds secret values (config events carry keys only).
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
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
      type: e.type, message: e.message, app: e.app ?? null, service: e.service ?? null, level: e.level ?? 'info',
      actorId: e.actor?.userId ?? null, actorEmail: e.actor?.email ?? null, ip: e.ip ?? null, data: e.data ?? null,
    });
  } catch (err) {
    console.error(`[events] could not record ${e.type}: ${(err as Error).message}`);
  }
}

export interface EventFilter {
  apps?: string[] | null; // null = all (admin)
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
  if (f.app) conds.push(eq(events.app, f.app));
  if (f.service) conds.push(eq(events.service, f.service));
  if (f.type) conds.push(eq(events.type, f.type));
  if (f.level) conds.push(eq(events.level, f.level));
  if (f.since) conds.push(gte(events.at, f.since));
  if (f.before) conds.push(lt(events.id, f.before));
  return db.select().from(events).where(conds.length ? and(...conds) : undefined).orderBy(desc(events.id)).limit(Math.min(f.limit ?? 100, 1000));
}
