// ESLint (typescript-eslint): floating promises are errors everywhere; workflow and template code
// (bundled, deterministic) may not import Node builtins or anything that does I/O.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'stream', 'url', 'util', 'events', 'timers', 'worker_threads', 'readline', 'zlib', 'dns', 'tls'];
const banned = [
  ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]),
  'got', 'postgres', 'drizzle-orm', '@electric-sql/pglite', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity',
];

export default tseslint.config(
  { ignores: ['**/*.tmp.ts', 'node_modules/**', 'dist/**', '.data/**', 'test/histories/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/templates/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: banned.map((name) => ({ name, message: 'Workflow and template code is deterministic and bundled: no I/O or Node builtins (use activities).' })), patterns: [{ group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Workflows import activities as types only.' }] }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Not deterministic.' }],
    },
  },
);
