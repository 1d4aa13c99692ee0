// Workspace declarations (npm/yarn/pnpm, lerna, rush, Cargo, go.work) → member folders.
import { isObj, type Ctx } from './context.ts';
import { NON_SERVICE_DIRS, join, normalize } from './tree.ts';

export interface Workspaces {
  members: string[];
  evidence: string[];
  /** npm package names of node members. */ names: Set<string>;
  nodeRoot: boolean;
}

export function findWorkspaces(ctx: Ctx): Workspaces {
  const globs: string[] = [];
  const negs: string[] = [];
  const ev: string[] = [];
  let nodeRoot = false;
  const add = (list: unknown, source: string) => {
    if (!Array.isArray(list) || !list.length) return;
    ev.push(`${source} declares workspaces`);
    for (const g of list) {
      const s = String(g);
      if (s.startsWith('!')) negs.push(s.slice(1));
      else globs.push(s);
    }
  };
  const pkg = ctx.json('package.json');
  if (isObj(pkg)) {
    const w = Array.isArray(pkg.workspaces) ? pkg.workspaces : isObj(pkg.workspaces) ? pkg.workspaces.packages : null;
    if (w) {
      add(w, 'package.json');
      nodeRoot = true;
    }
  }
  if (ctx.tree.has('pnpm-workspace.yaml')) {
    const y = ctx.yaml('pnpm-workspace.yaml');
    if (isObj(y)) {
      add(y.packages, 'pnpm-workspace.yaml');
      nodeRoot = true;
    }
  }
  if (ctx.tree.has('lerna.json')) {
    const l = ctx.json('lerna.json');
    if (isObj(l) && !nodeRoot) {
      add(l.packages ?? ['packages/*'], 'lerna.json');
      nodeRoot = true;
    }
  }
  if (ctx.tree.has('rush.json')) {
    const r = ctx.json('rush.json');
    if (isObj(r) && Array.isArray(r.projects)) {
      add(r.projects.map((p: any) => p?.projectFolder).filter(Boolean), 'rush.json');
      nodeRoot = true;
    }
  }
  if (ctx.tree.has('Cargo.toml')) {
    const c = ctx.toml('Cargo.toml');
    if (isObj(c) && isObj(c.workspace)) {
      add(c.workspace.members, 'Cargo.toml [workspace]');
      if (Array.isArray(c.workspace.exclude)) negs.push(...c.workspace.exclude.map(String));
    }
  }
  const gw = ctx.text('go.work', 32 * 1024);
  if (gw !== null) {
    const uses = [...gw.matchAll(/^\s*use\s+(\S+)\s*$/gm)].map((m) => m[1]);
    const block = /use\s*\(([\s\S]*?)\)/.exec(gw);
    if (block)
      uses.push(
        ...block[1]
          .split('\n')
          .map((l) => l.replace(/\/\/.*/, '').trim())
          .filter(Boolean),
      );
    add(uses, 'go.work');
  }
  const excluded = new Set(negs.flatMap((n) => ctx.tree.glob(n)));
  const members = new Set<string>();
  for (const g of globs) {
    for (const d of g.includes('*')
      ? ctx.tree.glob(g)
      : [normalize(g)].filter((x): x is string => x !== null && ctx.tree.isDir(x))) {
      if (d === '' || excluded.has(d) || d.split('/').some((s) => NON_SERVICE_DIRS.has(s))) continue;
      members.add(d);
    }
  }
  const names = new Set<string>();
  for (const m of members) {
    const p = ctx.tree.has(join(m, 'package.json')) ? ctx.json(join(m, 'package.json')) : null;
    if (isObj(p) && typeof p.name === 'string') names.add(p.name);
  }
  return { members: [...members].sort(), evidence: ev, names, nodeRoot };
}

/** A Turborepo member builds with its workspace dependencies first: `turbo run build --filter=<name>...` from the root's binary. */
export function turboBuild(ctx: Ctx, root: string, dir: string, name: unknown): string | null {
  if (typeof name !== 'string' || !ctx.tree.has(join(root, 'turbo.json'))) return null;
  const pkg = ctx.json(join(root, 'package.json'));
  const deps = isObj(pkg)
    ? {
        ...(isObj(pkg.dependencies) ? pkg.dependencies : {}),
        ...(isObj(pkg.devDependencies) ? pkg.devDependencies : {}),
      }
    : {};
  if (!('turbo' in deps)) return null;
  const up = '../'.repeat(dir.slice(root.length).split('/').filter(Boolean).length);
  return `${up}node_modules/.bin/turbo run build --filter=${name}...`;
}
