// What a package.json dependency says about an app: framework, service type, default port, build output.

export interface NodeFramework {
  framework: string;
  deps: string[];
  type: 'web' | 'static';
  port: number;
  /** Config files that confirm the framework. */
  configs?: string[];
  /** Static build output folder. */
  output?: string;
  memoryMb?: number;
}

const cfg = (base: string) => ['js', 'mjs', 'cjs', 'ts', 'mts'].map((e) => `${base}.${e}`);

/** Ordered: meta-frameworks before the libraries they are built on. */
export const NODE_FRAMEWORKS: NodeFramework[] = [
  { framework: 'next', deps: ['next'], type: 'web', port: 3000, configs: cfg('next.config'), memoryMb: 1024 },
  { framework: 'nuxt', deps: ['nuxt', 'nuxt3'], type: 'web', port: 3000, configs: cfg('nuxt.config'), memoryMb: 768 },
  {
    framework: 'remix',
    deps: ['@remix-run/node', '@remix-run/serve', '@remix-run/express', '@remix-run/react'],
    type: 'web',
    port: 3000,
    configs: cfg('remix.config'),
  },
  {
    framework: 'react-router',
    deps: ['@react-router/node', '@react-router/serve'],
    type: 'web',
    port: 3000,
    configs: cfg('react-router.config'),
  },
  // Vite-based SSR servers (Nitro/Vinxi output in .output/server): not static sites.
  {
    framework: 'tanstack-start',
    deps: ['@tanstack/react-start', '@tanstack/solid-start', '@tanstack/start'],
    type: 'web',
    port: 3000,
    configs: [...cfg('vite.config'), ...cfg('app.config')],
  },
  {
    framework: 'solid-start',
    deps: ['@solidjs/start'],
    type: 'web',
    port: 3000,
    configs: [...cfg('app.config'), ...cfg('vite.config')],
  },
  { framework: 'sveltekit', deps: ['@sveltejs/kit'], type: 'web', port: 3000, configs: cfg('svelte.config') },
  { framework: 'astro', deps: ['astro'], type: 'static', port: 4321, configs: cfg('astro.config'), output: 'dist' },
  {
    framework: 'gatsby',
    deps: ['gatsby'],
    type: 'static',
    port: 9000,
    configs: cfg('gatsby-config'),
    output: 'public',
  },
  {
    framework: 'docusaurus',
    deps: ['@docusaurus/core'],
    type: 'static',
    port: 3000,
    configs: cfg('docusaurus.config'),
    output: 'build',
  },
  { framework: 'vitepress', deps: ['vitepress'], type: 'static', port: 5173, output: '.vitepress/dist' },
  {
    framework: 'eleventy',
    deps: ['@11ty/eleventy'],
    type: 'static',
    port: 8080,
    configs: ['.eleventy.js', ...cfg('eleventy.config')],
    output: '_site',
  },
  { framework: 'nestjs', deps: ['@nestjs/core'], type: 'web', port: 3000, configs: ['nest-cli.json'] },
  {
    framework: 'angular',
    deps: ['@angular/core'],
    type: 'static',
    port: 4200,
    configs: ['angular.json'],
    output: 'dist',
  },
  { framework: 'create-react-app', deps: ['react-scripts'], type: 'static', port: 3000, output: 'build' },
  { framework: 'vite', deps: ['vite'], type: 'static', port: 5173, configs: cfg('vite.config'), output: 'dist' },
  { framework: 'express', deps: ['express'], type: 'web', port: 3000 },
  { framework: 'fastify', deps: ['fastify'], type: 'web', port: 3000 },
  { framework: 'koa', deps: ['koa'], type: 'web', port: 3000 },
  { framework: 'hono', deps: ['hono'], type: 'web', port: 3000 },
  { framework: 'hapi', deps: ['@hapi/hapi'], type: 'web', port: 3000 },
  { framework: 'elysia', deps: ['elysia'], type: 'web', port: 3000 },
  { framework: 'adonis', deps: ['@adonisjs/core'], type: 'web', port: 3333 },
  { framework: 'feathers', deps: ['@feathersjs/feathers'], type: 'web', port: 3030 },
  { framework: 'restify', deps: ['restify'], type: 'web', port: 8080 },
  { framework: 'socket.io', deps: ['socket.io'], type: 'web', port: 3000 },
];

/** Server-side frameworks: with a start script they win over a bundler in the same package. */
export const NODE_SERVERS = new Set([
  'express',
  'fastify',
  'koa',
  'hono',
  'hapi',
  'elysia',
  'adonis',
  'feathers',
  'restify',
  'socket.io',
  'nestjs',
]);

/** Job-queue and bot libraries: a process using one of these and no server is a worker. */
export const NODE_WORKER_LIBS = [
  'bullmq',
  'bull',
  'bee-queue',
  'agenda',
  'graphile-worker',
  'pg-boss',
  'amqplib',
  'kafkajs',
  '@temporalio/worker',
  'node-cron',
  'node-schedule',
  'discord.js',
  'telegraf',
  'node-telegram-bot-api',
  '@slack/bolt',
  'sqs-consumer',
  'rhea',
  'nats',
];

/** Entry files tried (in order) when the manifest names none. */
export const NODE_ENTRIES = [
  'server.js',
  'server.mjs',
  'index.js',
  'index.mjs',
  'app.js',
  'main.js',
  'src/server.js',
  'src/index.js',
  'src/app.js',
  'src/main.js',
  'server.ts',
  'index.ts',
  'app.ts',
  'src/server.ts',
  'src/index.ts',
  'src/main.ts',
  'src/app.ts',
  'worker.js',
  'src/worker.js',
  'src/worker.ts',
];

export const NODE_LOCKFILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
];
