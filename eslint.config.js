// Lint is a guard for the design's import rules, not a style checker (Prettier owns style).
// Pure folders may not reach effects: no fs/net/child_process, no Docker, no database, no HTTP layer.
// ESLint keeps only the last `no-restricted-imports` that matches a file, so each group lists every rule it needs.
import tseslint from 'typescript-eslint';

const effects = ['node:fs', 'node:fs/promises', 'node:child_process', 'node:net', 'node:http'];
const clients = ['dockerode', 'postgres', 'drizzle-orm', 'drizzle-orm/*', 'graphile-worker'];
const layers = (...names) => names.map((n) => `**/${n}/**`);
const rule = (message, group) => ({ group, message });
const root = rule('nothing imports the composition root, the HTTP app factory or tests.', [
  '**/main.ts',
  '**/http/app.ts',
  '**/test/**',
]);
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['node_modules/**', 'test/**', 'migrations/**', 'scripts/**', '.kyozo/**', '.test-data/**'] },
  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
  { files: ['server/**/*.{ts,tsx}'], ignores: ['server/main.ts'], rules: restrict(root) },
  {
    files: ['server/analysis/**/*.ts'],
    rules: restrict(
      root,
      rule('analysis is pure: a snapshot in, a topology out; it imports nothing outside server/analysis.', [
        ...effects,
        ...clients,
        '../*',
        '../../*',
      ]),
    ),
  },
  {
    files: [
      'server/release/**/*.ts',
      'server/build/{plan*,dockerfile,images,topology}.ts',
      'server/runtime/spec.ts',
      'server/runtime/names.ts',
    ],
    rules: restrict(
      root,
      rule('release math, build plans, names and container specs are pure: data in, data out, no effects.', [
        ...effects,
        ...clients,
        ...layers('db', 'http', 'console', 'jobs', 'git', 'ops', 'proxy'),
      ]),
    ),
  },
  {
    files: ['views/**/*.{ts,tsx}'],
    rules: restrict(rule('views take props and return HTML: no effects, no clients.', [...effects, ...clients]), {
      // Any path through a server/ folder, but the analysis data contract views render (Topology and co.).
      regex: '(^|/)server(/(?!analysis/types\\.ts$)|$)',
      message:
        'views take props and return HTML: they import no server module (types included) but server/analysis/types.ts.',
    }),
  },
);
