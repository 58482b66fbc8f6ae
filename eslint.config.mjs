// Lint, with the workspace's boundaries enforced from day one (style-anchors §8.9–8.10):
// libs never import apps; the dashboard imports only the API's router *type* and shared
// schemas; libs/serving runs standalone from a model directory (no pipeline, no database);
// libs/data's transform code runs in a browser (no Node built-ins); executors (stages) never
// touch the database or process.env; nobody deep-imports another package's src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https',
  'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'string_decoder', 'timers', 'tls', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

const deepImports = { group: ['@tsfx/*/src', '@tsfx/*/src/*'], message: 'Import from the package entry point (or its ./testing entry), not its src/.' };
const apps = { group: ['@tsfx/api', '@tsfx/cli', '@tsfx/dashboard'], message: 'Libraries never import apps.' };
const database = {
  group: ['@tsfx/metadata', '@tsfx/metadata/*', '@prisma/*', 'pg', 'better-sqlite3'],
  message: 'Only the runner and the apps talk to the metadata database.',
};

/** One no-restricted-imports rule per file group (ESLint keeps only the last one that matches). */
const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/generated/**',
      '.nx/**',
      '.tsfx/**',
      'bench/.data/**',
      'apps/dashboard/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': restrict([deepImports]),
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([deepImports, apps]) },
  },
  {
    files: ['libs/shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([deepImports, { group: ['@tsfx/*'], message: '@tsfx/shared depends on no other package.' }]),
    },
  },
  {
    files: ['libs/data/src/**/*.ts'],
    ignores: ['libs/data/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        deepImports,
        apps,
        database,
        { group: ['@tsfx/pipeline', '@tsfx/serving'], message: 'libs/data is pure data logic: stages wrap it in libs/pipeline.' },
      ]),
    },
  },
  {
    files: ['libs/data/src/transform/**/*.ts'],
    ignores: ['libs/data/src/transform/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          deepImports,
          apps,
          database,
          { group: ['node:*'], message: 'Transform code runs in the browser too: no Node built-ins.' },
        ],
        NODE_BUILTINS.map((name) => ({ name, message: 'Transform code runs in the browser too: no Node built-ins.' })),
      ),
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'Use Uint8Array: transform code runs in the browser.' }],
    },
  },
  {
    files: ['libs/ml/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        deepImports,
        apps,
        database,
        { group: ['@tsfx/pipeline'], message: 'libs/ml is model logic that serving runs standalone: stages wrap it in libs/pipeline.' },
      ]),
    },
  },
  {
    files: ['libs/serving/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        deepImports,
        apps,
        database,
        { group: ['@tsfx/pipeline'], message: 'libs/serving runs standalone from a model directory: it does not depend on libs/pipeline.' },
      ]),
    },
  },
  {
    files: ['libs/pipeline/src/stages/**/*.ts'],
    ignores: ['libs/pipeline/src/stages/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([deepImports, apps, { ...database, message: 'Executors never touch the database: the driver records lineage.' }]),
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Executors never read process.env: take it as a stage param.' }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing.ts', '**/testing/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Libraries get configuration passed in; apps validate the environment once (loadConfig).' }],
    },
  },
  {
    files: ['apps/dashboard/**/*.ts', 'apps/dashboard/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict(
        [
          deepImports,
          database,
          { group: ['@tsfx/pipeline', '@tsfx/data', '@tsfx/serving', '@tsfx/cli'], message: 'The dashboard talks to the API only.' },
        ],
        [{ name: '@tsfx/api', allowTypeImports: true, message: 'The dashboard imports only the API router *type* (import type { AppRouter }).' }],
      ),
    },
  },
);
