// Jest runs TypeScript through SWC (no type-check here; `npm run typecheck` does that).
// got 14 and several of its dependencies are ESM-only: every installed package whose
// package.json says "type": "module" is transformed to CommonJS as well. PGlite is transformed too:
// SWC turns its internal dynamic `import()` into `require`, which Jest's VM can run without
// --experimental-vm-modules (that flag would make Jest refuse to `require` got).
const fs = require('node:fs');
const path = require('node:path');

function esmOnlyPackages(dir = path.join(__dirname, 'node_modules')) {
  const names = [];
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@');
    for (const name of scoped ? fs.readdirSync(path.join(dir, entry)).map((n) => `${entry}/${n}`) : [entry]) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8'));
        if ((pkg.type === 'module' || name.startsWith('@electric-sql/')) && !name.startsWith('@temporalio/')) names.push(name);
      } catch { /* not a package */ }
    }
  }
  return names.map((n) => n.replace(/[.+]/g, '\\$&'));
}

const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj|cj)sx?$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages().join('|')})/)`],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/teardown-runtime.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
