// Benchmark of the topology analysis (issue 3): a generated 10,000-file monorepo plus 20,000 files inside
// node_modules and .git. Reports the in-process time (walk + analyze, and analyze alone = stats.durationMs)
// and the CLI's cost over node+tsx start-up.  Run: npx tsx scripts/bench-analysis.ts [--keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyzeAndPlan } from '../server/build/topology.ts';
import { snapshotFromDir } from '../server/snapshot/fs.ts';

const REPO = resolve(import.meta.dirname, '..');
const root = mkdtempSync(join(tmpdir(), 'kyozo-bench-'));
let files = 0;
let skipped = 0;
const put = (p: string, c = '') => {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  writeFileSync(join(root, p), c);
};
const json = (o: object) => JSON.stringify(o, null, 2);

// 10,000 files of source: 40 apps (node, python, go), 60 libraries, each ~100 files.
put('package.json', json({ name: 'bench', private: true, workspaces: ['apps/*', 'packages/*'] }));
files++;
put('package-lock.json', '{}');
files++;
for (let a = 0; a < 40; a++) {
  const kind = a % 4;
  const dir = `apps/app${a}`;
  if (kind === 0)
    put(
      `${dir}/package.json`,
      json({
        name: `app${a}`,
        scripts: { build: 'next build', start: 'next start' },
        dependencies: { next: '14', react: '18' },
      }),
    );
  else if (kind === 1) {
    put(
      `${dir}/package.json`,
      json({ name: `app${a}`, scripts: { start: 'node src/server.js' }, dependencies: { express: '4' } }),
    );
  } else if (kind === 2) {
    put(`${dir}/requirements.txt`, 'fastapi\nuvicorn\n');
    put(`${dir}/main.py`, 'from fastapi import FastAPI\napp = FastAPI()\n');
    files++;
  } else {
    put(`${dir}/go.mod`, `module app${a}\n\ngo 1.22\n`);
    put(`${dir}/main.go`, 'package main\nfunc main() { http.ListenAndServe(":8080", nil) }\n');
    files++;
  }
  files++;
  for (let f = files % 100; f < 98; f++) {
    put(`${dir}/src/mod${f % 10}/file${f}.ts`, `export const x${f} = ${f};\n`);
    files++;
  }
}
for (let l = 0; files < 10_000; l++) {
  const dir = `packages/lib${l}`;
  put(`${dir}/package.json`, json({ name: `@bench/lib${l}`, main: 'dist/index.js', types: 'dist/index.d.ts' }));
  files++;
  for (let f = 0; f < 99 && files < 10_000; f++) {
    put(`${dir}/src/part${f % 7}/f${f}.ts`, `export default ${f};\n`);
    files++;
  }
}
// 20,000 files that must be pruned before descending: node_modules (root and per app) and .git objects.
for (let i = 0; i < 15_000; i++) {
  put(`node_modules/pkg${i % 500}/lib/f${i}.js`, 'module.exports = 1;\n');
  skipped++;
}
for (let i = 0; i < 1_000; i++) {
  put(`apps/app${i % 40}/node_modules/dep${i % 10}/index${i}.js`);
  skipped++;
}
for (let i = 0; i < 4_000; i++) {
  put(`.git/objects/${(i % 256).toString(16).padStart(2, '0')}/${i.toString(16).padStart(38, '0')}`, 'x');
  skipped++;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs: { walk: number; analysis: number; total: number }[] = [];
let services = 0;
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  const snap = snapshotFromDir(root);
  const t1 = performance.now();
  const topo = analyzeAndPlan(snap).topology; // the analysis a push shows: with its generated Dockerfiles
  const t2 = performance.now();
  services = topo.services.length;
  if (snap.paths.length !== files) throw new Error(`walker listed ${snap.paths.length} files, expected ${files}`);
  runs.push({ walk: t1 - t0, analysis: topo.stats.durationMs, total: t2 - t0 });
}
const fmt = (n: number) => `${n.toFixed(1)} ms`;
console.log(
  `tree: ${files} files + ${skipped} in node_modules/.git (${root}); ${services} services found; ${cpus().length} cores, Node ${process.version}`,
);
console.log(
  `in-process, first run:   walk ${fmt(runs[0].walk)}, analyze (stats.durationMs) ${fmt(runs[0].analysis)}, total ${fmt(runs[0].total)}`,
);
console.log(
  `in-process, median of ${runs.length - 1} warm: walk ${fmt(median(runs.slice(1).map((r) => r.walk)))}, analyze ${fmt(median(runs.slice(1).map((r) => r.analysis)))}, total ${fmt(median(runs.slice(1).map((r) => r.total)))}`,
);

// CLI: node + tsx start-up alone vs. the analyze command on the same tree (tsx's compile cache is warmed first).
const time = (args: string[]) => {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  return performance.now() - t0;
};
const baseline = ['--input-type=module', '-e', "const { register } = await import('tsx/esm/api'); register();"];
const cli = [
  '--input-type=module',
  '-e',
  `const { register } = await import('tsx/esm/api'); register(); const { runAnalyze } = await import('./server/cli/analyze.ts'); process.exitCode = await runAnalyze([${JSON.stringify(root)}, '--json']);`,
];
time(baseline);
time(cli);
const b = median([0, 1, 2, 3, 4].map(() => time(baseline)));
const c = median([0, 1, 2, 3, 4].map(() => time(cli)));
console.log(`CLI (median of 5): node+tsx start-up ${fmt(b)}, kyozo analyze --json ${fmt(c)}, added ${fmt(c - b)}`);
if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
