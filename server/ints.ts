// Integers from the outside (JSON fields, path segments, query params, form fields) checked against bounds
// before they reach arithmetic or Postgres: 1e308 passes Number.isInteger, overflows an int column and
// would answer 500. Pure: each surface turns the message into its own 400.

/** The largest value of a Postgres integer (int4/serial) column: release versions, token and app ids. */
export const INT4_MAX = 2_147_483_647;

/** Why `v` is not an integer in [min, max] (a message naming the field), or null when it is. */
export function intError(v: unknown, name: string, min: number, max: number): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return null;
  return `${name} must be an integer between ${min} and ${max}`;
}

/** The number a decimal integer text stands for ("42", "-1", " 7 "), or NaN for anything else ("1e3", "2.0", "0x10"). */
export function parseIntText(raw: string): number {
  const s = raw.trim();
  return /^[+-]?\d{1,16}$/.test(s) ? Number(s) : NaN;
}
