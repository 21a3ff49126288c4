#!/usr/bin/env node
// The installed `autotask-bridge` command: runs the compiled CLI when built, else the TypeScript via tsx.
const fs = require('node:fs');
const path = require('node:path');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli.js');
if (fs.existsSync(compiled)) require(compiled);
else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli.ts'));
}
