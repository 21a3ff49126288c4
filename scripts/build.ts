// `npm run build`: the production worker's files in dist/ — compiled JavaScript (tsc), the
// prebuilt workflow bundle, and the files the code reads beside itself (migrations, vendor specs),
// so `node dist/src/cli.js` needs nothing but node_modules. dist/ is rebuilt from scratch each time
// so a stale bundle can never sit next to newer code.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

function step(label: string, fn: () => void): void {
  const started = Date.now();
  fn();
  console.log(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

fs.rmSync(dist, { recursive: true, force: true });
step('compiled TypeScript into dist/', () =>
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' }),
);
step('copied db/migrations and spec/', () => {
  // db/migrate.ts reads `migrations` beside itself; src/spec and the simulators read `spec/` two levels up.
  fs.cpSync(path.join(root, 'db', 'migrations'), path.join(dist, 'db', 'migrations'), { recursive: true });
  fs.cpSync(path.join(root, 'spec'), path.join(dist, 'spec'), { recursive: true });
});
step('bundled workflows into dist/workflow-bundle.js', () =>
  execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'build-workflow-bundle.ts'), path.join(dist, 'workflow-bundle.js')], { cwd: root, stdio: 'inherit' }),
);
