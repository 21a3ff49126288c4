// The order lifecycle end to end: real dev server, real worker and activities, both simulators.
// Each trigger, validation rejection, partial/backorder/split shipments, cancellation, errors and retry.
import type { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { actionLog } from '../../db/schema/action-log';
import { orderLinks } from '../../db/schema/orders';
import { memoryLimiter } from '../../src/autotask/limits';
import {
  cancelPurchaseOrder, notifyDistributorEvent, orderFromOpportunity, orderStatus, retryPurchaseOrder, signalSubmitPurchaseOrder, submitPurchaseOrder,
} from '../../src/client/orders';
import { startSandbox, type Sandbox } from '../../src/sim';
import { workflowIds } from '../../src/workflows/ids';
import type { OrderView } from '../../src/orders/types';
import { testDatabases } from '../helpers/db';
import { ConnectorStore } from '../../src/connector/store';
import { mergeSettings } from '../../src/connector/settings';
import { SANDBOX_AUTOTASK_USER } from '../../src/sim';
import { createTestEnv, createTestWorker, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';
import { catalogSkus, connectOrdersConnector, createPurchaseOrder, eventually, linkProducts, po, poItems, simOrders } from './helpers';

const C = 'orders';
const ACTIVITY_TIMEOUT = 10_000;
const fast = { activityTimeoutMs: ACTIVITY_TIMEOUT };

describe.each(testDatabases().filter((d) => d.driver === 'pglite' || process.env.ORDERS_ALL_DRIVERS))('order lifecycle on $driver', ({ open }) => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let sandbox: Sandbox;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  let skus: ReturnType<typeof catalogSkus>;
  let products: Map<string, number>;

  beforeAll(async () => {
    env = await createTestEnv();
    database = await open();
    sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 400, seed: 21 }, rateLimit: false, msPerStep: 0 } });
    await connectOrdersConnector(database, sandbox, C, {}, { timeoutMs: 2000 });
    skus = catalogSkus(sandbox);
    const ids = await linkProducts(database, sandbox, C, skus.map((s) => s.sku));
    products = new Map(skus.map((s, i) => [s.sku, ids[i]]));
    taskQueue = uniqueTaskQueue('orders');
    worker = await createTestWorker(env, database, taskQueue, { limiter: memoryLimiter() });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await sandbox?.stop();
    await database?.close();
    await env?.teardown();
  });
  afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

  let cursor = 0;
  /** The next SKU with at least `stock` units in its best warehouse (and not `notWarehouse`). */
  function sku(minStock = 10, notWarehouse?: string) {
    for (; cursor < skus.length; cursor++) {
      const s = skus[cursor];
      if (s.stock >= minStock && s.warehouse !== notWarehouse) {
        cursor++;
        return { ...s, productId: products.get(s.sku)! };
      }
    }
    throw new Error('out of test SKUs');
  }

  const view = (poId: number) => orderStatus(env.client, C, poId) as Promise<OrderView>;
  const waitState = (poId: number, states: string[], timeoutMs = 20_000) => eventually(() => view(poId), (v) => !!v && states.includes(v.state), timeoutMs, `PO ${poId} in ${states.join('/')}`);
  const advance = (orderNumber: string, action: Parameters<Sandbox['ingram']['state']['orders']['advance']>[1], line?: string) => {
    const r = sandbox.ingram.state.orders.advance(orderNumber, action, line);
    if (typeof r === 'string') throw new Error(`advance ${action}: ${r}`);
  };
  const result = (poId: number) => env.client.workflow.getHandle(workflowIds.order(C, poId)).result() as Promise<OrderView>;
  const link = async (poId: number) => (await database.db.select().from(orderLinks).where(and(eq(orderLinks.connectorId, C), eq(orderLinks.purchaseOrderId, poId))))[0];

  it('manual: update-with-start returns the validation result, submits once, and tracks to closed', async () => {
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 2 }], generalMemo: 'Deliver to reception.' });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, fast);
    expect(outcome).toMatchObject({ accepted: true, state: 'submitted', problems: [], clientPoNumber: `AT-${poId}`, alreadySubmitted: false });
    expect(outcome.distributorOrderIds).toHaveLength(1);
    const [orderNumber] = outcome.distributorOrderIds;
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);

    // Submitting again answers from the workflow: nothing new at the distributor.
    const again = await submitPurchaseOrder(env.client, taskQueue, C, poId, fast);
    expect(again).toMatchObject({ accepted: true, alreadySubmitted: true, distributorOrderIds: [orderNumber] });

    await waitState(poId, ['processing']);
    expect(po(sandbox, poId)).toMatchObject({ status: 2, externalPONumber: orderNumber });
    expect(String(po(sandbox, poId).generalMemo)).toMatch(/^Deliver to reception\.\n\n--- autotask-bridge ---\n/);

    advance(orderNumber, 'ship');
    await notifyDistributorEvent(env.client, C, poId, { distributorOrderId: orderNumber });
    const shipped = await waitState(poId, ['shipped']);
    expect(shipped.lines[0]).toMatchObject({ shipped: 2, ordered: 2 });
    expect(String(poItems(sandbox, poId)[0].memo)).toMatch(/Tracking: \S+/);

    advance(orderNumber, 'deliver');
    advance(orderNumber, 'invoice');
    const final = await result(poId);
    expect(final.state).toBe('closed');
    const record = po(sandbox, poId);
    expect(record.vendorInvoiceNumber).toMatch(/^20-\d{7}$/);
    expect(poItems(sandbox, poId)[0].estimatedArrivalDate).toBeTruthy();
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    const l = await link(poId);
    expect(l).toMatchObject({ state: 'closed', clientPoNumber: `AT-${poId}`, distributorOrderIds: [orderNumber] });
    expect(l.closedAt).toBeTruthy();
    const log = await database.db.select().from(actionLog).where(eq(actionLog.workflowId, workflowIds.order(C, poId)));
    expect(log.map((r) => r.kind)).toEqual(expect.arrayContaining(['order.submitted', 'order.status']));
    const history = await env.client.workflow.getHandle(workflowIds.order(C, poId)).fetchHistory();
    expect(history.events!.length).toBeLessThanOrEqual(200);
  });

  it('manual from the Web UI: a signal starts and submits', async () => {
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    await signalSubmitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    const v = await waitState(poId, ['processing']);
    advance(v.distributorOrderIds[0], 'ship');
    expect((await result(poId)).state).toBe('shipped');
  });

  it('rejects an invalid PO with the reasons written back, submits nothing, then submits once fixed', async () => {
    const s = sku();
    const [unmapped] = sandbox.autotask.seed('Products', [{ name: 'Not a distributor product', isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId }]);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 0 }, { productId: unmapped, quantity: 1 }], shipTo: { shipToCity: null } });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.accepted).toBe(false);
    expect(outcome.state).toBe('rejected');
    expect(outcome.problems.join('\n')).toMatch(/ship-to address is incomplete: no city/);
    expect(outcome.problems.join('\n')).toMatch(/quantity 0 is not a positive whole number/);
    expect(outcome.problems.join('\n')).toMatch(new RegExp(`product ${unmapped} is not a`));
    expect(String(po(sandbox, poId).generalMemo)).toMatch(/Not submitted to Ingram Micro: .*incomplete/s);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(0);

    // The operator fixes the PO and retries.
    const rec = po(sandbox, poId);
    rec.shipToCity = 'Redmond';
    const items = poItems(sandbox, poId);
    items[0].quantity = 3;
    items[1].productID = s.productId;
    const retried = await retryPurchaseOrder(env.client, taskQueue, C, poId, fast);
    expect(['submitted', 'processing']).toContain(retried.state);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    const memo = String(po(sandbox, poId).generalMemo);
    await eventually(() => String(po(sandbox, poId).generalMemo), (m) => !m.includes('Not submitted'), 10_000, 'memo replaced');
    expect(memo.split('--- autotask-bridge ---')).toHaveLength(2);
  });

  async function setOrderSettings(orders: Record<string, unknown>): Promise<void> {
    const store = new ConnectorStore(database, testKeyRing());
    const current = await store.get(C);
    await store.updateSettings(C, mergeSettings(current.settings, { orders }));
  }

  it('scheduled: the scan starts workflows for unlinked POs of the vendor in a submit status, and a second scan starts nothing', async () => {
    const s = sku();
    const before = new Set(sandbox.autotask.records('PurchaseOrders').map((r) => r.id));
    // Earlier tests' POs are status 1 too: move them out of the scan's way.
    for (const r of sandbox.autotask.records('PurchaseOrders')) if (r.status === 1) r.status = 2;
    const mine = [1, 2, 3].map(() => createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] }));
    createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], vendorId: sandbox.customerCompanyId });
    createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], status: 2 });
    await setOrderSettings({ trackUntil: 'shipped' });
    try {
      const first = await env.client.workflow.execute('orderScanWorkflow', { workflowId: `scan-1-${taskQueue}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
      expect(first).toMatchObject({ found: 3, started: 3, alreadyRunning: 0 });
      for (const id of mine) await waitState(id, ['processing']);
      const second = await env.client.workflow.execute('orderScanWorkflow', { workflowId: `scan-2-${taskQueue}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
      expect(second.started).toBe(0);
      for (const id of mine) {
        expect(simOrders(sandbox, `AT-${id}`)).toHaveLength(1);
        advance(simOrders(sandbox, `AT-${id}`)[0].ingramOrderNumber, 'ship');
        expect((await result(id)).state).toBe('shipped');
      }
      expect(sandbox.autotask.records('PurchaseOrders').filter((r) => !before.has(r.id) && !mine.includes(r.id)).every((r) => simOrders(sandbox, `AT-${r.id}`).length === 0)).toBe(true);
    } finally {
      await setOrderSettings({ trackUntil: 'closed' });
    }
  });

  it('custom workflow: a won opportunity becomes one PO with its quote products, submitted once', async () => {
    const a = sku();
    const b = sku(10, a.warehouse === 'x' ? undefined : undefined);
    const [oppId] = sandbox.autotask.seed('Opportunities', [{ title: 'Laptops for Contoso', companyID: sandbox.customerCompanyId, status: 3, stage: 5, amount: 100, cost: 50, probability: 100, useQuoteTotals: true, ownerResourceID: 1 }]);
    const [quoteId] = sandbox.autotask.seed('Quotes', [{ name: 'Q1', opportunityID: oppId, companyID: sandbox.customerCompanyId, primaryQuote: true }]);
    sandbox.autotask.seed('QuoteItems', [
      { quoteID: quoteId, quoteItemType: 1, productID: a.productId, quantity: 2, unitCost: 10, unitPrice: 12, isOptional: false },
      { quoteID: quoteId, quoteItemType: 1, productID: b.productId, quantity: 1, unitCost: 10, unitPrice: 12, isOptional: false },
      { quoteID: quoteId, quoteItemType: 3, quantity: 1, unitPrice: 100, isOptional: false, name: 'Installation' },
      { quoteID: quoteId, quoteItemType: 1, productID: b.productId, quantity: 5, unitCost: 10, isOptional: true },
    ]);
    const first = await orderFromOpportunity(env.client, taskQueue, C, oppId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(first).toMatchObject({ created: true, items: 2 });
    const again = await orderFromOpportunity(env.client, taskQueue, C, oppId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(again).toMatchObject({ created: false, purchaseOrderId: first.purchaseOrderId });
    const pos = sandbox.autotask.records('PurchaseOrders').filter((r) => String(r.generalMemo ?? '').includes(`opportunity ${oppId}`));
    expect(pos).toHaveLength(1);
    expect(poItems(sandbox, first.purchaseOrderId).map((i) => [i.productID, i.quantity])).toEqual([[a.productId, 2], [b.productId, 1]]);
    const v = await waitState(first.purchaseOrderId, ['processing', 'submitted']);
    expect(simOrders(sandbox, `AT-${first.purchaseOrderId}`).length).toBeGreaterThanOrEqual(1);
    for (const id of v.distributorOrderIds) advance(id, 'ship');
    expect((await result(first.purchaseOrderId)).state).toBe('shipped');
    expect(po(sandbox, first.purchaseOrderId).externalPONumber).toBe(v.distributorOrderIds.join(', '));
  });

  it('partial shipment then full, receiving shipped quantities into Autotask', async () => {
    await setOrderSettings({ receiveShipped: true });
    try {
      const s = sku(4);
      const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 4 }] });
      const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
      const [orderNumber] = outcome.distributorOrderIds;
      await waitState(poId, ['processing']);
      advance(orderNumber, 'partial');
      await notifyDistributorEvent(env.client, C, poId);
      const partial = await waitState(poId, ['partially_shipped']);
      expect(partial.lines[0]).toMatchObject({ shipped: 2, ordered: 4 });
      const [item] = poItems(sandbox, poId);
      await eventually(() => sandbox.autotask.records('PurchaseOrderItemReceiving').filter((r) => r.purchaseOrderItemID === item.id), (r) => r.length === 1, 10_000, 'first receiving');
      expect(po(sandbox, poId).status).toBe(3); // Received Partial
      expect(String(poItems(sandbox, poId)[0].memo)).toMatch(/shipped 2\/4/);
      advance(orderNumber, 'ship');
      expect((await result(poId)).state).toBe('shipped');
      const receiving = sandbox.autotask.records('PurchaseOrderItemReceiving').filter((r) => r.purchaseOrderItemID === item.id);
      expect(receiving.map((r) => r.quantityNowReceiving)).toEqual([2, 2]);
      expect(po(sandbox, poId).status).toBe(4); // Received Full
      expect(String(poItems(sandbox, poId)[0].memo).match(/Tracking:/g)).toHaveLength(2);
    } finally {
      await setOrderSettings({ receiveShipped: false });
    }
  });

  it('backorder then ship: Back Order status and the ETA on the line, then shipped', async () => {
    const s = sku(2);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 2 }] });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    const [orderNumber] = outcome.distributorOrderIds;
    advance(orderNumber, 'backorder');
    await notifyDistributorEvent(env.client, C, poId);
    const back = await waitState(poId, ['backordered']);
    expect(back.lines[0]).toMatchObject({ backordered: 2, shipped: 0 });
    expect(back.lines[0].eta).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await eventually(() => po(sandbox, poId).status, (st) => st === 6, 10_000, 'Back Order status');
    expect(poItems(sandbox, poId)[0].estimatedArrivalDate).toMatch(new RegExp(`^${back.lines[0].eta}`));
    expect(String(po(sandbox, poId).generalMemo)).toMatch(/2 backordered, ETA/);
    advance(orderNumber, 'next');
    expect((await result(poId)).state).toBe('shipped');
    expect(po(sandbox, poId).status).toBe(2);
  });

  it('split order: lines from different warehouses become two distributor orders, tracked per line', async () => {
    const a = sku(5);
    const b = sku(5, a.warehouse);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: a.productId, quantity: 1 }, { productId: b.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.distributorOrderIds).toHaveLength(2);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(2);
    await waitState(poId, ['processing']);
    advance(outcome.distributorOrderIds[0], 'ship');
    await notifyDistributorEvent(env.client, C, poId);
    const half = await waitState(poId, ['partially_shipped']);
    expect(half.lines.map((l) => l.distributorOrderId).sort()).toEqual([...outcome.distributorOrderIds].sort());
    advance(outcome.distributorOrderIds[1], 'ship');
    expect((await result(poId)).state).toBe('shipped');
    expect(po(sandbox, poId).externalPONumber).toBe(outcome.distributorOrderIds.join(', '));
    for (const item of poItems(sandbox, poId)) expect(String(item.memo)).toMatch(/Tracking:/);
  });

  it('cancellation: before submission, refused while processing, accepted on hold', async () => {
    const s = sku();
    const early = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    await env.client.workflow.start('orderLifecycleWorkflow', { workflowId: workflowIds.order(C, early), taskQueue, args: [{ connectorId: C, purchaseOrderId: early, trigger: 'manual', ...fast }] });
    expect((await cancelPurchaseOrder(env.client, C, early, 'not needed')).state).toBe('cancelled');
    expect((await result(early)).state).toBe('cancelled');
    expect(simOrders(sandbox, `AT-${early}`)).toHaveLength(0);

    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, fast);
    await waitState(poId, ['processing']);
    await expect(cancelPurchaseOrder(env.client, C, poId)).rejects.toThrow(WorkflowUpdateFailedError);
    advance(outcome.distributorOrderIds[0], 'hold');
    const cancelled = await cancelPurchaseOrder(env.client, C, poId, 'customer changed their mind');
    expect(cancelled.state).toBe('cancelled');
    expect((await result(poId)).state).toBe('cancelled');
    expect(po(sandbox, poId).status).toBe(5);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });

  it('exactly once when the submit times out after the distributor created the order', async () => {
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    sandbox.ingram.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: 'timeout', when: 'after' });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.accepted).toBe(true);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    expect(outcome.distributorOrderIds).toEqual([simOrders(sandbox, `AT-${poId}`)[0].ingramOrderNumber]);
    const log = await database.db.select().from(actionLog).where(eq(actionLog.workflowId, workflowIds.order(C, poId)));
    expect(log.map((r) => r.kind)).toContain('order.recovered');
    advance(outcome.distributorOrderIds[0], 'ship');
    expect((await result(poId)).state).toBe('shipped');
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });

  it('a permanent failure parks the order in error (reason logged and in Autotask) until the operator retries', async () => {
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    const resourceId = sandbox.autotask.records('Resources').find((r) => r.email === SANDBOX_AUTOTASK_USER.resourceEmail)!.id;
    sandbox.autotask.addUser({ ...SANDBOX_AUTOTASK_USER, resourceId, permissions: { PurchaseOrderItems: { update: false } } });
    try {
      await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
      const failed = await waitState(poId, ['error']);
      expect(failed.lastError).toBeTruthy();
      // The state is visible at once; the reason reaches Autotask and the action log right after.
      await eventually(() => String(po(sandbox, poId).generalMemo), (m) => /Error while ordering from Ingram Micro/.test(m), 10_000, 'error memo');
      const log = await database.db.select().from(actionLog).where(and(eq(actionLog.workflowId, workflowIds.order(C, poId)), eq(actionLog.kind, 'order.error')));
      expect(log).toHaveLength(1);
    } finally {
      sandbox.autotask.addUser({ ...SANDBOX_AUTOTASK_USER, resourceId: sandbox.autotask.records('Resources').find((r) => r.email === SANDBOX_AUTOTASK_USER.resourceEmail)!.id });
    }
    const retried = await retryPurchaseOrder(env.client, taskQueue, C, poId, fast);
    expect(retried.state).toBe('processing');
    expect(String(po(sandbox, poId).generalMemo)).not.toMatch(/Error while ordering/);
    advance(retried.distributorOrderIds[0], 'ship');
    expect((await result(poId)).state).toBe('shipped');
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });

  it('Get Order Status sweep restarts tracking of an open order whose workflow is gone', async () => {
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(env.client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    await waitState(poId, ['processing']);
    await env.client.workflow.getHandle(workflowIds.order(C, poId)).terminate('lost');
    const sweep = await env.client.workflow.execute('orderStatusSweepWorkflow', { workflowId: `sweep-${taskQueue}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(sweep.started).toBeGreaterThanOrEqual(1);
    const again = await env.client.workflow.execute('orderStatusSweepWorkflow', { workflowId: `sweep-2-${taskQueue}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(again.started).toBe(0);
    await setOrderSettings({ trackUntil: 'shipped' });
    try {
      advance(outcome.distributorOrderIds[0], 'ship');
      const v = await waitState(poId, ['shipped']);
      expect(v.distributorOrderIds).toEqual(outcome.distributorOrderIds);
    } finally {
      await setOrderSettings({ trackUntil: 'closed' });
    }
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });
});
