// Procfile (Heroku/Dokku/Piku style): `type: command` lines fill a service's processes.
import type { Ctx } from './context.ts';
import { join } from './tree.ts';

export function parseProcfile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.+?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) out[m[1]] = m[2];
  }
  return out;
}

export function readProcfile(ctx: Ctx, dir: string): Record<string, string> | null {
  const t = ctx.text(join(dir, 'Procfile'), 16 * 1024);
  if (t === null) return null;
  const p = parseProcfile(t);
  return Object.keys(p).length ? p : null;
}
