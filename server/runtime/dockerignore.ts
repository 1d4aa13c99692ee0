// .dockerignore matching via @balena/dockerignore (a port of Docker's own Go matcher, the one dockerode
// uses), paths relative to the context root. Kyozo's policy around it: .git is always excluded; the
// Dockerfile and .dockerignore are always sent (as Docker does).
import dockerignoreModule from '@balena/dockerignore';

// A CommonJS module whose typings say `export default`: Node hands ESM the module.exports object, which
// the library also exposes as its own `.default`.
const dockerignore = dockerignoreModule.default;

function clean(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/\/+/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '');
}

/**
 * The library builds a RegExp from each pattern escaping only `.` and `$`; Go's filepath.Match treats the
 * other RegExp metacharacters as literals, so escape them (outside [classes]) rather than let `*.c++` throw.
 */
function escapeLiterals(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) out += c + line[++i];
    else if (c === '[') {
      const close = line.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += line.slice(i, close + 1);
        i = close;
      }
    } else if ('+^(){}|]'.includes(c)) out += '\\' + c;
    else out += c;
  }
  return out;
}

/**
 * Returns a predicate over context-relative paths. With !exceptions present, directories are never
 * pruned (an exception may re-include something below them) — pass isDir to get that behaviour.
 */
export function createIgnoreMatcher(
  text: string,
  alwaysKeep: string[] = [],
): (relPath: string, isDir?: boolean) => boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  // Docker matches case-sensitively on Linux; the library defaults to ignoring case.
  const matcher = dockerignore({ ignorecase: false }).add(lines.map(escapeLiterals));
  const hasNegation = lines.some((l) => l.startsWith('!') && clean(l.slice(1).trim()) !== '');
  const keep = new Set(alwaysKeep.map(clean));
  return (relPath, isDir = false) => {
    const p = clean(relPath);
    if (!p) return false;
    if (p === '.git' || p.startsWith('.git/')) return true;
    if (keep.has(p)) return false;
    if (isDir && hasNegation) return false;
    return matcher.ignores(p);
  };
}
