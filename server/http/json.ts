// JSON bodies: malformed JSON and wrong types answer 400 with the field at fault.
import type { Context } from 'hono';
import { INT4_MAX, intError, parseIntText } from '../ints.ts';

export class BadRequest extends Error {}

export async function readJson(c: Context, maxBytes = 1 << 20): Promise<unknown> {
  const text = await c.req.text();
  if (text.length > maxBytes) throw new BadRequest(`body is larger than ${maxBytes} bytes`);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`malformed JSON: ${(e as Error).message}`);
  }
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('body must be a JSON object');
  return body as Record<string, unknown>;
}

export function field<T>(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'number' | 'integer',
  required: true,
): T;
export function field<T>(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'number' | 'integer',
  required?: false,
): T | undefined;
export function field(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'number' | 'integer',
  required = false,
) {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new BadRequest(`${name} is required`);
    return undefined;
  }
  const ok =
    type === 'string'
      ? typeof v === 'string'
      : type === 'integer'
        ? Number.isSafeInteger(v)
        : typeof v === 'number' && Number.isFinite(v);
  if (!ok) throw new BadRequest(`${name} must be ${type === 'integer' ? 'an integer' : `a ${type}`}`);
  return v;
}

/** `v` when it is an integer in [min, max] (default: what an int column holds, from 1), else a 400 naming it. */
export function intIn(v: unknown, name: string, min = 1, max = INT4_MAX): number {
  const error = intError(v, name, min, max);
  if (error) throw new BadRequest(error);
  return v as number;
}

/** A path segment, query param or form field holding a decimal integer in [min, max], else a 400 naming it. */
export function intParam(raw: string | undefined, name: string, min = 1, max = INT4_MAX): number {
  return intIn(parseIntText(raw ?? ''), name, min, max);
}
