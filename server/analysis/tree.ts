// An index of a snapshot's paths: files per folder, child folders, and the folders analysis never looks into.

/** Folders that hold dependencies, outputs, caches or VCS data: pruned before descending, never services. */
export const SKIP_DIRS = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  '.git',
  '.hg',
  '.svn',
  'venv',
  '.venv',
  'virtualenv',
  '.virtualenv',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.eggs',
  'dist',
  'build',
  'target',
  'out',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.astro',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.docusaurus',
  '.vercel',
  '.netlify',
  '.angular',
  '.expo',
  '.gradle',
  '.idea',
  '.vscode',
  '.terraform',
  '.serverless',
  'coverage',
  '.nyc_output',
  '_site',
  'obj',
  '_build',
  'deps',
  '.elixir_ls',
  '.bundle',
  '.yarn',
  '.pnpm-store',
  '.npm',
  '.dart_tool',
  'Pods',
  'elm-stuff',
  '.stack-work',
  'zig-cache',
  '.zig-cache',
  '.sass-cache',
  '.kyozo',
  'tmp',
  '.tmp',
  'log',
  'logs',
]);

/** Folders whose content illustrates or tests code: never services. */
export const NON_SERVICE_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'e2e',
  'fixtures',
  '__fixtures__',
  'testdata',
  'test-data',
  'testing',
  'examples',
  'example',
  'samples',
  'sample',
  '__mocks__',
  'mocks',
  'cypress',
  'playwright',
  'benchmarks',
  'bench',
  'templates',
  'template',
]);

export const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
export const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
export const dirname = (p: string) => {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
};
/** "" for the root inside analysis, "." in the contract. */
export const display = (dir: string) => dir || '.';

/** Normalizes "./a/../b/" style relative paths to "b"; null when it escapes the root. */
export function normalize(p: string): string | null {
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return null;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

export class Tree {
  readonly files = new Map<string, Set<string>>();
  readonly dirs = new Map<string, Set<string>>();
  /** Paths that were inside skipped folders (a git snapshot may contain them; the disk walker never lists them). */
  skipped = 0;
  count = 0;

  private all = new Set<string>();

  constructor(paths: readonly string[]) {
    this.dirs.set('', new Set());
    // Walkers list a folder's files together: remember the last folder to skip re-splitting its path.
    let lastDir: string | null = null;
    let lastFiles: Set<string> | null = null;
    outer: for (const p of paths) {
      const cut = p.lastIndexOf('/');
      if (lastFiles !== null && (lastDir === '' ? cut === -1 : cut === lastDir!.length && p.startsWith(lastDir!))) {
        lastFiles.add(p.slice(cut + 1));
        this.all.add(p);
        this.count++;
        continue;
      }
      let start = 0;
      let dir = '';
      for (;;) {
        const slash = p.indexOf('/', start);
        if (slash < 0) break;
        const seg = p.slice(start, slash);
        if (SKIP_DIRS.has(seg)) {
          this.skipped++;
          continue outer;
        }
        const child = p.slice(0, slash);
        let kids = this.dirs.get(dir);
        if (!kids) this.dirs.set(dir, (kids = new Set()));
        kids.add(seg);
        dir = child;
        start = slash + 1;
      }
      if (!this.dirs.has(dir)) this.dirs.set(dir, new Set());
      let f = this.files.get(dir);
      if (!f) this.files.set(dir, (f = new Set()));
      f.add(p.slice(start));
      this.all.add(p);
      this.count++;
      lastDir = dir;
      lastFiles = f;
    }
  }

  has(path: string): boolean {
    return this.all.has(path);
  }
  filesIn(dir: string): Set<string> {
    return this.files.get(dir) ?? EMPTY;
  }
  childDirs(dir: string): string[] {
    return [...(this.dirs.get(dir) ?? EMPTY)].sort();
  }
  isDir(dir: string): boolean {
    return this.dirs.has(dir);
  }
  /** First existing file among names in dir. */
  first(dir: string, names: readonly string[]): string | null {
    const f = this.filesIn(dir);
    for (const n of names) if (f.has(n)) return n;
    return null;
  }
  /** Expands a workspace glob ("apps/*", "packages/**", "tools/cli") to existing folders. */
  glob(pattern: string): string[] {
    const norm = normalize(pattern.replace(/\/\*\*$/, '/*').replace(/\/$/, ''));
    if (norm === null) return [];
    let level = [''];
    for (const seg of norm.split('/')) {
      const next: string[] = [];
      const re = seg.includes('*')
        ? new RegExp('^' + seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$')
        : null;
      for (const d of level) {
        if (!re) {
          if (this.isDir(join(d, seg))) next.push(join(d, seg));
          continue;
        }
        for (const c of this.dirs.get(d) ?? EMPTY) if (re.test(c)) next.push(join(d, c));
      }
      level = next;
    }
    return level.sort();
  }
}

const EMPTY: Set<string> = new Set();
