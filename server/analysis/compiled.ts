// Compiled runtimes: Rust (Cargo.toml), Java/Kotlin (Maven, Gradle), Elixir (mix.exs), .NET (*.csproj).
import { isObj, type Ctx, type Detection } from './context.ts';
import { scanSources } from './source.ts';
import { join } from './tree.ts';

const none = (runtime: string, ev: string[]): Detection => ({
  runtime,
  framework: null,
  type: 'web',
  confidence: 0.2,
  evidence: ev,
  port: null,
  healthPath: null,
  processes: {},
  runs: false,
});

export function detectRust(ctx: Ctx, dir: string): Detection | null {
  if (!ctx.tree.filesIn(dir).has('Cargo.toml')) return null;
  const c = ctx.toml(join(dir, 'Cargo.toml'));
  if (!isObj(c) || !isObj(c.package)) return null; // a virtual workspace manifest: members are handled by workspaces.ts
  const deps = isObj(c.dependencies) ? Object.keys(c.dependencies) : [];
  const fw = (['axum', 'actix-web', 'rocket', 'warp', 'poem', 'salvo', 'tide'] as const).find((d) => deps.includes(d));
  const bins = Array.isArray(c.bin) ? c.bin.filter(isObj).map((b: any) => String(b.name)) : [];
  const hasMain = ctx.tree.has(join(dir, 'src/main.rs'));
  const name = String(c.package.name ?? 'app');
  const ev = ['Cargo.toml present'];
  if (!hasMain && !bins.length) return none('rust', [...ev, 'no binary target: a library']);
  if (!fw) return { ...none('rust', [...ev, 'a binary without a web framework (a CLI?)']), name };
  const src = scanSources(ctx, dir, ['src/main.rs', 'src/routes.rs', 'src/lib.rs']);
  const port =
    src.port ?? ({ axum: 3000, 'actix-web': 8080, rocket: 8000, warp: 3030 } as Record<string, number>)[fw] ?? 8080;
  const bin = bins[0] ?? name;
  return {
    runtime: 'rust',
    framework: fw === 'actix-web' ? 'actix' : fw,
    type: 'web',
    confidence: 0.92,
    evidence: [`Cargo.toml depends on ${fw}`, ...ev],
    port,
    healthPath: src.healthPath,
    processes: { web: `/app/${bin}` },
    runs: true,
    name,
    plan: {
      context: dir,
      dir: '.',
      files: ['Cargo.toml', ...(ctx.tree.filesIn(dir).has('Cargo.lock') ? ['Cargo.lock'] : [])],
      tool: 'cargo',
      hasDeps: deps.length > 0,
      build: null,
      start: [`/app/${bin}`],
      port,
      entry: bin,
    },
  };
}

export function detectJava(ctx: Ctx, dir: string): Detection | null {
  const files = ctx.tree.filesIn(dir);
  const manifest = ['pom.xml', 'build.gradle.kts', 'build.gradle'].find((f) => files.has(f));
  if (!manifest) return null;
  const t = ctx.text(join(dir, manifest), 128 * 1024) ?? '';
  const fw = /spring-boot|org\.springframework\.boot/.test(t)
    ? 'spring-boot'
    : /io\.quarkus/.test(t)
      ? 'quarkus'
      : /io\.micronaut/.test(t)
        ? 'micronaut'
        : /ktor/.test(t)
          ? 'ktor'
          : null;
  const ev = [`${manifest} present`];
  if (!fw) return none('java', [...ev, 'no application framework found']);
  const props = scanSources(ctx, dir, [
    'src/main/resources/application.properties',
    'src/main/resources/application.yml',
    'src/main/resources/application.yaml',
  ]);
  const port = Number(
    /server\.port\s*[=:]\s*(\d+)/.exec(props.text)?.[1] ?? /server:\s*\n\s+port:\s*(\d+)/.exec(props.text)?.[1] ?? 8080,
  );
  const actuator = /spring-boot-starter-actuator/.test(t);
  const tool = manifest === 'pom.xml' ? 'maven' : 'gradle';
  const wrapper = files.has(tool === 'maven' ? 'mvnw' : 'gradlew');
  return {
    runtime: 'java',
    framework: fw,
    type: 'web',
    confidence: 0.92,
    evidence: [
      `${manifest} uses ${fw}`,
      ...(actuator ? ['spring-boot-starter-actuator provides /actuator/health'] : []),
    ],
    port,
    healthPath: actuator ? '/actuator/health' : fw === 'quarkus' && /smallrye-health/.test(t) ? '/q/health' : null,
    processes: { web: 'java -jar /app/app.jar' },
    runs: true,
    memoryMb: 1024,
    plan: {
      context: dir,
      dir: '.',
      files: [manifest],
      tool,
      hasDeps: true,
      build: null,
      start: ['java', '-jar', '/app/app.jar'],
      port,
      entry: wrapper ? 'wrapper' : undefined,
    },
  };
}

export function detectElixir(ctx: Ctx, dir: string): Detection | null {
  const t = ctx.text(join(dir, 'mix.exs'), 64 * 1024);
  if (t === null) return null;
  const app = /app:\s*:(\w+)/.exec(t)?.[1] ?? 'app';
  if (!/:phoenix\b/.test(t)) return { ...none('elixir', ['mix.exs present', 'no :phoenix dependency']), name: app };
  const src = scanSources(ctx, dir, [`lib/${app}_web/router.ex`, 'config/runtime.exs']);
  return {
    runtime: 'elixir',
    framework: 'phoenix',
    type: 'web',
    confidence: 0.93,
    evidence: ['mix.exs depends on :phoenix'],
    port: 4000,
    healthPath: src.healthPath,
    processes: { web: `/app/bin/${app} start`, release: `/app/bin/${app} eval "${camel(app)}.Release.migrate"` },
    runs: true,
    name: app.replace(/_/g, '-'),
    plan: {
      context: dir,
      dir: '.',
      files: ['mix.exs', ...(ctx.tree.filesIn(dir).has('mix.lock') ? ['mix.lock'] : [])],
      tool: 'mix',
      hasDeps: true,
      build: null,
      start: [`/app/bin/${app}`, 'start'],
      port: 4000,
      entry: app,
    },
  };
}
const camel = (s: string) =>
  s
    .split('_')
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');

export function detectDotnet(ctx: Ctx, dir: string): Detection | null {
  const proj = [...ctx.tree.filesIn(dir)].find((f) => f.endsWith('.csproj') || f.endsWith('.fsproj'));
  if (!proj) return null;
  const t = ctx.text(join(dir, proj), 64 * 1024) ?? '';
  const name = proj.replace(/\.[cf]sproj$/, '');
  if (!/Microsoft\.NET\.Sdk\.Web/.test(t)) return { ...none('dotnet', [`${proj} is not a web project`]), name };
  const src = scanSources(ctx, dir, ['Program.cs', 'Startup.cs']);
  return {
    runtime: 'dotnet',
    framework: 'aspnet',
    type: 'web',
    confidence: 0.93,
    evidence: [`${proj} uses Microsoft.NET.Sdk.Web`],
    port: 8080,
    healthPath: src.healthPath ?? /MapHealthChecks\(\s*"([^"]+)"/.exec(src.text)?.[1] ?? null,
    processes: { web: `dotnet ${name}.dll` },
    runs: true,
    name: name.toLowerCase().replace(/\./g, '-'),
    plan: {
      context: dir,
      dir: '.',
      files: [proj],
      tool: 'dotnet',
      hasDeps: true,
      build: null,
      start: ['dotnet', `${name}.dll`],
      port: 8080,
      entry: proj,
    },
  };
}
