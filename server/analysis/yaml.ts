// YAML for compose files, pnpm-workspace.yaml, _config.yml, mkdocs.yml: a thin wrapper over the `yaml` package
// (YAML 1.2 core schema, anchors/aliases, `<<` merge keys). Throws YamlError on anything it cannot read;
// Ctx turns that into an `unparsable-manifest` recommendation.
import { parseAllDocuments } from 'yaml';

export class YamlError extends Error {}

const OPTIONS = {
  merge: true, // `<<: *defaults`, as compose files use it
  uniqueKeys: false, // a repeated key keeps its last value (what compose and the old reader did) instead of failing
  stringKeys: true, // keys are their source text: `1:`, `null:` and `true:` stay strings
  maxAliasCount: 100, // aliases may not expand a document exponentially ("billion laughs")
  logLevel: 'error', // warnings (unknown tags such as compose's `!reset`) are not printed: analysis has no effects
} as const;

/** The document as plain JS values; null for an empty one. Several documents (`---`) are merged, top-level keys last-wins. */
export function parseYaml(src: string): unknown {
  const docs = parseAllDocuments(src, OPTIONS);
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length) throw new YamlError(firstLine(doc.errors[0].message));
    try {
      values.push(doc.toJS(OPTIONS));
    } catch (e) {
      throw new YamlError(firstLine((e as Error).message)); // unknown alias, too many aliases, merging a non-map
    }
  }
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length <= 1) return present[0] ?? null;
  if (!present.every((v) => typeof v === 'object' && !Array.isArray(v)))
    throw new YamlError('several documents that are not all maps');
  return Object.fromEntries(present.flatMap((v) => Object.entries(v as object)));
}

/** `yaml` errors are "message at line 3, column 1:" followed by a code excerpt; the first line is enough. */
const firstLine = (m: string) => m.split('\n')[0].replace(/:$/, '');
