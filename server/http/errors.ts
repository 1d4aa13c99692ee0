// What a thrown error means in HTTP: one mapping for the JSON API and the console, each rendering it its own
// way (a JSON { error }, an error page or an inline htmx message).
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OpError } from '../ops/deps.ts';
import { BadRequest } from './json.ts';

/** Thrown by console handlers for a missing (or someone else's) app or release: rendered as a 404 page. */
export class NotFound extends Error {}

/** The status for an error a handler threw; 500 means unexpected: log it and don't show its message. */
export function errorStatus(err: unknown): ContentfulStatusCode {
  if (err instanceof NotFound) return 404;
  if (err instanceof BadRequest) return 400;
  if (err instanceof OpError || err instanceof HTTPException) return err.status;
  return 500;
}
