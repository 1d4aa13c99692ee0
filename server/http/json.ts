// JSON bodies: malformed JSON and wrong types answer 400 with the field at fault.
import type { Context } from 'hono';

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
        ? Number.isInteger(v)
        : typeof v === 'number' && Number.isFinite(v);
  if (!ok) throw new BadRequest(`${name} must be ${type === 'integer' ? 'an integer' : `a ${type}`}`);
  return v;
}
