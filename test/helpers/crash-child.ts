// Starts test/helpers/worker-child.ts in its own process (node with tsx's loader, not the tsx CLI,
// which forks: SIGKILL must hit the worker process itself) on the test's PostgreSQL schema.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Database } from '../../db';
import { TEST_DATABASE_URL } from './db';
import { eventually } from './eventually';

export interface WorkerChild {
  child: ChildProcess;
  output(): string;
  ready: Promise<void>;
  /** SIGKILL, and resolves once the process is gone. */
  kill(): Promise<void>;
}

export function startWorkerChild(taskQueue: string, database: Database, env: Record<string, string> = {}): WorkerChild {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker-child.ts')], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, ORDER_CHILD_TASK_QUEUE: taskQueue, ORDER_CHILD_DATABASE_URL: TEST_DATABASE_URL, ORDER_CHILD_SCHEMA: database.schemaName, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  // The child bundles the workflows itself (webpack): minutes on a loaded machine.
  const ready = eventually(() => out, (o) => o.includes('READY'), 180_000, 'child worker ready').then(() => undefined);
  return {
    child,
    output: () => out,
    ready,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
