// Product Sync from TD SYNNEX survives worker SIGKILLs, as from Ingram (test/product-sync/crash.test.ts):
// the worker process is killed three times while it walks a 1,200-line price file; the retried page
// activities resume the file at their checkpoint's byte offset (FTP REST) in a new process, and
// Autotask ends with one product per SKU and the same state as an uninterrupted run. PostgreSQL only
// (the killed worker runs in its own process).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { integrations } from '../../db/schema/connectors';
import { memoryLimiter } from '../../src/autotask/limits';
import type { Sandbox, SandboxOptions } from '../../src/sim';
import { ProductSyncStore } from '../../src/product-sync/store';
import type { ProductSyncResult } from '../../src/workflows/product-sync';
import { ROOT } from '../helpers/cli';
import { saveConnectedConnector } from '../helpers/connector';
import { TEST_DATABASE_URL, testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';
import { createTestWorker, testKeyRing, testWorkflowBundleFile, uniqueTaskQueue } from '../helpers/temporal';

const SANDBOX: SandboxOptions = {
  autotask: { hourlyLimit: 100_000_000 }, tdSynnex: { catalog: { skus: 1200, seed: 5 } }, ingram: false, pax8: false, cloudblue: false, integrations: ['td-synnex'],
};

function snapshot(sandbox: Sandbox): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const p of sandbox.autotask.records('Products')) {
    const key = p.sku as string;
    if (out.has(key)) throw new Error(`two products for SKU ${key}`);
    out.set(key, { name: p.name, description: p.description, unitCost: p.unitCost, unitPrice: p.unitPrice, msrp: p.msrp, isActive: p.isActive, vendorProductNumber: p.vendorProductNumber, manufacturerName: p.manufacturerName });
  }
  return out;
}

/** A connector on the sandbox whose price-file pages are 100 lines (12 pages: the kills land mid-walk). */
async function connect(database: Database, sandbox: Sandbox): Promise<void> {
  await saveConnectedConnector(database, testKeyRing(), sandbox, 'crash');
  const where = and(eq(integrations.connectorId, 'crash'), eq(integrations.id, 'td-synnex'));
  const [row] = await database.db.select().from(integrations).where(where);
  await database.db.update(integrations).set({ settings: { ...row.settings, pageSize: 100 } }).where(where);
}

describe('Product Sync from TD SYNNEX survives worker SIGKILLs', () => {
  const engine = useEngine({ database: 'postgres', sandbox: SANDBOX });
  const [pglite] = testDatabases();
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  async function startWorker(taskQueue: string): Promise<ChildProcess> {
    // Each child loads one prebuilt workflow bundle rather than bundling.
    const bundle = await testWorkflowBundleFile();
    // node itself (not the tsx wrapper script), so SIGKILL hits the process that runs the worker.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'product-sync', 'crash-worker.ts')], {
      cwd: ROOT,
      env: { ...process.env, CRASH_TASK_QUEUE: taskQueue, CRASH_DATABASE_URL: TEST_DATABASE_URL, CRASH_DATABASE_SCHEMA: engine.database.schemaName, CRASH_BUNDLE: bundle, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker ready')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
  }

  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  it('resumes the price file where each checkpoint left it and ends as an uninterrupted run', async () => {
    const { sandbox, client } = engine;
    await connect(engine.database, sandbox);
    const taskQueue = uniqueTaskQueue('tds-crash');
    const handle = await client.workflow.start('productSyncWorkflow', { workflowId: `tds-crash-${taskQueue}`, taskQueue, args: [{ connectorId: 'crash', heartbeatTimeout: '3 seconds' }] });
    /** Pages checkpointed so far (per page in sync_runs: a page activity takes several before the workflow hears of them). */
    const runs = new ProductSyncStore(engine.database);
    const pages = async () => (await runs.run(handle.workflowId))?.pages ?? 0;
    for (let round = 0; round < 3; round++) {
      const worker = await startWorker(taskQueue);
      // Let it get into the file (a page or more written), then kill it at a random point.
      const startPages = await pages();
      for (let i = 0; i < 300 && (await pages()) <= startPages + 1; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 500));
      await kill(worker);
    }
    expect(sandbox.autotask.records('Products').length).toBeGreaterThan(0);

    const last = await startWorker(taskQueue);
    const result = (await handle.result()) as ProductSyncResult;
    await kill(last);
    expect(result.status).toBe('completed');
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1).length).toBeGreaterThanOrEqual(1);
    // A new process picked the file up mid-way: a transfer started at a byte offset (REST), not at 0.
    expect(sandbox.tdSynnex.ftp.transfers.some((offset) => offset > 0)).toBe(true);
    const crashed = snapshot(sandbox); // throws on a second product for any SKU

    const reference = await engine.startSandbox(SANDBOX);
    const refDb = await pglite.open();
    try {
      await connect(refDb, reference);
      const refQueue = uniqueTaskQueue('tds-reference');
      const worker = await createTestWorker(engine.env, refDb, refQueue, { limiter: memoryLimiter() });
      await worker.runUntil(client.workflow.execute('productSyncWorkflow', { workflowId: `tds-ref-${refQueue}`, taskQueue: refQueue, args: [{ connectorId: 'crash' }] }));
      const expected = snapshot(reference);
      expect(crashed.size).toBe(expected.size);
      expect(Object.fromEntries(crashed)).toEqual(Object.fromEntries(expected));
      expect(sandbox.autotask.records('ProductVendors').length).toBe(reference.autotask.records('ProductVendors').length);
    } finally {
      await refDb.close();
    }
  }, 360_000);
});
