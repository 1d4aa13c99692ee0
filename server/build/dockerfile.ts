// Dockerfile lines every per-runtime plan shares (pure): CMD, manifest COPYs, apt installs, PORT.
import type { PlanFacts } from '../analysis/types.ts';

/** CMD line: exec form for an argv or a simple command, shell form (exec'd) when it needs $VARS, &&, pipes. */
export function cmd(start: string[] | string | null, fallback = 'echo "no start command found" && exit 1'): string {
  if (Array.isArray(start)) return `CMD ${JSON.stringify(start)}`;
  const s = (start ?? fallback).trim();
  if (!/[$&|;<>`"'*?(){}\\=]/.test(s)) return `CMD ${JSON.stringify(s.split(/\s+/))}`;
  return /^[\w./-]+(\s|$)/.test(s) && !/&&|\|\||;|\|/.test(s) && !/^\w+=/.test(s) ? `CMD exec ${s}` : `CMD ${s}`;
}

/** COPY of dependency manifests (files in the service dir), nested paths copied with their folder. */
export function copyManifests(f: PlanFacts, dest = './'): string[] {
  const prefix = f.dir === '.' ? '' : `${f.dir}/`;
  const flat = f.files.filter((x) => !x.includes('/')).map((x) => prefix + x);
  const nested = [...new Set(f.files.filter((x) => x.includes('/')).map((x) => x.slice(0, x.lastIndexOf('/'))))];
  const out: string[] = [];
  if (flat.length) out.push(`COPY ${flat.join(' ')} ${dest}`);
  for (const d of nested) out.push(`COPY ${prefix}${d}/ ${dest}${d}/`);
  return out;
}

export function aptInstall(packages: string[] | undefined): string[] {
  if (!packages?.length) return [];
  return [
    `RUN apt-get update -qq && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`,
  ];
}

export const portLines = (port: number) => [`ENV PORT=${port}`, `EXPOSE ${port}`];
