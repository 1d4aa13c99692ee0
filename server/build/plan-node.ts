// Generated Dockerfiles for JavaScript runtimes: Node (npm, yarn, pnpm), Bun, Deno.
import { nodeImageFor } from '../analysis/nodeEngine.ts';
import type { PlanFacts } from '../analysis/types.ts';
import type { BaseImages } from './images.ts';
import { cmd, copyManifests, portLines } from './dockerfile.ts';

const LOCKS: Record<string, string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  yarn: ['yarn.lock'],
  pnpm: ['pnpm-lock.yaml'],
  bun: ['bun.lockb', 'bun.lock'],
};

/** The install command; `prod` omits dev dependencies (no build step needs them). */
export function nodeInstall(f: PlanFacts, prod: boolean): string {
  const locked = f.dir !== '.' || f.files.some((x) => LOCKS[f.tool]?.includes(x));
  switch (f.tool) {
    case 'pnpm':
      return `corepack enable && pnpm install${locked ? ' --frozen-lockfile' : ''}${prod ? ' --prod' : ''}`;
    case 'yarn':
      return f.files.includes('.yarnrc.yml')
        ? `corepack enable && yarn install${locked ? ' --immutable' : ''}`
        : `yarn install${locked ? ' --frozen-lockfile' : ''}${prod ? ' --production' : ''}`;
    case 'bun':
      return `bun install${locked ? ' --frozen-lockfile' : ''}${prod ? ' --production' : ''}`;
    default:
      return `${locked ? 'npm ci' : 'npm install'}${prod ? ' --omit=dev' : ''} --no-audit --no-fund`;
  }
}

function prune(tool: string): string[] {
  if (tool === 'npm') return ['RUN npm prune --omit=dev --no-audit --no-fund'];
  if (tool === 'pnpm') return ['RUN pnpm prune --prod'];
  return [];
}

/** Install + build shared by the Node plan and the static (multi-stage) plan. */
export function nodeInstallAndBuild(f: PlanFacts, keepDev: boolean): string[] {
  const out: string[] = ['WORKDIR /app'];
  const needsDev = keepDev || !!f.build;
  if (f.dir !== '.') {
    // Workspace member: install from the workspace root, build and run in the member folder.
    out.push('COPY . .', `RUN ${nodeInstall(f, false)}`, `WORKDIR /app/${f.dir}`);
    if (f.build) out.push(`RUN ${f.build}`);
    return out;
  }
  if (f.hasDeps) out.push(...copyManifests(f), `RUN ${nodeInstall(f, !needsDev)}`);
  out.push('COPY . .');
  if (f.build) out.push(`RUN ${f.build}`);
  if (f.build && f.hasDeps && !keepDev) out.push(...prune(f.tool));
  return out;
}

export function nodePlan(f: PlanFacts, im: BaseImages): string[] {
  return [
    `FROM ${nodeImageFor(im.node, f.engine)}`,
    ...nodeInstallAndBuild(f, false),
    'ENV NODE_ENV=production',
    ...portLines(f.port),
    cmd(f.start, 'npm start'),
  ];
}

export function bunPlan(f: PlanFacts, im: BaseImages): string[] {
  return [
    `FROM ${im.bun}`,
    ...nodeInstallAndBuild({ ...f, tool: 'bun' }, false),
    'ENV NODE_ENV=production',
    ...portLines(f.port),
    cmd(f.start, 'bun start'),
  ];
}

export function denoPlan(f: PlanFacts, im: BaseImages): string[] {
  const entry = f.entry ?? 'main.ts';
  return [
    `FROM ${im.deno}`,
    'WORKDIR /app',
    ...copyManifests(f),
    'COPY . .',
    f.files.includes('deno.lock') ? `RUN deno cache --frozen ${entry}` : `RUN deno cache ${entry}`,
    ...(f.build ? [`RUN ${f.build}`] : []),
    ...portLines(f.port),
    cmd(f.start),
  ];
}
