// Python manifests → dependency names and the tool that installs them (pip, poetry, pipenv, uv).
import { isObj, type Ctx } from './context.ts';
import { dirname, join, normalize } from './tree.ts';

export interface PyManifest {
  deps: Set<string>;
  tool: string;
  files: string[];
  evidence: string[];
  name?: string;
  packaged: boolean;
  hasManifest: boolean;
}

export const pyName = (s: string) => s.trim().toLowerCase().replace(/[_.]+/g, '-');
const reqName = (line: string) => /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line.trim())?.[1];

function readRequirements(ctx: Ctx, path: string, out: Set<string>, depth = 0): void {
  const t = ctx.text(path, 128 * 1024);
  if (t === null || depth > 3) return;
  for (const raw of t.split(/\r?\n/)) {
    const line = raw.replace(/\s#.*$|^#.*$/, '').trim();
    if (!line) continue;
    const inc = /^(?:-r|--requirement)\s*(\S+)/.exec(line);
    if (inc) {
      const p = normalize(join(dirname(path), inc[1]));
      if (p) readRequirements(ctx, p, out, depth + 1);
      continue;
    }
    if (line.startsWith('-')) continue;
    const n = reqName(line);
    if (n) out.add(pyName(n));
  }
}

export function pythonManifest(ctx: Ctx, dir: string): PyManifest {
  const files = ctx.tree.filesIn(dir);
  const deps = new Set<string>();
  const ev: string[] = [];
  const planFiles: string[] = [];
  let tool = 'pip';
  let name: string | undefined;
  let packaged = false;
  let hasManifest = false;
  const reqFile = [
    'requirements.txt',
    'requirements/production.txt',
    'requirements/prod.txt',
    'requirements/base.txt',
    'requirements.in',
  ].find((f) => ctx.tree.has(join(dir, f)));
  if (reqFile) {
    hasManifest = true;
    readRequirements(ctx, join(dir, reqFile), deps);
    ev.push(`${reqFile} present`);
    planFiles.push(reqFile);
  }
  if (files.has('pyproject.toml')) {
    hasManifest = true;
    const py = ctx.toml(join(dir, 'pyproject.toml'));
    if (isObj(py)) {
      const proj = isObj(py.project) ? py.project : {};
      const poetry = isObj(py.tool) && isObj(py.tool.poetry) ? py.tool.poetry : null;
      name = typeof proj.name === 'string' ? proj.name : typeof poetry?.name === 'string' ? poetry.name : undefined;
      for (const d of Array.isArray(proj.dependencies) ? proj.dependencies : []) {
        const n = reqName(String(d));
        if (n) deps.add(pyName(n));
      }
      if (poetry && isObj(poetry.dependencies))
        for (const k of Object.keys(poetry.dependencies)) if (k !== 'python') deps.add(pyName(k));
      packaged = !!(proj.scripts || poetry?.scripts || poetry?.packages);
      if (!reqFile) {
        tool = files.has('uv.lock') ? 'uv' : poetry || files.has('poetry.lock') ? 'poetry' : 'pyproject';
        planFiles.push(
          'pyproject.toml',
          ...['uv.lock', 'poetry.lock', 'README.md'].filter(
            (f) => files.has(f) && (tool !== 'pyproject' || f !== 'README.md'),
          ),
        );
      }
      ev.push('pyproject.toml present');
    }
  }
  if (files.has('Pipfile')) {
    hasManifest = true;
    const pf = ctx.toml(join(dir, 'Pipfile'));
    if (isObj(pf) && isObj(pf.packages)) for (const k of Object.keys(pf.packages)) deps.add(pyName(k));
    if (!reqFile && tool === 'pip') {
      tool = 'pipenv';
      planFiles.push('Pipfile', ...(files.has('Pipfile.lock') ? ['Pipfile.lock'] : []));
    }
    ev.push('Pipfile present');
  }
  if (!hasManifest && files.has('setup.py')) {
    hasManifest = true;
    packaged = true;
    ev.push('setup.py present');
  }
  return { deps, tool, files: planFiles, evidence: ev, name, packaged, hasManifest };
}
