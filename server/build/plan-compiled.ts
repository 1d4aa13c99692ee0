// Generated Dockerfiles for compiled runtimes: Rust (cargo), Java (Maven/Gradle), Elixir (mix release), .NET (dotnet publish).
import type { PlanFacts } from '../analysis/types.ts';
import { aptInstall, cmd } from './dockerfile.ts';
import type { ExtraImages } from './images.ts';

export function rustPlan(f: PlanFacts, im: ExtraImages): string[] {
  const bin = f.entry ?? 'app';
  return [
    `FROM ${im.rust} AS build`,
    'WORKDIR /src',
    'COPY . .',
    `RUN cargo build --release${f.files.includes('Cargo.lock') ? ' --locked' : ''} --bin ${bin} && mkdir -p /out && cp target/release/${bin} /out/`,
    `FROM ${im.rustRun}`,
    ...aptInstall(['ca-certificates']),
    `COPY --from=build /out/${bin} /app/${bin}`,
    `ENV PORT=${f.port}`,
    `EXPOSE ${f.port}`,
    cmd(f.start),
  ];
}

export function javaPlan(f: PlanFacts, im: ExtraImages): string[] {
  const maven = f.tool === 'maven';
  const wrapper = f.entry === 'wrapper';
  const build = maven
    ? `${wrapper ? 'chmod +x mvnw && ./mvnw' : 'apt-get update -qq && apt-get install -y --no-install-recommends maven && mvn'} -B -DskipTests package && cp "$(ls target/*.jar | grep -v -e original -e plain | head -n 1)" /app.jar`
    : `${wrapper ? 'chmod +x gradlew && ./gradlew' : 'apt-get update -qq && apt-get install -y --no-install-recommends gradle && gradle'} --no-daemon -x test build && cp "$(ls build/libs/*.jar | grep -v plain | head -n 1)" /app.jar`;
  return [
    `FROM ${im.java} AS build`,
    'WORKDIR /src',
    'COPY . .',
    `RUN ${build}`,
    `FROM ${im.javaRun}`,
    'COPY --from=build /app.jar /app/app.jar',
    `ENV PORT=${f.port}`,
    `EXPOSE ${f.port}`,
    'CMD exec java -Dserver.port=${PORT:-' +
      f.port +
      '} -Dquarkus.http.port=${PORT:-' +
      f.port +
      '} -Dmicronaut.server.port=${PORT:-' +
      f.port +
      '} -jar /app/app.jar',
  ];
}

export function elixirPlan(f: PlanFacts, im: ExtraImages): string[] {
  const app = f.entry ?? 'app';
  return [
    `FROM ${im.elixir} AS build`,
    ...aptInstall(['build-essential', 'git']),
    'ENV MIX_ENV=prod',
    'WORKDIR /app',
    'RUN mix local.hex --force && mix local.rebar --force',
    `COPY ${f.files.join(' ')} ./`,
    'RUN mix deps.get --only prod && mix deps.compile',
    'COPY . .',
    'RUN if mix help assets.deploy >/dev/null 2>&1; then mix assets.deploy; fi && mix compile && mix release',
    `FROM ${im.elixirRun}`,
    ...aptInstall(['libstdc++6', 'openssl', 'libncurses6', 'locales', 'ca-certificates']),
    'ENV LANG=C.UTF-8 MIX_ENV=prod PHX_SERVER=true',
    'WORKDIR /app',
    `COPY --from=build /app/_build/prod/rel/${app} ./`,
    `ENV PORT=${f.port}`,
    `EXPOSE ${f.port}`,
    cmd(f.start),
  ];
}

export function dotnetPlan(f: PlanFacts, im: ExtraImages): string[] {
  const proj = f.entry ?? f.files[0];
  const dll = proj.replace(/\.[cf]sproj$/, '.dll');
  return [
    `FROM ${im.dotnetSdk} AS build`,
    'WORKDIR /src',
    `COPY ${proj} ./`,
    `RUN dotnet restore ${proj}`,
    'COPY . .',
    `RUN dotnet publish ${proj} -c Release -o /out --no-restore`,
    `FROM ${im.dotnetRun}`,
    'WORKDIR /app',
    'COPY --from=build /out ./',
    `ENV PORT=${f.port}`,
    `EXPOSE ${f.port}`,
    `CMD export ASPNETCORE_HTTP_PORTS=\${PORT:-${f.port}} && exec dotnet ${dll}`,
  ];
}
