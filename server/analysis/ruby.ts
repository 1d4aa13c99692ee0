// Gemfile → Rails, Sinatra, Hanami or Roda web apps, Sidekiq workers; Jekyll sites are handled by static.ts.
import type { Ctx, Detection } from './context.ts';
import { backingUses, scanSources } from './source.ts';
import { join } from './tree.ts';

export function gems(text: string): string[] {
  return [...text.matchAll(/^\s*gem\s+["']([\w.-]+)["']/gm)].map((m) => m[1]);
}

export function detectRuby(ctx: Ctx, dir: string): Detection | null {
  const gf = ctx.text(join(dir, 'Gemfile'), 64 * 1024);
  if (gf === null) return null;
  const list = gems(gf);
  const has = (g: string) => list.includes(g);
  const files = ctx.tree.filesIn(dir);
  if (has('jekyll') || has('github-pages')) return null; // a Jekyll site: static.ts
  const ev = ['Gemfile present'];
  const lock = files.has('Gemfile.lock');
  let fw: string | null = null;
  let port = 3000;
  let start: string | null = null;
  let conf = 0.5;
  if (has('rails') || has('railties') || ctx.tree.has(join(dir, 'config/application.rb'))) {
    fw = 'rails';
    conf = ctx.tree.has(join(dir, 'config/application.rb')) ? 0.96 : 0.88;
    ev.unshift(has('rails') ? 'Gemfile depends on rails' : 'config/application.rb present');
    start = `bundle exec rails server -b 0.0.0.0 -p \${PORT:-3000}`;
  } else if (has('sinatra')) {
    fw = 'sinatra';
    port = 4567;
    conf = files.has('config.ru') ? 0.92 : 0.85;
    ev.unshift('Gemfile depends on sinatra');
    start = files.has('config.ru')
      ? `bundle exec rackup -o 0.0.0.0 -p \${PORT:-4567}`
      : `bundle exec ruby ${['app.rb', 'main.rb', 'server.rb'].find((f) => files.has(f)) ?? 'app.rb'} -o 0.0.0.0 -p \${PORT:-4567}`;
  } else if (has('hanami') || has('roda') || has('grape') || (files.has('config.ru') && has('rack'))) {
    fw = has('hanami') ? 'hanami' : has('roda') ? 'roda' : has('grape') ? 'grape' : 'rack';
    port = 9292;
    conf = 0.85;
    ev.unshift(`Gemfile depends on ${fw}`);
    start = `bundle exec rackup -o 0.0.0.0 -p \${PORT:-9292}`;
  }
  if (files.has('config.ru')) ev.push('config.ru present');
  const processes: Record<string, string> = {};
  let type: Detection['type'] = 'web';
  if (fw)
    processes.web =
      has('puma') && fw === 'rails' && ctx.tree.has(join(dir, 'config/puma.rb'))
        ? 'bundle exec puma -C config/puma.rb'
        : start!;
  if (has('sidekiq')) {
    processes.worker = 'bundle exec sidekiq';
    if (!fw) {
      type = 'worker';
      conf = 0.8;
      ev.unshift('Gemfile depends on sidekiq and no web framework');
    }
  } else if (has('resque') || has('good_job') || has('solid_queue'))
    processes.worker = has('resque')
      ? 'bundle exec rake resque:work'
      : has('good_job')
        ? 'bundle exec good_job start'
        : 'bundle exec rails solid_queue:start';
  if (fw === 'rails') processes.release = 'bundle exec rails db:migrate';
  if (!fw && type !== 'worker')
    return {
      runtime: 'ruby',
      framework: null,
      type,
      confidence: 0.2,
      evidence: ev,
      port: null,
      healthPath: null,
      processes: {},
      runs: false,
    };
  const src = scanSources(
    ctx,
    dir,
    fw === 'rails' ? ['config/routes.rb'] : ['app.rb', 'config.ru', 'main.rb', 'server.rb'],
  );
  const health = fw === 'rails' && /rails\/health#show/.test(src.text) ? '/up' : src.healthPath;
  if (fw === 'sinatra' && src.port) port = src.port;
  return {
    runtime: 'ruby',
    framework: fw,
    type,
    confidence: conf,
    evidence: ev,
    port: type === 'web' ? port : null,
    healthPath: health,
    processes,
    runs: true,
    uses: backingUses(list),
    memoryMb: fw === 'rails' ? 768 : 384,
    plan: {
      context: dir,
      dir: '.',
      files: ['Gemfile', ...(lock ? ['Gemfile.lock'] : [])],
      tool: 'bundler',
      hasDeps: list.length > 0,
      build:
        fw === 'rails' && (files.has('Rakefile') || ctx.tree.isDir(join(dir, 'app/assets')))
          ? 'SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile'
          : null,
      start: processes.web ?? processes.worker ?? null,
      port,
      packages: rubyPackages(list),
    },
  };
}

/** OS packages slim Ruby images need to compile common native gems. */
function rubyPackages(list: string[]): string[] | undefined {
  const native = [
    'pg',
    'mysql2',
    'sqlite3',
    'bcrypt',
    'puma',
    'nio4r',
    'websocket-driver',
    'bootsnap',
    'msgpack',
    'json',
    'ffi',
    'nokogiri',
  ];
  if (!list.some((g) => native.includes(g)) && !list.includes('rails')) return undefined;
  const pk = ['build-essential', 'git', 'pkg-config'];
  if (list.includes('pg')) pk.push('libpq-dev');
  if (list.includes('mysql2')) pk.push('default-libmysqlclient-dev');
  if (list.includes('sqlite3')) pk.push('libsqlite3-dev');
  if (list.includes('rails')) pk.push('libyaml-dev');
  return pk;
}
