// `autotask-bridge start --once` on embedded defaults: its own dev server (Web UI), PGlite or
// PostgreSQL, one engine cycle, a summary, exit 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from '../../src/runtime/temporal-dev-server';
import { runCli } from '../helpers/cli';
import { TEST_DATABASE_URL } from '../helpers/db';

describe('autotask-bridge start --once', () => {
  // Each test gets a data directory of its own: no test starts on state another left behind.
  const dirs: string[] = [];
  const freshDataDir = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-once-')));
    return dirs.at(-1)!;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  // Dev server, workflow bundle, sandbox and one Product Sync in a fresh process: minutes on a loaded machine.
  async function startOnce(dataDir: string, env: Record<string, string>) {
    const port = await freePort(0);
    const result = await runCli(['start', '--once'], { BRIDGE_DATA_DIR: dataDir, TEMPORAL_PORT: String(port), TEMPORAL_ADDRESS: '', DATABASE_URL: '', BRIDGE_SANDBOX_SKUS: '150', ...env }, { timeoutMs: 180_000 });
    expect({ code: result.code, stderr: result.stderr.split('\n').filter((l) => l && !l.includes('nodedir')) }).toEqual({ code: 0, stderr: [] });
    expect(result.stdout).toMatch(/Temporal Web UI: http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toContain('engine check: ok');
    expect(result.stdout).toContain('Summary:');
    // The sandbox connector was activated and its Product Sync ran one cycle for each distributor.
    expect(result.stdout).toContain('sandbox connector sandbox: connected');
    expect(result.stdout).toMatch(/sandbox product-sync@ingram: completed: 150 processed: \d+ created/);
    expect(result.stdout).toMatch(/sandbox product-sync@td-synnex: completed: \d+ processed/);
    return result.stdout;
  }

  it('runs on embedded PGlite and keeps its state and key under the data directory', async () => {
    const dataDir = freshDataDir();
    const out = await startOnce(dataDir, {});
    expect(out).toContain('embedded PGlite');
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
    const keyFile = path.join(dataDir, 'encryption.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(keyFile, 'utf8');
    // A second start reuses the state and the key.
    await startOnce(dataDir, {});
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(key);
  }, 400_000);

  it('runs on PostgreSQL when DATABASE_URL is set', async () => {
    const schema = `once_${process.pid}_${Date.now().toString(36)}`;
    try {
      const out = await startOnce(freshDataDir(), { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema });
      expect(out).toContain(`PostgreSQL (schema ${schema})`);
    } finally {
      const sqlClient = postgres(TEST_DATABASE_URL, { onnotice: () => undefined });
      await sqlClient.unsafe(`drop schema if exists "${schema}" cascade`);
      await sqlClient.end();
    }
  }, 200_000);
});
