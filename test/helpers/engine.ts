// One fixture for the tests that run the engine: a Temporal environment on the run's dev server,
// a migrated database, the sandbox simulators, a worker with the real activities, and connected
// connectors. `useEngine()` wires beforeAll/afterEach/afterAll; a test file only says what it needs.
// Sandboxes a test starts for itself are stopped after that test, and every sandbox's contract
// violations must be none after each test.
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Database } from '../../db';
import type { ApiLimiter } from '../../src/autotask/limits';
import type { ConnectorStore } from '../../src/connector/store';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sim';
import { saveConnectedConnector } from './connector';
import { testDatabases, type TestDatabase } from './db';
import { createTestEnv, createTestWorker, testKeyRing, uniqueTaskQueue } from './temporal';

export interface EngineWorkerOptions {
  limiter?: ApiLimiter | false;
  /** Workflows module to bundle instead of src/workflows. */
  workflowsPath?: string;
}

export interface EngineOptions {
  /** A driver (a fresh migrated database of that kind), one of `testDatabases()`, or false. Default: PGlite. */
  database?: TestDatabase['driver'] | TestDatabase | false;
  /** The simulators the file's tests share; false for none (a test can still start its own). */
  sandbox?: SandboxOptions | false;
  /** A worker running for the whole file on `engine.taskQueue`. */
  worker?: boolean | EngineWorkerOptions;
}

export interface Engine {
  readonly env: TestWorkflowEnvironment;
  readonly client: Client;
  readonly database: Database;
  /** The file's shared sandbox (`sandbox` option). */
  readonly sandbox: Sandbox;
  /** The task queue of the file's worker (`worker` option). */
  readonly taskQueue: string;
  /** A sandbox of the calling test's own: stopped after it, its violations checked. */
  startSandbox(options?: SandboxOptions): Promise<Sandbox>;
  /** A connector stored as activation leaves it (on the shared sandbox unless one is given). */
  connect(connectorId: string, options?: { sandbox?: Sandbox; settings?: Record<string, unknown> }): Promise<ConnectorStore>;
  /** A worker with the real activities on its own task queue, not yet running. */
  worker(options?: EngineWorkerOptions & { taskQueue?: string }): Promise<{ worker: Worker; taskQueue: string }>;
}

const SETUP_TIMEOUT = 120_000;

export function useEngine(options: EngineOptions = {}): Engine {
  let env: TestWorkflowEnvironment | undefined;
  let database: Database | undefined;
  let sandbox: Sandbox | undefined;
  let running: { worker: Worker; run: Promise<void>; taskQueue: string } | undefined;
  let own: Sandbox[] = [];

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useEngine: no ${what} (not asked for in the options, or used outside a test)`);
    return value;
  };
  const dbChoice = options.database ?? 'pglite';

  beforeAll(async () => {
    env = await createTestEnv();
    if (dbChoice) {
      const chosen = typeof dbChoice === 'string' ? testDatabases().find((d) => d.driver === dbChoice)! : dbChoice;
      database = await chosen.open();
    }
    if (options.sandbox) sandbox = await startSandbox(options.sandbox);
    if (options.worker) {
      const workerOptions = options.worker === true ? {} : options.worker;
      const taskQueue = uniqueTaskQueue('engine');
      const worker = await createTestWorker(env, ready(database, 'database'), taskQueue, workerOptions);
      running = { worker, run: worker.run(), taskQueue };
    }
  }, SETUP_TIMEOUT);

  afterEach(async () => {
    const stopping = own;
    own = [];
    const violations = [sandbox, ...stopping].flatMap((s) => s?.takeViolations() ?? []);
    await Promise.all(stopping.map((s) => s.stop()));
    expect(violations).toEqual([]);
  });

  afterAll(async () => {
    if (running) {
      running.worker.shutdown();
      await running.run;
    }
    await Promise.all(own.map((s) => s.stop()));
    await sandbox?.stop();
    await database?.close();
    await env?.teardown();
  }, SETUP_TIMEOUT);

  const engine: Engine = {
    get env() { return ready(env, 'Temporal environment'); },
    get client() { return ready(env, 'Temporal environment').client; },
    get database() { return ready(database, 'database'); },
    get sandbox() { return ready(sandbox, 'sandbox'); },
    get taskQueue() { return ready(running, 'worker').taskQueue; },
    async startSandbox(sandboxOptions = {}) {
      const started = await startSandbox(sandboxOptions);
      own.push(started);
      return started;
    },
    connect(connectorId, { sandbox: on, settings } = {}) {
      return saveConnectedConnector(engine.database, testKeyRing(), on ?? engine.sandbox, connectorId, settings);
    },
    async worker({ taskQueue = uniqueTaskQueue('worker'), ...workerOptions } = {}) {
      return { worker: await createTestWorker(engine.env, engine.database, taskQueue, workerOptions), taskQueue };
    },
  };
  return engine;
}
