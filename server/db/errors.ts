// Database errors in logs: a postgres.js error carries the query and its parameters (`query`, `parameters`,
// `args`, `where` may quote the data), and drizzle's DrizzleQueryError prints the parameters in its message
// and stack. What reaches a log or a response is this module's text: Postgres's own message and SQLSTATE code.

interface PgLike {
  name?: string;
  message?: string;
  code?: string;
  severity?: string;
  cause?: unknown;
  stack?: string;
}

const isPostgresError = (e: unknown): e is PgLike =>
  (e as PgLike)?.name === 'PostgresError' && typeof (e as PgLike).code === 'string';
const isDrizzleQueryError = (e: unknown): e is PgLike =>
  (e as PgLike)?.name === 'DrizzleQueryError' || isDrizzleShape(e);
const isDrizzleShape = (e: unknown) =>
  e instanceof Error && e.message.startsWith('Failed query: ') && 'params' in e && 'query' in e;

/** True when the error (or one it wraps) came from the database driver. */
export function isDatabaseError(e: unknown): boolean {
  for (let x = e, i = 0; x && i < 5; x = (x as PgLike).cause, i++)
    if (isPostgresError(x) || isDrizzleQueryError(x)) return true;
  return false;
}

/** Postgres's message and code; a data exception (class 22) quotes the input, so its quoted part goes. */
function pgText(e: PgLike): string {
  const message = String(e.message ?? 'error');
  const safe = e.code?.startsWith('22') ? message.replace(/"[^]*"|: .*$/, '"…"') : message;
  return `database error ${e.code}: ${safe}`;
}

/**
 * The one-line message of an error that is safe to log or show: err.message for anything but a database
 * error; for one, Postgres's message and SQLSTATE code without the query, parameters or row data.
 */
export function safeErrorMessage(e: unknown): string {
  const chain: unknown[] = [];
  for (let x = e, i = 0; x && i < 5; x = (x as PgLike).cause, i++) chain.push(x);
  const pg = chain.find(isPostgresError);
  if (pg) return pgText(pg);
  if (chain.some(isDrizzleQueryError)) {
    const cause = chain.find((x) => !isDrizzleQueryError(x)) as PgLike | undefined;
    return `database error: ${cause?.message ? firstLine(cause.message) : 'the query failed'}`;
  }
  return (e as PgLike)?.message || String(e);
}

const firstLine = (s: string) => s.split('\n')[0];

/** For a log: the safe message, plus the stack frames (never the message lines a stack starts with). */
export function describeError(e: unknown): string {
  const message = safeErrorMessage(e);
  if (!isDatabaseError(e)) return (e as PgLike)?.stack || message;
  const frames = ((e as PgLike)?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return [message, ...frames].join('\n');
}

/** An Error carrying only the safe message (for code that logs err.message or err.stack itself). */
export function sanitizedError(e: unknown): unknown {
  if (!isDatabaseError(e)) return e;
  const clean = new Error(safeErrorMessage(e));
  clean.stack = describeError(e);
  return clean;
}
