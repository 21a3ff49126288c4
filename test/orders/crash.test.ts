// Exactly once under a crash: the worker is killed (SIGKILL) right after the distributor accepted
// the order and before anything was written back; a new worker finishes the job. The simulator
// must then hold exactly one order for the PO. Runs on PostgreSQL (two processes share it).
import type { ChildProcess } from 'node:child_process';
import { orderStatus, signalSubmitPurchaseOrder } from '../../src/client/orders';
import type { OrderView } from '../../src/orders/types';
import { workflowIds } from '../../src/workflows/ids';
import { startWorkerChild } from '../helpers/crash-child';
import { useEngine } from '../helpers/engine';
import { uniqueTaskQueue } from '../helpers/temporal';
import { catalogSkus, connectOrdersConnector, createPurchaseOrder, eventually, linkProducts, po, simOrders } from './helpers';

const C = 'crash';

describe('exactly once under a worker crash', () => {
  const engine = useEngine({ database: 'postgres', sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 200, seed: 5 }, rateLimit: false, msPerStep: 0 } } });
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('a SIGKILL between submit and write-back never produces a second distributor order', async () => {
    const { database, sandbox, client } = engine;
    await connectOrdersConnector(database, sandbox, C, { trackUntil: 'shipped' });
    const [s] = catalogSkus(sandbox).filter((x) => x.stock >= 5);
    const [productId] = await linkProducts(database, sandbox, C, [s.sku]);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId, quantity: 2 }] });
    const taskQueue = uniqueTaskQueue('crash');

    const first = startWorkerChild(taskQueue, database, { ORDER_CHILD_HANG_AFTER_SUBMIT: '1' });
    child = first.child;
    await first.ready;
    await signalSubmitPurchaseOrder(client, taskQueue, C, poId, { activityTimeoutMs: 3_000 });
    await eventually(() => first.output(), (o) => o.includes('SUBMITTED'), 30_000, 'submitted');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(() => process.kill(first.child.pid!, 0)).toThrow(); // really gone
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    expect(po(sandbox, poId).externalPONumber).toBeNull(); // nothing written back yet

    const { worker } = await engine.worker({ taskQueue });
    const v = await worker.runUntil(async () => {
      const processing = await eventually(() => orderStatus(client, C, poId), (x) => x?.state === 'processing', 45_000, 'tracking after restart');
      const r = sandbox.ingram.state.orders.advance(processing!.distributorOrderIds[0], 'ship');
      if (typeof r === 'string') throw new Error(r);
      return (await client.workflow.getHandle(workflowIds.order(C, poId)).result()) as OrderView;
    });
    expect(v.state).toBe('shipped');
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    expect(po(sandbox, poId).externalPONumber).toBe(simOrders(sandbox, `AT-${poId}`)[0].ingramOrderNumber);
  }, 240_000);
});
