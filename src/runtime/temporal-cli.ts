// Finds a Temporal CLI for the embedded dev server, in the order:
// TEMPORAL_CLI_PATH → `temporal` on PATH → cached build → `go install` into the cache →
// (caller falls back to) the SDK's own download.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config';

/** Last release whose go.mod has no replace directives, so `go install` works. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'autotask-bridge', 'bin');
}

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install';

export interface ResolvedCli {
  path: string;
  source: CliSource;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Returns an existing CLI without building anything, or undefined. */
export function findTemporalCli(explicit?: string): ResolvedCli | undefined {
  if (explicit) {
    if (!isExecutable(explicit)) throw new ConfigError('TEMPORAL_CLI_PATH', `${explicit} is not an executable file`);
    return { path: explicit, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const cached = path.join(cacheDir(), 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

export function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the CLI into the cache directory with `go install` (a few minutes the first time; fresh
 * clones reuse it). Concurrent callers (jest workers, two terminals) wait on one lock file.
 */
export async function buildTemporalCli(log: (line: string) => void = () => undefined): Promise<ResolvedCli> {
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'temporal');
  const lock = path.join(dir, '.build.lock');
  for (;;) {
    if (isExecutable(target)) return { path: target, source: 'cache' };
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (lockIsStale(lock)) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install into ${dir} (first run only)…`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
        env: { ...process.env, CGO_ENABLED: '0', GOBIN: dir },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with ${code}`))));
    });
    return { path: target, source: 'go install' };
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Finds or builds the CLI; undefined means "use the SDK's download". */
export async function ensureTemporalCli(explicit?: string, log?: (line: string) => void): Promise<ResolvedCli | undefined> {
  const found = findTemporalCli(explicit);
  if (found) return found;
  if (goAvailable()) return buildTemporalCli(log);
  return undefined;
}
