// A small .dockerignore matcher: Go filepath.Match globs (* ? [..]) plus ** and !exceptions, last match
// wins, paths relative to the context root; a match on a directory excludes everything below it.
// .git is always excluded; the Dockerfile and .dockerignore are always sent (as Docker does).

export interface IgnoreRule {
  negate: boolean;
  re: RegExp;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, close) + ']';
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  // A pattern matching a directory also matches everything under it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

function clean(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/\/+/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '');
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = clean(line);
    if (!line) continue;
    rules.push({ negate, re: globToRegExp(line) });
  }
  return rules;
}

/**
 * Returns a predicate over context-relative paths. With !exceptions present, directories are never
 * pruned (an exception may re-include something below them) — pass isDir to get that behaviour.
 */
export function createIgnoreMatcher(
  text: string,
  alwaysKeep: string[] = [],
): (relPath: string, isDir?: boolean) => boolean {
  const rules = parseDockerignore(text);
  const hasNegation = rules.some((r) => r.negate);
  const keep = new Set(alwaysKeep.map(clean));
  return (relPath, isDir = false) => {
    const p = clean(relPath);
    if (!p) return false;
    if (p === '.git' || p.startsWith('.git/')) return true;
    if (keep.has(p)) return false;
    if (isDir && hasNegation) return false;
    let ignored = false;
    for (const r of rules) if (r.re.test(p)) ignored = !r.negate;
    return ignored;
  };
}
