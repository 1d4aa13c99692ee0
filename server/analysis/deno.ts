// deno.json(c) / Deno.serve entry → a Deno service (Fresh, Hono, Oak).
import { isObj, type Ctx, type Detection } from './context.ts';
import { scanSources } from './source.ts';
import { join } from './tree.ts';

export function detectDeno(ctx: Ctx, dir: string): Detection | null {
  const files = ctx.tree.filesIn(dir);
  const cfgName = ['deno.json', 'deno.jsonc'].find((f) => files.has(f));
  const lock = files.has('deno.lock');
  if (!cfgName && !(lock && !files.has('package.json'))) return null;
  const cfg = cfgName ? ctx.json(join(dir, cfgName)) : {};
  const tasks: Record<string, string> = isObj(cfg) && isObj(cfg.tasks) ? cfg.tasks : {};
  const imports = isObj(cfg) && isObj(cfg.imports) ? JSON.stringify(cfg.imports) : '';
  const entries = ['main.ts', 'server.ts', 'mod.ts', 'app.ts', 'src/main.ts', 'main.tsx', 'dev.ts'].filter((f) =>
    ctx.tree.has(join(dir, f)),
  );
  const src = scanSources(ctx, dir, entries);
  const all = imports + src.text;
  const fw = /\$fresh|fresh@/.test(all)
    ? 'fresh'
    : /hono/.test(all)
      ? 'hono'
      : /\boak\b|deno\.land\/x\/oak/.test(all)
        ? 'oak'
        : null;
  const serves = !!fw || /Deno\.serve\(|serve\(|listenAndServe|\.listen\(/.test(src.text);
  const ev = [`${cfgName ?? 'deno.lock'} present`];
  if (fw) ev.push(`imports ${fw}`);
  if (!tasks.start && !entries.length)
    return {
      runtime: 'deno',
      framework: fw,
      type: 'web',
      confidence: 0.2,
      evidence: [...ev, 'no start task or entry: a library'],
      port: null,
      healthPath: null,
      processes: {},
      runs: false,
    };
  const entry = fw === 'fresh' ? 'main.ts' : entries[0];
  const start = tasks.start
    ? ['deno', 'task', 'start']
    : ['deno', 'run', '--allow-net', '--allow-env', '--allow-read', entry];
  const port = src.port ?? 8000;
  return {
    runtime: 'deno',
    framework: fw,
    type: serves ? 'web' : 'worker',
    confidence: fw ? 0.9 : serves ? 0.8 : 0.5,
    evidence: ev,
    port: serves ? port : null,
    healthPath: src.healthPath,
    processes: { [serves ? 'web' : 'worker']: start.join(' ') },
    runs: true,
    name: isObj(cfg) && typeof cfg.name === 'string' ? cfg.name : undefined,
    plan: {
      context: dir,
      dir: '.',
      files: [cfgName, lock ? 'deno.lock' : null].filter((f): f is string => !!f),
      tool: 'deno',
      hasDeps: true,
      build: tasks.build ? 'deno task build' : null,
      start,
      port,
      entry,
    },
  };
}
