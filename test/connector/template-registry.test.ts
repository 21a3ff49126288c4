// Acceptance of the template registry: a template declared only in the test tree is enabled on its
// own schedule, run by `start --once`'s cycle and shown by `status`, with no edit outside the registry.
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { openDatabase, type Database } from '../../db';
import { migrateDatabase } from '../../db/migrate';
import { connect, connectorStatus, enableTemplate } from '../../src/client/connectors';
import { runEnabledTemplatesOnce } from '../../src/runtime/templates-once';
import { startSandbox, type Sandbox } from '../../src/sim';
import { scheduleIds } from '../../src/workflows/ids';
import { createTestEnv, createTestWorker, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';
import { throwawayTemplate } from '../fixtures/throwaway/template';

describe('template registry', () => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let sandbox: Sandbox;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('registry');
  const connectorId = `registry-${Date.now().toString(36)}`;

  beforeAll(async () => {
    env = await createTestEnv();
    database = await openDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 50 }, rateLimit: false } });
    worker = await createTestWorker(env, database, taskQueue, { workflowsPath: path.join(__dirname, '../fixtures/throwaway/workflows.ts') });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await sandbox?.stop();
    await database?.close();
    await env?.teardown();
  });

  it('enables a test-only template on its schedule, runs it once and shows it in status', async () => {
    const request = sandbox.connectRequest(connectorId);
    request.integrations = [];
    expect((await connect(env.client, taskQueue, testKeyRing(), request)).status).toBe('connected');

    await enableTemplate(env.client, connectorId, 'throwaway');
    const schedule = await env.client.schedule.getHandle(scheduleIds.template(connectorId, 'throwaway', '')).describe();
    expect(schedule.state.paused).toBe(false);
    expect(schedule.action).toMatchObject({ workflowType: 'throwawayWorkflow', workflowId: throwawayTemplate.workflowId(connectorId, '') });

    const runs = await runEnabledTemplatesOnce(env.client, taskQueue, undefined, [connectorId]);
    expect(runs).toEqual([{ connector: connectorId, template: 'throwaway', integrationId: '', result: `completed: throwaway ran for ${connectorId} (manual)` }]);

    // The run's report reaches the connector workflow; status lists the template with it.
    let instance;
    for (let i = 0; i < 40; i++) {
      instance = (await connectorStatus(env.client, connectorId))!.instances.find((t) => t.template === 'throwaway');
      if (instance?.lastRunStatus) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(instance).toMatchObject({ label: 'Throwaway Report', enabled: true, lastRunStatus: `completed: throwaway ran for ${connectorId} (manual)` });
    expect(instance!.schedule?.nextRun).toBeInstanceOf(Date);
  });
});
