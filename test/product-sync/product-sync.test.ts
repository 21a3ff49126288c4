// Product Sync end to end: real dev server, real worker and activities, both simulators, both databases.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../db';
import { memoryLimiter } from '../../src/autotask/limits';
import { startSandbox, type Sandbox } from '../../src/sim';
import type { ProductSyncResult } from '../../src/workflows/product-sync';
import { saveConnectedConnector } from '../helpers/connector';
import { testDatabases } from '../helpers/db';
import { createTestEnv, createTestWorker, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';

const SKUS = 450;

function writes(sandbox: Sandbox): number {
  return sandbox.autotask.sim.totalRequests((k) => /^(POST|PATCH|PUT) /.test(k) && !k.includes('/query'));
}

describe.each(testDatabases())('Product Sync on $driver', ({ open }) => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let sandbox: Sandbox;

  beforeAll(async () => {
    env = await createTestEnv();
    database = await open();
    sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 11 }, rateLimit: false } });
    await saveConnectedConnector(database, testKeyRing(), sandbox, 'ps');
  });
  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
    await env?.teardown();
  });
  afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

  async function sync(taskQueue: string, dryRun = false): Promise<ProductSyncResult> {
    const worker = await createTestWorker(env, database, taskQueue, { limiter: memoryLimiter() });
    return worker.runUntil(env.client.workflow.execute('productSyncWorkflow', { workflowId: `ps-${taskQueue}`, taskQueue, args: [{ connectorId: 'ps', dryRun }] }));
  }

  it('creates every good SKU once, then writes nothing when nothing changed', async () => {
    const first = await sync(uniqueTaskQueue('ps1'));
    expect(first.status).toBe('completed');
    const bad = sandbox.ingram.catalog.badRecords().length;
    expect(first.counters.quarantined).toBeGreaterThanOrEqual(bad - 1);
    const products = sandbox.autotask.records('Products');
    expect(products.length).toBe(first.counters.created);
    expect(first.counters.created + first.counters.quarantined + first.counters.skipped).toBeGreaterThanOrEqual(SKUS - 5);
    // Exactly one product per SKU.
    const skus = products.map((p) => p.sku as string);
    expect(new Set(skus).size).toBe(skus.length);
    expect(sandbox.autotask.records('ProductVendors').length).toBe(products.length);

    const before = writes(sandbox);
    const second = await sync(uniqueTaskQueue('ps2'));
    expect(second.status).toBe('completed');
    expect(second.counters.created).toBe(0);
    expect(second.counters.updated).toBe(0);
    expect(second.counters.unchanged).toBe(first.counters.created);
    expect(writes(sandbox) - before).toBe(0);
  });
});
