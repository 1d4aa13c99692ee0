// TOML for pyproject.toml, Cargo.toml, hugo.toml, netlify.toml, Pipfile, fly.toml: a thin wrapper over smol-toml.
// Throws TomlError on anything it cannot read; Ctx turns that into an `unparsable-manifest` recommendation.
import { parse, TomlDate } from 'smol-toml';

export class TomlError extends Error {}
type Table = Record<string, unknown>;

export function parseToml(src: string): Table {
  let doc: Table;
  try {
    doc = parse(src.replace(/^\uFEFF/, ''));
  } catch (e) {
    // "Invalid TOML document: invalid value" + a code excerpt → "line 3: invalid value"
    const { message, line } = e as Error & { line?: number };
    const what = message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    throw new TomlError(line ? `line ${line}: ${what}` : what);
  }
  return plain(doc) as Table;
}

/**
 * smol-toml builds tables without a prototype (String() of one throws) and dates as TomlDate objects;
 * detectors get ordinary objects and dates as strings, `1979-05-27T07:32:00Z` as written (no added `.000`).
 */
function plain(v: unknown): unknown {
  if (v instanceof TomlDate) return v.toISOString().replace(/\.000(?=Z|[+-]\d\d:\d\d|$)/, '');
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v !== 'object' || v === null) return v;
  const out: Table = {};
  // Defined, not assigned: a `__proto__` key stays a key instead of replacing the prototype.
  for (const [k, x] of Object.entries(v))
    Object.defineProperty(out, k, { value: plain(x), enumerable: true, writable: true, configurable: true });
  return out;
}
