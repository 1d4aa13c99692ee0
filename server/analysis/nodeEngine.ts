// package.json `engines.node` (pure): which Node majors a range allows, and the image tag to build with.
import semver from 'semver';

/** The range as semver reads it, or null when it is not one (`lts/*`, `latest`). */
const range = (r: string): semver.Range | null => {
  try {
    return new semver.Range(r);
  } catch {
    return null;
  }
};

/** Does `engine` allow some Node `major`.x.y? Unparsable ranges allow everything (no opinion). */
export function engineAllows(engine: string, major: number): boolean {
  const r = range(engine);
  return r === null || r.intersects(new semver.Range(`${major}.x`));
}

/** The lowest major `engine` allows that is above `major`, or null. */
export function nextAllowedMajor(engine: string, major: number): number | null {
  const r = range(engine);
  if (r === null) return null;
  // Each `||` alternative narrowed to versions above `major`: the lowest version it still allows (none when empty).
  const majors = r.set.map(
    (comparators) => semver.minVersion([...comparators.map((c) => c.value), `>=${major + 1}.0.0`].join(' '))?.major,
  );
  const next = majors.filter((m): m is number => m !== undefined);
  return next.length ? Math.min(...next) : null;
}

/** `node:20-slim` → `node:22-slim` when the engine needs 22; other images (local stand-ins) are kept. */
export function nodeImageFor(image: string, engine: string | undefined): string {
  const m = /^((?:docker\.io\/)?(?:library\/)?node):(\d+)(.*)$/.exec(image);
  if (!engine || !m || engineAllows(engine, Number(m[2]))) return image;
  const next = nextAllowedMajor(engine, Number(m[2]));
  return next ? `${m[1]}:${next}${m[3]}` : image;
}
