// Exactly once under crashes: the worker process is SIGKILLed three times at random points of a
// 2,000-SKU sync. Afterwards Autotask holds exactly one product per SKU and the same state as an
// uninterrupted run. PostgreSQL only: the killed worker runs in its own process, and embedded PGlite
// lives inside one process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { memoryLimiter } from '../../src/autotask/limits';
import type { Sandbox } from '../../src/sim';
import { progressQuery, type ProductSyncResult } from '../../src/workflows/product-sync';
import { saveConnectedConnector } from '../helpers/connector';
import { TEST_DATABASE_URL, testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';
import { createTestWorker, testKeyRing, testWorkflowBundleFile, uniqueTaskQueue } from '../helpers/temporal';
import { ROOT } from '../helpers/cli';

const SKUS = 2000;
const sandboxOptions = () => ({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 5 }, rateLimit: false as const } });

type Snapshot = Map<string, Record<string, unknown>>;

function snapshot(sandbox: Sandbox): Snapshot {
  const out: Snapshot = new Map();
  for (const p of sandbox.autotask.records('Products')) {
    const key = p.sku as string;
    if (out.has(key)) throw new Error(`two products for SKU ${key}`);
    out.set(key, { name: p.name, description: p.description, unitCost: p.unitCost, unitPrice: p.unitPrice, msrp: p.msrp, isActive: p.isActive, vendorProductNumber: p.vendorProductNumber, manufacturerName: p.manufacturerName });
  }
  return out;
}

describe('Product Sync survives worker SIGKILLs', () => {
  const engine = useEngine({ database: 'postgres', sandbox: sandboxOptions() });
  const [pglite] = testDatabases();
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  async function startWorker(taskQueue: string): Promise<ChildProcess> {
    const bundle = await testWorkflowBundleFile();
    // node itself (not the tsx wrapper script), so SIGKILL hits the process that runs the worker.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-worker.ts')], {
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

  it('ends with one product per SKU and the same state as an uninterrupted run', async () => {
    const { sandbox, client: temporal } = engine;
    await engine.connect('crash');
    const taskQueue = uniqueTaskQueue('crash');
    const handle = await temporal.workflow.start('productSyncWorkflow', {
      workflowId: `crash-${taskQueue}`,
      taskQueue,
      args: [{ connectorId: 'crash', heartbeatTimeout: '3 seconds' }],
    });
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const worker = await startWorker(taskQueue);
      // Let it get into the catalog (a page or more written), then kill it at a random point.
      const startPages = (await handle.query(progressQuery)).pages;
      for (let i = 0; i < 300; i++) {
        const p = await handle.query(progressQuery);
        if (p.pages > startPages || sandbox.autotask.records('Products').length > round * 300 + 50) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 700));
      await kill(worker);
      kills++;
    }
    expect(kills).toBe(3);
    const partial = sandbox.autotask.records('Products').length;
    expect(partial).toBeGreaterThan(0);

    const last = await startWorker(taskQueue);
    const result = (await handle.result()) as ProductSyncResult;
    await kill(last);
    expect(result.status).toBe('completed');
    // The kills really interrupted work: some page activity needed more than one attempt.
    const history = await handle.fetchHistory();
    const retried = history.events!.filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1).length;
    expect(retried).toBeGreaterThanOrEqual(1);
    const crashed = snapshot(sandbox); // throws on a second product for any SKU

    // The same catalog, synced without interruption.
    const reference = await engine.startSandbox(sandboxOptions());
    const refDb = await pglite.open();
    try {
      await saveConnectedConnector(refDb, testKeyRing(), reference, 'crash');
      const refQueue = uniqueTaskQueue('reference');
      const worker = await createTestWorker(engine.env, refDb, refQueue, { limiter: memoryLimiter() });
      await worker.runUntil(temporal.workflow.execute('productSyncWorkflow', { workflowId: `ref-${refQueue}`, taskQueue: refQueue, args: [{ connectorId: 'crash' }] }));
      const expected = snapshot(reference);
      expect(crashed.size).toBe(expected.size);
      expect(Object.fromEntries(crashed)).toEqual(Object.fromEntries(expected));
      expect(sandbox.autotask.records('ProductVendors').length).toBe(reference.autotask.records('ProductVendors').length);
    } finally {
      await refDb.close();
    }
  }, 480_000); // four worker processes and two 2,000-SKU runs: minutes on a loaded 2-core machine
});
