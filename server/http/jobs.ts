// Dead-letter queue: graphile-worker jobs that used up their attempts (attempts >= max_attempts), read from its
// public jobs view and changed with its administrative functions (reschedule_jobs, complete_jobs). Admin only.
// GET /api/jobs/failed, POST /api/jobs/failed/:id/retry, DELETE /api/jobs/failed/:id.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import type { HttpEnv } from './env.ts';
import { BadRequest } from './json.ts';

export interface FailedJob {
  id: number;
  queue: string | null;
  task: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** graphile-worker has not created its schema yet (undefined table / schema), possibly wrapped by drizzle. */
const missingSchema = (e: unknown): boolean => {
  const err = e as { code?: string; cause?: unknown } | undefined;
  return !!err && (err.code === '42P01' || err.code === '3F000' || missingSchema(err.cause));
};

export async function listFailedJobs(db: Database['db'], limit = 100): Promise<FailedJob[]> {
  try {
    // graphile-worker's public jobs view has every column but the payload; that one comes from the job row.
    const rows = await db.execute<Record<string, unknown>>(sql`
      select j.id, j.queue_name, j.task_identifier, j.attempts, j.max_attempts, j.last_error, j.created_at, j.updated_at,
        (select p.payload from graphile_worker._private_jobs p where p.id = j.id) as payload
      from graphile_worker.jobs j
      where j.attempts >= j.max_attempts order by j.id desc limit ${limit}`);
    return rows.map((x) => ({
      id: Number(x.id),
      queue: (x.queue_name as string) ?? null,
      task: x.task_identifier as string,
      payload: x.payload,
      attempts: Number(x.attempts),
      maxAttempts: Number(x.max_attempts),
      lastError: (x.last_error as string) ?? null,
      createdAt: new Date(x.created_at as string).toISOString(),
      updatedAt: new Date(x.updated_at as string).toISOString(),
    }));
  } catch (e) {
    if (missingSchema(e)) return [];
    throw e;
  }
}

async function isFailed(db: Database['db'], id: number): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from graphile_worker.jobs where id = ${id} and attempts >= max_attempts`);
  return rows.length > 0;
}

/** Failed job → runnable now with a fresh set of attempts. false when it is not a failed job. */
export async function retryFailedJob(db: Database['db'], id: number): Promise<boolean> {
  if (!(await isFailed(db, id))) return false;
  const rows = await db.execute(
    sql`select id from graphile_worker.reschedule_jobs(array[${id}]::bigint[], run_at := now(), attempts := 0)`,
  );
  return rows.length > 0;
}

export async function discardFailedJob(db: Database['db'], id: number): Promise<boolean> {
  if (!(await isFailed(db, id))) return false;
  const rows = await db.execute(sql`select id from graphile_worker.complete_jobs(array[${id}]::bigint[])`);
  return rows.length > 0;
}

export function jobsRouter(deps: { database: Database }) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();
  r.use('*', async (c, next) => {
    if (!c.get('principal').isAdmin) return c.json({ error: 'admin only' }, 403);
    await next();
  });
  const idOf = (raw: string) => {
    if (!/^\d{1,15}$/.test(raw)) throw new BadRequest('id must be a job id (integer)');
    return Number(raw);
  };
  r.get('/failed', async (c) => c.json(await listFailedJobs(db)));
  r.post('/failed/:id/retry', async (c) => {
    const id = idOf(c.req.param('id'));
    if (!(await retryFailedJob(db, id))) return c.json({ error: `no failed job ${id} (or it is running)` }, 404);
    return c.json({ id, retried: true });
  });
  r.delete('/failed/:id', async (c) => {
    const id = idOf(c.req.param('id'));
    if (!(await discardFailedJob(db, id))) return c.json({ error: `no failed job ${id}` }, 404);
    return c.body(null, 204);
  });
  return r;
}
