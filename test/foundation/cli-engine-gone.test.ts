// A CLI command that waits on the engine notices when nothing will answer it — no worker polls its
// task queue, the embedded engine's process stopped, the Temporal server went silent — and ends
// with a line saying so, instead of waiting forever.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { EngineGoneError, watchEngine } from '../../src/client/engine-watch';
import { workflowIds } from '../../src/workflows/ids';
import { runCli } from '../helpers/cli';
import { TEST_KEY_SPEC, uniqueTaskQueue } from '../helpers/temporal';

const address = () => process.env.TEST_TEMPORAL_ADDRESS!;
const SECRETS = { AUTOTASK_USERNAME: 'api@example.com', AUTOTASK_SECRET: 's3cret-value', AUTOTASK_INTEGRATION_CODE: 'CODE-1' };
const HINT = 'start it with `npm start` / `autotask-bridge worker`';

/** `connect` starts the connector workflow and waits on its update: without an engine, forever. */
const connectArgs = (connectorId: string) => ['connect', '--email', 'ops@example.com', '--id', connectorId];

describe('a CLI command waiting on the engine', () => {
  it('ends when no worker polls its task queue, naming the queue', async () => {
    const taskQueue = uniqueTaskQueue('no-worker');
    // runCli kills the command after 110 s: ending on its own, with this line, is the point.
    const result = await runCli(connectArgs(taskQueue), { ...SECRETS, TEMPORAL_ADDRESS: address(), BRIDGE_TASK_QUEUE: taskQueue, BRIDGE_ENCRYPTION_KEY: TEST_KEY_SPEC }, { timeoutMs: 110_000 });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('error:'))).toEqual([`error: no engine worker is polling task queue ${taskQueue}: ${HINT}`]);
  }, 120_000);

  describe('against the embedded engine', () => {
    let dataDir: string;
    let fakeEngine: ChildProcess;
    beforeEach(() => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-gone-'));
      // Stands in for `npm start`: engine.json points at the test server and at this process.
      fakeEngine = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      fs.writeFileSync(path.join(dataDir, 'engine.json'), JSON.stringify({ temporalAddress: address(), pid: fakeEngine.pid }));
    });
    afterEach(() => {
      fakeEngine.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('ends when the engine process stops, saying so', async () => {
      const connectorId = uniqueTaskQueue('engine-stopped');
      const pending = runCli(connectArgs(connectorId), { ...SECRETS, TEMPORAL_ADDRESS: '', BRIDGE_DATA_DIR: dataDir, BRIDGE_TASK_QUEUE: connectorId, BRIDGE_ENCRYPTION_KEY: TEST_KEY_SPEC }, { timeoutMs: 110_000 });
      // Once the command waits on its workflow, the engine goes away.
      const connection = await Connection.connect({ address: address() });
      try {
        const handle = new Client({ connection }).workflow.getHandle(workflowIds.connector(connectorId));
        const deadline = Date.now() + 100_000; // the CLI's start-up is slow on a loaded machine
        while (Date.now() < deadline && !(await handle.describe().then(() => true, () => false))) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await connection.close();
      }
      fakeEngine.kill('SIGKILL');
      const result = await pending;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`error: the engine (pid ${fakeEngine.pid}) has stopped: start it again with \`npm start\``);
    }, 120_000);
  });
});

describe('watchEngine', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: address() });
    client = new Client({ connection, namespace: 'default' });
  });
  afterAll(() => connection.close());

  const reason = (p: Promise<never>) => p.then(() => 'resolved', (err: Error) => err);

  it('stays quiet while a worker polls, and notices when it goes away', async () => {
    const taskQueue = uniqueTaskQueue('goes-away');
    const native = await NativeConnection.connect({ address: address() });
    const worker = await Worker.create({ connection: native, taskQueue, activities: { noop: async () => undefined } });
    const running = worker.run();
    // Time scaled down: a poller unseen for 3 s counts as gone (production: 90 s, above the 60 s long poll).
    const watch = watchEngine({ client, taskQueue, firstCheckMs: 200, intervalMs: 250, staleMs: 3_000 });
    const outcome = reason(watch.gone);
    try {
      const early = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('still watching'), 2_000))]);
      expect(early).toBe('still watching');
      worker.shutdown();
      await running;
      const err = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('not noticed'), 15_000))]);
      expect(err).toBeInstanceOf(EngineGoneError);
      expect((err as Error).message).toBe(`no engine worker is polling task queue ${taskQueue}: start it with \`npm start\` / \`autotask-bridge worker\``);
    } finally {
      watch.stop();
      await native.close();
    }
  });

  it('says so when the Temporal server does not answer', async () => {
    const silent = Connection.lazy({ address: '127.0.0.1:1' }); // nothing listens there
    const watch = watchEngine({ client: new Client({ connection: silent }), taskQueue: 'any', address: '127.0.0.1:1', firstCheckMs: 0, intervalMs: 100 });
    try {
      const err = await reason(watch.gone);
      expect(err).toBeInstanceOf(EngineGoneError);
      expect((err as Error).message).toMatch(/^the Temporal server at 127\.0\.0\.1:1 does not answer \(.+\): start it with/);
    } finally {
      watch.stop();
      await silent.close();
    }
  });

  it('never fires once stopped', async () => {
    const watch = watchEngine({ client, taskQueue: uniqueTaskQueue('stopped'), firstCheckMs: 100 });
    watch.stop();
    const outcome = await Promise.race([reason(watch.gone), new Promise((r) => setTimeout(() => r('quiet'), 1_000))]);
    expect(outcome).toBe('quiet');
  });
});
