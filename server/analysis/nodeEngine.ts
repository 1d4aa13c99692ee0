// package.json `engines.node` (pure): which Node majors a range allows, and the image tag to build with.

/** [lo, hi] majors allowed by one `||` alternative of a semver range (hi Infinity = open). */
function alternative(range: string): [number, number] | null {
  let lo = 0;
  let hi = Infinity;
  const parts = range.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || parts[0] === '*' || parts[0] === 'x') return [0, Infinity];
  for (const p of parts) {
    const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(p);
    if (!m) return null;
    const major = Number(m[2]);
    const minorZero = !m[3] || m[3] === '0' || m[3] === 'x' || m[3] === '*';
    switch (m[1]) {
      case '>=':
        lo = Math.max(lo, major);
        break;
      case '>':
        lo = Math.max(lo, minorZero && !m[3] ? major + 1 : major);
        break;
      case '<':
        hi = Math.min(hi, minorZero && (!m[4] || m[4] === '0') ? major - 1 : major);
        break;
      case '<=':
        hi = Math.min(hi, major);
        break;
      default:
        lo = Math.max(lo, major);
        hi = Math.min(hi, major); // ^22, ~22.1, 22.x, 22
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Does `range` allow Node `major`? Unparsable ranges allow everything (no opinion). */
export function engineAllows(range: string, major: number): boolean {
  const alts = range.split('||').map(alternative);
  if (alts.some((a) => a === null)) return true;
  return alts.some((a) => a![0] <= major && major <= a![1]);
}

/** The lowest major the range allows that is above `major`, or null. */
export function nextAllowedMajor(range: string, major: number): number | null {
  const alts = range
    .split('||')
    .map(alternative)
    .filter((a): a is [number, number] => a !== null);
  const cands = alts.map(([lo, hi]) => Math.max(lo, major + 1)).filter((m, i) => m <= alts[i][1]);
  return cands.length ? Math.min(...cands) : null;
}

/** `node:20-slim` → `node:22-slim` when the engine needs 22; other images (local stand-ins) are kept. */
export function nodeImageFor(image: string, engine: string | undefined): string {
  const m = /^((?:docker\.io\/)?(?:library\/)?node):(\d+)(.*)$/.exec(image);
  if (!engine || !m || engineAllows(engine, Number(m[2]))) return image;
  const next = nextAllowedMajor(engine, Number(m[2]));
  return next ? `${m[1]}:${next}${m[3]}` : image;
}
