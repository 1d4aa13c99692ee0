// Release logs: persisted line by line; readers tail them by id.
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from './client.ts';
import { releaseLogs } from './schema.ts';

export async function appendLogLines(db: Db, releaseId: number, lines: string[]) {
  if (lines.length === 0) return;
  await db.insert(releaseLogs).values(lines.map((line) => ({ releaseId, line })));
}

export async function readLogLines(db: Db, releaseId: number, afterId = 0, limit = 5000) {
  return db
    .select({ id: releaseLogs.id, line: releaseLogs.line, at: releaseLogs.at })
    .from(releaseLogs)
    .where(and(eq(releaseLogs.releaseId, releaseId), gt(releaseLogs.id, afterId)))
    .orderBy(asc(releaseLogs.id))
    .limit(limit);
}
