// `kyozo analyze [DIR] [--json]`: the topology of a folder, as a readable summary or the JSON contract.
import { basename, resolve } from 'node:path';
import { toContractJson } from '../analysis/index.ts';
import { analyzeAndPlan } from '../build/topology.ts';
import type { Topology } from '../analysis/types.ts';
import { parseConfig } from '../config.ts';
import { snapshotFromDir } from '../snapshot/fs.ts';

const USAGE =
  'usage: kyozo analyze [DIR] [--json]\n  Prints the services DIR holds (default: the current folder), their dependencies and recommendations.\n  --json  the topology as JSON on stdout, nothing else';

export async function runAnalyze(argv: string[]): Promise<number> {
  let dir = '.';
  let json = false;
  for (const a of argv) {
    if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`kyozo analyze: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else dir = a;
  }
  const t0 = performance.now();
  let topology: Topology;
  try {
    const images = parseConfig(process.env).images;
    topology = analyzeAndPlan(snapshotFromDir(dir), { images, name: basename(resolve(dir)) }).topology;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(
      `kyozo analyze: ${err.code === 'ENOENT' ? `no such folder: ${dir}` : err.code === 'ENOTDIR' ? `not a folder: ${dir}` : err.message}\n`,
    );
    return 1;
  }
  // durationMs covers the whole analysis: the walk of the folder and the pure analysis.
  topology.stats.durationMs = Math.round((performance.now() - t0) * 10) / 10;
  process.stdout.write(json ? JSON.stringify(toContractJson(topology), null, 2) + '\n' : formatTopology(topology, dir));
  return 0;
}

export function formatTopology(t: Topology, dir: string): string {
  const out: string[] = [];
  const rows = t.services.map((s) => [
    s.name,
    s.type,
    s.runtime + (s.framework ? `/${s.framework}` : ''),
    s.port === null ? '-' : String(s.port),
    `${Math.round(s.confidence * 100)}%`,
    s.path ?? '(image)',
    s.build.strategy === 'image' ? (s.build.image ?? '') : s.build.strategy,
  ]);
  out.push(
    `${dir}: ${t.services.length} service${t.services.length === 1 ? '' : 's'} (${t.stats.files} files, ${t.stats.durationMs} ms)`,
    '',
  );
  if (rows.length) {
    const head = ['SERVICE', 'TYPE', 'RUNTIME', 'PORT', 'CONF', 'PATH', 'BUILD'];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(w[i]))
        .join('  ')
        .trimEnd();
    out.push(line(head), ...rows.map(line), '');
    for (const s of t.services) {
      out.push(`${s.name}: ${s.evidence.join('; ')}`);
      const procs = Object.entries(s.processes).map(([k, v]) => `${k}: ${v}`);
      if (procs.length) out.push(`  processes  ${procs.join(' | ')}`);
      if (s.healthPath) out.push(`  health     ${s.healthPath}`);
    }
    out.push('');
  }
  if (t.dependencies.length) {
    out.push('Dependencies');
    for (const d of t.dependencies) out.push(`  ${d.from} -> ${d.to}  (${d.reason})`);
    out.push('');
  }
  out.push('Recommendations');
  for (const r of t.recommendations) out.push(`  [${r.severity}] ${r.code}${r.path ? ` ${r.path}` : ''}: ${r.message}`);
  if (!t.recommendations.length) out.push('  none');
  out.push('');
  return out.join('\n');
}
