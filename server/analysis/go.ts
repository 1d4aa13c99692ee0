// go.mod + main packages → a Go service (gin, echo, fiber, chi...); modules without a main package are libraries.
import type { Ctx, Detection } from './context.ts';
import { backingUses, scanSources } from './source.ts';
import { join } from './tree.ts';

const FRAMEWORKS: [string, string][] = [
  ['github.com/gin-gonic/gin', 'gin'],
  ['github.com/labstack/echo', 'echo'],
  ['github.com/gofiber/fiber', 'fiber'],
  ['github.com/go-chi/chi', 'chi'],
  ['github.com/gorilla/mux', 'gorilla'],
  ['github.com/gobuffalo/buffalo', 'buffalo'],
  ['github.com/beego/beego', 'beego'],
];
const WEB_MAIN = ['server', 'api', 'web', 'http', 'app', 'service'];

export function goRequires(text: string): string[] {
  const out: string[] = [];
  const block = /require\s*\(([\s\S]*?)\)/g;
  let m: RegExpExecArray | null;
  while ((m = block.exec(text)))
    for (const l of m[1].split('\n')) {
      const p = /^\s*([^\s/][^\s]*)\s+v/.exec(l);
      if (p) out.push(p[1]);
    }
  for (const s of text.matchAll(/^require\s+([^\s(]+)\s+v/gm)) out.push(s[1]);
  return out;
}

export function detectGo(ctx: Ctx, dir: string): Detection | null {
  const gm = ctx.text(join(dir, 'go.mod'), 64 * 1024);
  if (gm === null) return null;
  const mod = /^module\s+(\S+)/m.exec(gm)?.[1] ?? '';
  const reqs = goRequires(gm);
  const ev = ['go.mod present'];
  const fw = FRAMEWORKS.find(([p]) => reqs.some((r) => r === p || r.startsWith(p + '/')));
  // Main packages: ./main.go and ./cmd/<name>/main.go.
  const mains: { name: string; pkg: string; file: string }[] = [];
  const isMain = (f: string) => /^package main\b/m.test(ctx.text(join(dir, f), 16 * 1024) ?? '');
  const modName =
    mod
      .split('/')
      .pop()
      ?.replace(/^v\d+$/, '') || 'app';
  if (ctx.tree.has(join(dir, 'main.go')) && isMain('main.go')) mains.push({ name: modName, pkg: '.', file: 'main.go' });
  for (const c of ctx.tree.childDirs(join(dir, 'cmd')))
    if (ctx.tree.has(join(dir, `cmd/${c}/main.go`)) && isMain(`cmd/${c}/main.go`))
      mains.push({ name: c, pkg: `./cmd/${c}`, file: `cmd/${c}/main.go` });
  if (!mains.length)
    return {
      runtime: 'go',
      framework: fw?.[1] ?? null,
      type: 'web',
      confidence: 0.2,
      evidence: [...ev, 'no main package: a library'],
      port: null,
      healthPath: null,
      processes: {},
      runs: false,
    };
  const web =
    mains.find((m) => m.pkg === '.') ??
    mains.find((m) => WEB_MAIN.includes(m.name)) ??
    mains.find((m) => m.name === modName) ??
    mains[0];
  const src = scanSources(ctx, dir, [
    web.file,
    ...['routes.go', 'router.go', 'server.go', 'handlers.go'].map((f) =>
      web.pkg === '.' ? f : `${web.pkg.slice(2)}/${f}`,
    ),
  ]);
  const servesHttp = !!fw || /ListenAndServe|\.Run\(|\.Start\(|\.Listen\(|http\.Server\{/.test(src.text);
  if (fw) ev.unshift(`go.mod requires ${fw[0]}`);
  ev.push(`${web.file} is a main package${servesHttp && !fw ? ' serving net/http' : ''}`);
  const type: Detection['type'] = servesHttp ? 'web' : 'worker';
  const port = servesHttp ? (src.port ?? 8080) : null;
  const processes: Record<string, string> = {};
  for (const m of mains) {
    const key =
      m === web ? (type === 'web' ? 'web' : 'worker') : /worker|consumer|jobs?|queue/.test(m.name) ? 'worker' : m.name;
    if (m === web || key === 'worker' || /migrat/.test(m.name))
      processes[/migrat/.test(m.name) ? 'release' : key] = `/app/${m.name}`;
  }
  return {
    runtime: 'go',
    framework: fw?.[1] ?? null,
    type,
    confidence: fw ? 0.93 : servesHttp ? 0.85 : 0.5,
    evidence: ev,
    port,
    healthPath: src.healthPath ?? (servesHttp ? scanSources(ctx, dir, routeFiles(ctx, dir), 8).healthPath : null),
    processes,
    runs: true,
    name: mods(modName),
    uses: backingUses(reqs),
    plan: {
      context: dir,
      dir: '.',
      files: ['go.mod', ...(ctx.tree.filesIn(dir).has('go.sum') ? ['go.sum'] : [])],
      tool: 'go',
      hasDeps: reqs.length > 0,
      build: null,
      start: [`/app/${web.name}`],
      port: port ?? 8080,
      entry: mains.map((m) => `${m.name}=${m.pkg}`).join(' '),
    },
  };
}
const mods = (n: string) => n;

/** Routes usually live outside the main package (internal/controller/http/router.go, internal/server/routes.go). */
function routeFiles(ctx: Ctx, dir: string): string[] {
  const out: string[] = [];
  const prefix = dir ? `${dir}/` : '';
  for (const [d, names] of ctx.tree.files) {
    if (d !== dir && !d.startsWith(prefix)) continue;
    const rel = d.slice(prefix.length);
    if (/(^|\/)(test|tests|testdata|examples?|mocks?|docs)(\/|$)/.test(rel) || rel.split('/').length > 5) continue;
    for (const n of names)
      if (
        /^(router|routes|server|http|handlers?|health|api)\.go$/.test(n) ||
        (/(^|\/)(router|routes|handlers?|http|rest)(\/|$)/.test(rel) && n.endsWith('.go') && !n.endsWith('_test.go'))
      )
        out.push(rel ? `${rel}/${n}` : n);
    if (out.length >= 24) break;
  }
  return out.sort((a, b) => Number(/router|routes/.test(b)) - Number(/router|routes/.test(a)));
}
