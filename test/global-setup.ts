// One Temporal dev server per jest run (headless, on a free port, state in a temp SQLite file),
// started with the project's own resolver: the same CLI `npm start` uses, built on first use.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer } from '../src/runtime/temporal-dev-server';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_TEMPORAL_ADDRESS) return; // an already-running server was given
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bridge-test-'));
  const server = await startDevServer({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    dbFilename: path.join(dir, 'temporal.db'),
    port: 0,
    headless: true,
    log: (line) => console.log(line),
  });
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  (globalThis as Record<string, unknown>).__bridgeTestServer = { server, dir };
}
