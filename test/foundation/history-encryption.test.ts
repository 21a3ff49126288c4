// Payloads reach Temporal only as ciphertext: a marker passed as workflow input appears nowhere
// in the stored history, yet the workflow sees it and returns it intact.
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../db';
import { createWorker } from '../../src/worker';
import { createDataConverter } from '../../src/client/connection';
import { createTestEnv, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';
import { testDatabases } from '../helpers/db';

describe.each(testDatabases())('engine check on $driver', ({ open }) => {
  let env: TestWorkflowEnvironment;
  let database: Database;

  beforeAll(async () => {
    env = await createTestEnv();
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
    await env?.teardown();
  });

  it('round-trips through an activity and the database, with no plaintext in history', async () => {
    const marker = `MARKER-${Date.now()}-do-not-leak`;
    const taskQueue = uniqueTaskQueue('engine-check');
    const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, dataConverter: createDataConverter(testKeyRing()), deps: { database, ring: testKeyRing(), temporal: env.client, taskQueue, limiter: false } });
    const handle = await env.client.workflow.start('engineCheckWorkflow', { workflowId: `engine-check-${taskQueue}`, taskQueue, args: [{ marker }] });
    const result = await worker.runUntil(handle.result());
    expect(result).toEqual({ actionId: expect.any(Number), marker, driver: database.driver });

    const raw = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: handle.workflowId } });
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(raw.history!).finish());
    expect(raw.history!.events!.length).toBeGreaterThan(5);
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes(Buffer.from(marker).toString('base64'))).toBe(false);
    expect(bytes.includes('binary/encrypted')).toBe(true);
  });
});
