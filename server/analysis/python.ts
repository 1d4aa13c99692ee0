// Python manifests + entry files → Django, Flask, FastAPI, Streamlit... web apps, Celery/RQ workers, or a library.
import type { Ctx, Detection } from './context.ts';
import { pythonManifest } from './python-deps.ts';
import { backingUses, scanSources } from './source.ts';
import { join, NON_SERVICE_DIRS } from './tree.ts';

interface PyFw {
  framework: string;
  dep: string;
  port: number;
  marker: RegExp;
}
const FRAMEWORKS: PyFw[] = [
  { framework: 'django', dep: 'django', port: 8000, marker: /DJANGO_SETTINGS_MODULE|get_wsgi_application/ },
  { framework: 'fastapi', dep: 'fastapi', port: 8000, marker: /(\w+)\s*=\s*FastAPI\(/ },
  { framework: 'flask', dep: 'flask', port: 5000, marker: /(\w+)\s*=\s*Flask\(/ },
  { framework: 'streamlit', dep: 'streamlit', port: 8501, marker: /import streamlit|from streamlit/ },
  { framework: 'gradio', dep: 'gradio', port: 7860, marker: /import gradio/ },
  { framework: 'dash', dep: 'dash', port: 8050, marker: /(\w+)\s*=\s*(?:dash\.)?Dash\(/ },
  { framework: 'litestar', dep: 'litestar', port: 8000, marker: /(\w+)\s*=\s*Litestar\(/ },
  { framework: 'starlette', dep: 'starlette', port: 8000, marker: /(\w+)\s*=\s*Starlette\(/ },
  { framework: 'quart', dep: 'quart', port: 5000, marker: /(\w+)\s*=\s*Quart\(/ },
  { framework: 'sanic', dep: 'sanic', port: 8000, marker: /(\w+)\s*=\s*Sanic\(/ },
  { framework: 'aiohttp', dep: 'aiohttp', port: 8080, marker: /web\.Application\(|web\.run_app/ },
  { framework: 'tornado', dep: 'tornado', port: 8888, marker: /tornado\.web/ },
  { framework: 'bottle', dep: 'bottle', port: 8080, marker: /import bottle|from bottle/ },
  { framework: 'pyramid', dep: 'pyramid', port: 6543, marker: /pyramid\.config/ },
];
const WORKERS = [
  'celery',
  'rq',
  'dramatiq',
  'huey',
  'arq',
  'taskiq',
  'apscheduler',
  'discord-py',
  'python-telegram-bot',
  'aiogram',
  'slack-bolt',
  'kafka-python',
  'confluent-kafka',
  'pika',
  'schedule',
];
const ENTRIES = [
  'app.py',
  'main.py',
  'server.py',
  'wsgi.py',
  'asgi.py',
  'api.py',
  'application.py',
  'run.py',
  'app/main.py',
  'app/__init__.py',
  'src/main.py',
  'src/app.py',
  'app/app.py',
  'streamlit_app.py',
  'Home.py',
  'bot.py',
  'worker.py',
  'tasks.py',
];

export function detectPython(ctx: Ctx, dir: string): Detection | null {
  const m = pythonManifest(ctx, dir);
  // Django projects often keep manage.py one folder down (src/manage.py) next to a root manifest.
  const djangoDir = manageDir(ctx, dir);
  const hasManage = djangoDir !== null;
  if (!m.hasManifest && !hasManage) return null;
  const ev = [...m.evidence];
  let fw = FRAMEWORKS.find((f) => m.deps.has(f.dep)) ?? (hasManage ? FRAMEWORKS[0] : undefined);
  let fromSource = false;
  if (!fw) {
    // The manifest may be unparsable or incomplete: the entry file still says which framework it uses.
    for (const e of ENTRIES.slice(0, 8)) {
      const t = ctx.tree.has(join(dir, e)) ? (ctx.text(join(dir, e), 64 * 1024) ?? '') : '';
      const found = t && FRAMEWORKS.slice(1, 3).find((f) => f.marker.test(t));
      if (found) {
        fw = found;
        fromSource = true;
        break;
      }
    }
  }
  const worker = WORKERS.find((w) => m.deps.has(w));
  const sub = djangoDir ? `${djangoDir}/` : '';
  const entries = fw?.framework === 'django' ? [`${sub}manage.py`] : ENTRIES.filter((e) => ctx.tree.has(join(dir, e)));
  // Find the file that instantiates the framework (module:variable for the ASGI/WSGI server).
  let entry: string | null = null;
  let appVar = 'app';
  for (const e of entries.slice(0, 8)) {
    const t = ctx.text(join(dir, e), 64 * 1024) ?? '';
    const mm = fw ? fw.marker.exec(t) : /__main__|serve_forever|while True/.exec(t);
    if (mm) {
      entry = e;
      if (mm[1] && /^\w+$/.test(mm[1])) appVar = mm[1];
      if (/^def create_app\(/m.test(t)) appVar = 'create_app()';
      break;
    }
  }
  entry ??= entries[0] ?? null;
  const src = scanSources(
    ctx,
    dir,
    entry ? [entry, ...(fw?.framework === 'django' ? djangoFiles(ctx, dir, sub) : [])] : [],
  );
  let type: Detection['type'] = 'web';
  let confidence: number;
  if (fw) {
    ev.unshift(
      m.deps.has(fw.dep)
        ? `${m.evidence[0]?.replace(/ present$/, '') ?? 'the manifest'} depends on ${fw.dep}`
        : fromSource
          ? `${fw.dep} is imported but not in the manifest`
          : 'manage.py present',
    );
    if (entry && fw.framework !== 'django') ev.push(`${entry} creates the ${fw.framework} app`);
    if (hasManage && fw.framework === 'django') ev.push(`${sub}manage.py present`);
    confidence = fromSource ? 0.6 : entry ? 0.93 : 0.82;
  } else if (worker) {
    type = 'worker';
    confidence = 0.78;
    ev.unshift(
      `${m.evidence[0]?.replace(/ present$/, '') ?? 'the manifest'} depends on ${worker} and no web framework was found`,
    );
  } else if (entry && !m.packaged) {
    type = /serve_forever|http\.server|wsgiref/.test(src.text) ? 'web' : 'worker';
    confidence = 0.4;
    ev.push(`${entry} present, no web framework found (guess)`);
  } else
    return {
      runtime: 'python',
      framework: null,
      type: 'worker',
      confidence: 0.2,
      evidence: ev,
      port: null,
      healthPath: null,
      processes: {},
      runs: false,
      name: m.name,
    };
  const port = type === 'web' ? (fw ? fw.port : (src.port ?? 8000)) : null;
  const start = pythonStart(fw?.framework ?? null, m.deps, entry, appVar, port ?? 8000, worker ?? null, ctx, dir, sub);
  const processes: Record<string, string> = {};
  if (start) processes[type === 'worker' ? 'worker' : 'web'] = start;
  if (type === 'web' && m.deps.has('celery')) processes.worker = celeryCmd(ctx, dir, sub);
  if (fw?.framework === 'django') processes.release = `python ${sub}manage.py migrate --noinput`;
  return {
    runtime: 'python',
    framework: fw?.framework ?? null,
    type,
    confidence,
    evidence: ev,
    port,
    healthPath: src.healthPath,
    processes,
    runs: true,
    name: m.name,
    uses: backingUses(m.deps),
    plan: {
      context: dir,
      dir: '.',
      files: m.files,
      tool: m.tool,
      hasDeps: m.deps.size > 0,
      build:
        fw?.framework === 'django' && m.deps.has('whitenoise')
          ? `python ${sub}manage.py collectstatic --noinput`
          : null,
      start,
      port: port ?? 8000,
      entry: entry ?? undefined,
      packages: pyPackages(m.deps),
    },
  };
}

const modOf = (file: string) =>
  file
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '')
    .replace(/\//g, '.');

function pythonStart(
  fw: string | null,
  deps: Set<string>,
  entry: string | null,
  v: string,
  port: number,
  worker: string | null,
  ctx: Ctx,
  dir: string,
  sub: string,
): string | null {
  const bind = `0.0.0.0:\${PORT:-${port}}`;
  const mod = entry ? modOf(entry) : 'app';
  switch (fw) {
    case 'django': {
      const proj = djangoProject(ctx, dir, sub);
      const sd = sub.replace(/\/$/, '');
      if (deps.has('gunicorn') && proj)
        return `gunicorn ${proj}.wsgi:application${sd ? ` --chdir ${sd}` : ''} --bind ${bind}`;
      if (deps.has('uvicorn') && proj)
        return `uvicorn ${proj}.asgi:application${sd ? ` --app-dir ${sd}` : ''} --host 0.0.0.0 --port \${PORT:-${port}}`;
      return `python ${sub}manage.py runserver ${bind}`;
    }
    case 'fastapi':
    case 'starlette':
    case 'litestar':
      return deps.has('uvicorn') || fw !== 'fastapi'
        ? `uvicorn ${mod}:${v} --host 0.0.0.0 --port \${PORT:-${port}}`
        : `fastapi run ${entry ?? 'main.py'} --host 0.0.0.0 --port \${PORT:-${port}}`;
    case 'flask':
    case 'dash':
      if (deps.has('gunicorn')) {
        const target = `${mod}:${fw === 'dash' ? `${v}.server` : v}`;
        return `gunicorn ${v.includes('(') ? `'${target}'` : target} --bind ${bind}`;
      }
      return fw === 'flask' ? `flask --app ${mod} run --host 0.0.0.0 --port \${PORT:-${port}}` : `python ${entry}`;
    case 'quart':
    case 'sanic':
      return deps.has('hypercorn') ? `hypercorn ${mod}:${v} --bind ${bind}` : `python ${entry}`;
    case 'streamlit':
      return `streamlit run ${entry ?? 'app.py'} --server.port \${PORT:-${port}} --server.address 0.0.0.0 --server.headless true`;
    case 'gradio':
      return `GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=\${PORT:-${port}} python ${entry ?? 'app.py'}`;
  }
  if (worker === 'celery') return celeryCmd(ctx, dir);
  if (worker === 'rq') return 'rq worker --url ${REDIS_URL:-redis://localhost:6379}';
  if (worker === 'dramatiq' && entry) return `dramatiq ${modOf(entry)}`;
  return entry ? `python ${entry}` : null;
}

/** '' when manage.py is in dir, the child folder holding it (src, backend…), or null. */
function manageDir(ctx: Ctx, dir: string): string | null {
  if (ctx.tree.filesIn(dir).has('manage.py')) return '';
  const found = ctx.tree
    .childDirs(dir)
    .filter((c) => !NON_SERVICE_DIRS.has(c) && ctx.tree.filesIn(join(dir, c)).has('manage.py'));
  return found.length === 1 ? found[0] : null;
}

function djangoProject(ctx: Ctx, dir: string, sub = ''): string | null {
  const t = ctx.text(join(dir, `${sub}manage.py`), 16 * 1024) ?? '';
  return /["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w]+)\.settings/.exec(t)?.[1] ?? null;
}
function djangoFiles(ctx: Ctx, dir: string, sub: string): string[] {
  const p = djangoProject(ctx, dir, sub);
  return p ? [`${sub}${p}/urls.py`, `${sub}${p}/settings.py`] : [];
}
function celeryCmd(ctx: Ctx, dir: string, sub = ''): string {
  const p = djangoProject(ctx, dir, sub);
  const mod =
    p ??
    ['celery_app.py', 'worker.py', 'tasks.py', 'app/celery.py']
      .find((f) => ctx.tree.has(join(dir, f)))
      ?.replace(/\.py$/, '')
      .replace(/\//g, '.')
      .replace(/\.celery$/, '') ??
    'app';
  return `celery${sub && p ? ` --workdir ${sub.replace(/\/$/, '')}` : ''} -A ${mod} worker --loglevel=info`;
}

/** OS packages slim Python images need for source-only database drivers. */
function pyPackages(deps: Set<string>): string[] | undefined {
  const pk: string[] = [];
  if (deps.has('psycopg2')) pk.push('build-essential', 'libpq-dev');
  if (deps.has('mysqlclient')) pk.push('build-essential', 'default-libmysqlclient-dev', 'pkg-config');
  return pk.length ? [...new Set(pk)] : undefined;
}
