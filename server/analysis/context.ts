// Shared state of one analysis run: the snapshot, its index, cached reads and parsers that turn
// unparsable manifests into recommendations instead of exceptions.
import type { PlanFacts, Recommendation, ServiceType, Snapshot } from './types.ts';
import { Tree } from './tree.ts';
import { parseToml } from './toml.ts';
import { parseYaml } from './yaml.ts';

/** What one detector concluded about one folder. */
export interface Detection {
  runtime: string;
  framework: string | null;
  type: ServiceType;
  confidence: number;
  evidence: string[];
  port: number | null;
  healthPath: string | null;
  processes: Record<string, string>;
  /** false: a library or tooling folder, not a service. */
  runs: boolean;
  /** Name declared by the manifest (package.json name, pyproject name...). */
  name?: string;
  plan?: PlanFacts;
  /** Backing services the code talks to, from its client libraries: postgres, mysql, mongodb, redis, rabbitmq. */
  uses?: string[];
  /** Workspace package names it depends on (node). */
  localDeps?: string[];
  /** Memory hint in MB (heavy frameworks). */
  memoryMb?: number;
}

export class Ctx {
  readonly tree: Tree;
  readonly recs: Recommendation[] = [];
  private cache = new Map<string, string | null>();

  constructor(readonly snap: Snapshot) {
    this.tree = new Tree(snap.paths);
  }

  /** File text (capped), cached; null when absent. */
  text(path: string, maxBytes = 256 * 1024): string | null {
    if (!this.tree.has(path)) return null;
    const key = `${maxBytes}:${path}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    let t: string | null = null;
    try {
      t = this.snap.read(path, maxBytes);
    } catch {
      t = null;
    }
    this.cache.set(key, t);
    return t;
  }

  rec(severity: Recommendation['severity'], code: string, path: string | null, message: string): void {
    if (this.recs.some((r) => r.code === code && r.path === path)) return;
    this.recs.push({ severity, code, path, message });
  }

  private parsed = new Map<string, unknown>();
  private parse(path: string, kind: string, fn: (s: string) => unknown): unknown {
    if (this.parsed.has(path)) return this.parsed.get(path);
    const t = this.text(path);
    let v: unknown = undefined;
    if (t !== null) {
      try {
        v = fn(t);
      } catch (e) {
        this.rec(
          'medium',
          'unparsable-manifest',
          path,
          `${path} is not valid ${kind} (${(e as Error).message.slice(0, 120)}); it was ignored, so detection may be incomplete.`,
        );
      }
    }
    this.parsed.set(path, v);
    return v;
  }
  json(path: string): any {
    return this.parse(path, 'JSON', (s) => {
      const t = s.replace(/^\uFEFF/, '');
      try {
        return JSON.parse(t);
      } catch (e) {
        if (!/\.jsonc$|tsconfig|deno\.json$/.test(path)) throw e;
        return JSON.parse(stripJsonComments(t));
      }
    });
  }
  toml(path: string): any {
    return this.parse(path, 'TOML', parseToml);
  }
  yaml(path: string): any {
    return this.parse(path, 'YAML', parseYaml);
  }
}

/** Removes // and /* comments and trailing commas (tsconfig/deno.jsonc style) outside strings. */
export function stripJsonComments(s: string): string {
  if (!s.includes('/') && !/,\s*[}\]]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      const start = i;
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
      out += s.slice(start, i + 1);
    } else if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && s[i + 1] === '*') {
      const e = s.indexOf('*/', i + 2);
      i = e < 0 ? s.length : e + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
