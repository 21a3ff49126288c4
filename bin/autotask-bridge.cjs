#!/usr/bin/env node
// The installed `autotask-bridge` command. Production (NODE_ENV=production, or no src/ beside it as
// in the Docker image) runs the compiled CLI from `npm run build`; a checkout runs the TypeScript
// via tsx, so a dist/ left from an earlier build never shadows newer sources.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'src', 'cli.js');
const production = process.env.NODE_ENV === 'production' || !fs.existsSync(path.join(root, 'src'));
if (production) {
  if (!fs.existsSync(compiled)) {
    console.error(`error: ${compiled} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  require(compiled);
} else {
  require('tsx/cjs');
  require(path.join(root, 'src', 'cli.ts'));
}
