// The analysis as release-log lines (what `git push` shows): services with confidence and evidence.
import type { Topology } from '../analysis/types.ts';

const pct = (c: number) => `${Math.round(c * 100)}%`;

export function describeTopology(t: Topology, log: (l: string) => void) {
  log(
    `-----> Detected ${t.services.length} service${t.services.length === 1 ? '' : 's'} (${t.stats.files} files, ${t.stats.durationMs} ms)`,
  );
  for (const s of t.services) {
    const kind = [s.runtime, s.framework].filter(Boolean).join('/');
    log(
      `       ${s.name} (${s.path ?? s.build.image ?? 'image'}): ${s.type}, ${kind}, confidence ${pct(s.confidence)}${s.port ? `, port ${s.port}` : ''}`,
    );
    for (const e of s.evidence) log(`         - ${e}`);
  }
  for (const d of t.dependencies) log(`       ${d.from} → ${d.to} (${d.reason})`);
  for (const r of t.recommendations.filter((r) => r.severity !== 'low'))
    log(`       [${r.severity}] ${r.code}${r.path ? ` (${r.path})` : ''}: ${r.message}`);
}
