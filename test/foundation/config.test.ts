// Bad configuration ends with one clear line naming the setting — never a bare stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { runCli } from '../helpers/cli';

describe('loadConfig', () => {
  it('uses embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.temporalAddress).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.temporalNamespace).toBe('default');
    expect(config.dataDir).toBe(path.resolve('.data'));
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'http://temporal:7233/x' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('names %s when it is malformed', (setting, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${setting}: `));
  });
});

describe('autotask-bridge start with bad settings', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-badcfg-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: '127.0.0.1:1' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://nobody:hunter2@127.0.0.1:1/none' }],
    ['BRIDGE_ENCRYPTION_KEY', { BRIDGE_ENCRYPTION_KEY: 'not-a-key' }],
  ])('prints one line naming %s and exits 1', async (setting, env) => {
    const result = await runCli(['start', '--once'], { BRIDGE_DATA_DIR: dataDir, ...env });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n').filter((l) => !l.includes('nodedir'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: ${setting}: `));
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
