// The order lifecycle end to end: real dev server, real worker and activities, both simulators.
// Each trigger, validation rejection, partial/backorder/split shipments, cancellation, errors and retry.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { actionLog } from '../../db/schema/action-log';
import { orderLinks } from '../../db/schema/orders';
import { memoryLimiter } from '../../src/autotask/limits';
import {
  cancelPurchaseOrder, notifyDistributorEvent, orderFromOpportunity, orderStatus, retryPurchaseOrder, signalSubmitPurchaseOrder, submitPurchaseOrder,
} from '../../src/client/orders';
import { startOrderWorkflow } from '../../src/client/order-workflow';
import { SANDBOX_AUTOTASK_USER, type Sandbox } from '../../src/sim';
import { sandboxInventoryLocation } from '../../src/sim/sandbox-orders';
import { workflowIds } from '../../src/workflows/ids';
import type { OrderView } from '../../src/orders/types';
import { testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';
import { catalogSkus, connectOrdersConnector, createPurchaseOrder, eventually, linkProducts, po, poItems, simOrders } from './helpers';

const ACTIVITY_TIMEOUT = 10_000;
const fast = { activityTimeoutMs: ACTIVITY_TIMEOUT };
/** A string matched literally inside a RegExp. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SANDBOX = { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 400, seed: 21 }, rateLimit: false as const, msPerStep: 0 } };

describe.each(testDatabases().filter((d) => d.driver === 'pglite' || process.env.ORDERS_ALL_DRIVERS))('order lifecycle on $driver', (db) => {
  const engine = useEngine({ database: db, worker: { limiter: memoryLimiter() } });
  let connectors = 0;

  /**
   * What a test orders on: a sandbox of its own, a connector with the given order settings and every
   * orderable catalog SKU linked to an Autotask product.
   */
  async function setup(orders: Record<string, unknown> = {}) {
    const sandbox = await engine.startSandbox(SANDBOX);
    const C = `orders-${++connectors}`;
    await connectOrdersConnector(engine.database, sandbox, C, orders, { timeoutMs: 2000 });
    const skus = catalogSkus(sandbox);
    const ids = await linkProducts(engine.database, sandbox, C, skus.map((s) => s.sku));
    let cursor = 0;
    const { client, taskQueue } = engine;
    return {
      sandbox, C, client, taskQueue,
      /** The next SKU with at least `minStock` units in its best warehouse (and not `notWarehouse`). */
      sku(minStock = 10, notWarehouse?: string) {
        for (; cursor < skus.length; cursor++) {
          const s = skus[cursor];
          if (s.stock >= minStock && s.warehouse !== notWarehouse) return { ...s, productId: ids[cursor++] };
        }
        throw new Error('out of test SKUs');
      },
      view: (poId: number) => orderStatus(client, C, poId) as Promise<OrderView>,
      waitState: (poId: number, states: string[], timeoutMs = 20_000) =>
        eventually(() => orderStatus(client, C, poId) as Promise<OrderView>, (v) => !!v && states.includes(v.state), timeoutMs, `PO ${poId} in ${states.join('/')}`),
      advance(orderNumber: string, action: Parameters<Sandbox['ingram']['state']['orders']['advance']>[1], line?: string) {
        const r = sandbox.ingram.state.orders.advance(orderNumber, action, line);
        if (typeof r === 'string') throw new Error(`advance ${action}: ${r}`);
      },
      result: (poId: number) => client.workflow.getHandle(workflowIds.order(C, poId)).result() as Promise<OrderView>,
      link: async (poId: number) => (await engine.database.db.select().from(orderLinks).where(and(eq(orderLinks.connectorId, C), eq(orderLinks.purchaseOrderId, poId))))[0],
      log: (poId: number) => engine.database.db.select().from(actionLog).where(eq(actionLog.workflowId, workflowIds.order(C, poId))),
    };
  }

  it('manual: update-with-start returns the validation result, submits once, and tracks to closed', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result, link, log } = await setup();
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 2 }], generalMemo: 'Deliver to reception.' });
    poItems(sandbox, poId)[0].memo = 'Serial numbers to Bob.';
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(outcome).toMatchObject({ accepted: true, state: 'submitted', problems: [], clientPoNumber: `AT-${poId}`, alreadySubmitted: false });
    expect(outcome.distributorOrderIds).toHaveLength(1);
    const [orderNumber] = outcome.distributorOrderIds;
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);

    // Submitting again answers from the workflow: nothing new at the distributor.
    const again = await submitPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(again).toMatchObject({ accepted: true, alreadySubmitted: true, distributorOrderIds: [orderNumber] });

    await waitState(poId, ['processing']);
    // Processing: the fields the bridge owns; nothing in either memo yet (the status and reference say it all).
    expect(po(sandbox, poId)).toMatchObject({ status: 2, externalPONumber: orderNumber, generalMemo: 'Deliver to reception.' });
    expect(poItems(sandbox, poId)[0].memo).toBe('Serial numbers to Bob.');

    advance(orderNumber, 'ship');
    await notifyDistributorEvent(client, C, poId, { distributorOrderId: orderNumber });
    const shipped = await waitState(poId, ['shipped']);
    expect(shipped.lines[0]).toMatchObject({ shipped: 2, ordered: 2 });
    // Shipped: the line's status, quantities and tracking on the line, below what the operator wrote there.
    expect(String(poItems(sandbox, poId)[0].memo)).toMatch(new RegExp(`^Serial numbers to Bob\\.\n\n--- autotask-bridge ---\nIngram Micro ${orderNumber} line 1 \\(${escape(s.sku)}\\): Shipped; shipped 2/2\\.\nTracking: \\S+ \\S+`));
    expect(po(sandbox, poId).generalMemo).toBe('Deliver to reception.');

    // An operator edits the line's memo between two of the bridge's writes: the next write keeps the edit.
    poItems(sandbox, poId)[0].memo = String(poItems(sandbox, poId)[0].memo).replace('Serial numbers to Bob.', 'Serial numbers to Bob (ext. 12).');
    advance(orderNumber, 'deliver');
    advance(orderNumber, 'invoice');
    const final = await result(poId);
    expect(final.state).toBe('closed');
    const record = po(sandbox, poId);
    expect(record.vendorInvoiceNumber).toMatch(/^20-\d{7}$/);
    expect(record.generalMemo).toBe('Deliver to reception.');
    const [item] = poItems(sandbox, poId);
    expect(String(item.memo)).toMatch(/^Serial numbers to Bob \(ext\. 12\)\.\n\n--- autotask-bridge ---\n[^\n]*; shipped 2\/2\.\nTracking: [^\n]*, delivered \d{4}-\d{2}-\d{2}\nInvoice: 20-\d{7}$/);
    expect(String(item.memo).split('--- autotask-bridge ---')).toHaveLength(2);
    // Its arrival date: the delivery date.
    const deliveredOn = /delivered (\d{4}-\d{2}-\d{2})/.exec(String(item.memo))![1];
    expect(item.estimatedArrivalDate).toMatch(new RegExp(`^${deliveredOn}T`));
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    const l = await link(poId);
    expect(l).toMatchObject({ state: 'closed', clientPoNumber: `AT-${poId}`, distributorOrderIds: [orderNumber] });
    expect(l.closedAt).toBeInstanceOf(Date);
    expect((await log(poId)).map((r) => r.kind)).toEqual(expect.arrayContaining(['order.submitted', 'order.status']));
    const history = await client.workflow.getHandle(workflowIds.order(C, poId)).fetchHistory();
    expect(history.events!.length).toBeLessThanOrEqual(200);
  });

  it('manual from the Web UI: a signal starts and submits', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup();
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    await signalSubmitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    const v = await waitState(poId, ['processing']);
    advance(v.distributorOrderIds[0], 'ship');
    expect((await result(poId)).state).toBe('shipped');
  });

  it('rejects an invalid PO with the reasons written back, submits nothing, then submits once fixed', async () => {
    const { sandbox, C, client, taskQueue, sku } = await setup();
    const s = sku();
    const [unmapped] = sandbox.autotask.seed('Products', [{ name: 'Not a distributor product', isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId }]);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 0 }, { productId: unmapped, quantity: 1 }], shipTo: { shipToCity: null } });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.accepted).toBe(false);
    expect(outcome.state).toBe('rejected');
    expect(outcome.problems.join('\n')).toMatch(/ship-to address is incomplete: no city/);
    expect(outcome.problems.join('\n')).toMatch(/quantity 0 is not a positive whole number/);
    expect(outcome.problems.join('\n')).toMatch(new RegExp(`product ${unmapped} is not a`));
    expect(String(po(sandbox, poId).generalMemo)).toMatch(/Not submitted to Ingram Micro: .*incomplete/s);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(0);

    // The operator fixes the PO, writes a line of their own above the note, and retries.
    const rec = po(sandbox, poId);
    rec.shipToCity = 'Redmond';
    rec.generalMemo = `For the new office.\n\n${String(rec.generalMemo)}`;
    const items = poItems(sandbox, poId);
    items[0].quantity = 3;
    items[1].productID = s.productId;
    const retried = await retryPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(['submitted', 'processing']).toContain(retried.state);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    // Submitted: the note has nothing left to say and goes; the operator's line stays.
    await eventually(() => String(po(sandbox, poId).generalMemo), (m) => !m.includes('Not submitted'), 10_000, 'note removed');
    expect(po(sandbox, poId).generalMemo).toBe('For the new office.');
  });

  it('scheduled: the scan starts workflows for unlinked POs of the vendor in a submit status, and a second scan starts nothing', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup({ trackUntil: 'shipped' });
    const s = sku();
    const mine = [1, 2, 3].map(() => createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] }));
    const otherVendor = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], vendorId: sandbox.customerCompanyId });
    const otherStatus = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], status: 2 });
    const noCity = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], shipTo: { shipToCity: null } });
    const first = await client.workflow.execute('orderScanWorkflow', { workflowId: `scan-1-${taskQueue}-${C}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(first).toMatchObject({ found: 4, started: 4, alreadyRunning: 0 });
    for (const id of mine) await waitState(id, ['processing']);
    // The first validations used the scan's copy of the PO and its items (one items query for the page);
    // a retry reads the PO and its items as the operator fixed them.
    await waitState(noCity, ['rejected']);
    const itemQueries = () => sandbox.autotask.sim.counts.get('POST /V1.0/PurchaseOrderItems/query') ?? 0;
    expect(itemQueries()).toBe(1);
    po(sandbox, noCity).shipToCity = 'Redmond';
    expect(['submitted', 'processing']).toContain((await retryPurchaseOrder(client, taskQueue, C, noCity, fast)).state);
    expect(simOrders(sandbox, `AT-${noCity}`)).toHaveLength(1);
    expect(itemQueries()).toBe(2);
    await waitState(noCity, ['processing']);
    const second = await client.workflow.execute('orderScanWorkflow', { workflowId: `scan-2-${taskQueue}-${C}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(second).toMatchObject({ found: 0, started: 0 }); // submitted POs have left the submit status
    for (const id of [...mine, noCity]) {
      expect(simOrders(sandbox, `AT-${id}`)).toHaveLength(1);
      advance(simOrders(sandbox, `AT-${id}`)[0].ingramOrderNumber, 'ship');
      expect((await result(id)).state).toBe('shipped');
    }
    expect([...simOrders(sandbox, `AT-${otherVendor}`), ...simOrders(sandbox, `AT-${otherStatus}`)]).toEqual([]);
  });

  it('custom workflow: a won opportunity becomes one PO with its quote products, submitted once', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup();
    const a = sku();
    const b = sku();
    const location = sandboxInventoryLocation(sandbox); // where the new PO's items are received
    const owner = sandbox.autotask.records('Resources').find((r) => r.email === SANDBOX_AUTOTASK_USER.resourceEmail)!.id;
    const [oppId] = sandbox.autotask.seed('Opportunities', [{ title: 'Laptops for Contoso', companyID: sandbox.customerCompanyId, status: 3, stage: 5, amount: 100, cost: 50, probability: 100, useQuoteTotals: true, ownerResourceID: owner }]);
    const [quoteId] = sandbox.autotask.seed('Quotes', [{ name: 'Q1', opportunityID: oppId, companyID: sandbox.customerCompanyId, primaryQuote: true }]);
    sandbox.autotask.seed('QuoteItems', [
      { quoteID: quoteId, quoteItemType: 1, productID: a.productId, quantity: 2, unitCost: 10, unitPrice: 12, isOptional: false },
      { quoteID: quoteId, quoteItemType: 1, productID: b.productId, quantity: 1, unitCost: 10, unitPrice: 12, isOptional: false },
      { quoteID: quoteId, quoteItemType: 3, quantity: 1, unitPrice: 100, isOptional: false, name: 'Installation' },
      { quoteID: quoteId, quoteItemType: 1, productID: b.productId, quantity: 5, unitCost: 10, isOptional: true },
    ]);
    const first = await orderFromOpportunity(client, taskQueue, C, oppId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(first).toMatchObject({ created: true, items: 2 });
    const again = await orderFromOpportunity(client, taskQueue, C, oppId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(again).toMatchObject({ created: false, purchaseOrderId: first.purchaseOrderId });
    const pos = sandbox.autotask.records('PurchaseOrders').filter((r) => String(r.generalMemo ?? '').includes(`opportunity ${oppId}`));
    expect(pos).toHaveLength(1);
    expect(poItems(sandbox, first.purchaseOrderId).map((i) => [i.productID, i.quantity, i.inventoryLocationID])).toEqual([[a.productId, 2, location], [b.productId, 1, location]]);
    const v = await waitState(first.purchaseOrderId, ['processing', 'submitted']);
    // One distributor order per warehouse the lines ship from.
    expect(v.distributorOrderIds).toHaveLength(a.warehouse === b.warehouse ? 1 : 2);
    expect(simOrders(sandbox, `AT-${first.purchaseOrderId}`).map((o) => o.ingramOrderNumber).sort()).toEqual([...v.distributorOrderIds].sort());
    for (const id of v.distributorOrderIds) advance(id, 'ship');
    expect((await result(first.purchaseOrderId)).state).toBe('shipped');
    expect(po(sandbox, first.purchaseOrderId).externalPONumber).toBe(v.distributorOrderIds.join(', '));
  });

  it('partial shipment then full, receiving shipped quantities into Autotask', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup({ receiveShipped: true });
    const s = sku(4);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 4 }] });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    const [orderNumber] = outcome.distributorOrderIds;
    await waitState(poId, ['processing']);
    advance(orderNumber, 'partial');
    await notifyDistributorEvent(client, C, poId);
    const partial = await waitState(poId, ['partially_shipped']);
    expect(partial.lines[0]).toMatchObject({ shipped: 2, ordered: 4 });
    const [item] = poItems(sandbox, poId);
    await eventually(() => sandbox.autotask.records('PurchaseOrderItemReceiving').filter((r) => r.purchaseOrderItemID === item.id), (r) => r.length === 1, 10_000, 'first receiving');
    expect(po(sandbox, poId).status).toBe(3); // Received Partial
    expect(String(poItems(sandbox, poId)[0].memo)).toMatch(/; shipped 2\/4[^\n]*\nTracking: /);
    advance(orderNumber, 'ship');
    expect((await result(poId)).state).toBe('shipped');
    const receiving = sandbox.autotask.records('PurchaseOrderItemReceiving').filter((r) => r.purchaseOrderItemID === item.id);
    expect(receiving.map((r) => r.quantityNowReceiving)).toEqual([2, 2]);
    expect(po(sandbox, poId).status).toBe(4); // Received Full
    expect(String(poItems(sandbox, poId)[0].memo).match(/Tracking:/g)).toHaveLength(2);
  });

  it('backorder then ship: Back Order status and the ETA on the line, then shipped', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup();
    const s = sku(2);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 2 }] });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    const [orderNumber] = outcome.distributorOrderIds;
    advance(orderNumber, 'backorder');
    await notifyDistributorEvent(client, C, poId);
    const back = await waitState(poId, ['backordered']);
    expect(back.lines[0]).toMatchObject({ backordered: 2, shipped: 0 });
    expect(back.lines[0].eta).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await eventually(() => po(sandbox, poId).status, (st) => st === 6, 10_000, 'Back Order status');
    expect(poItems(sandbox, poId)[0].estimatedArrivalDate).toMatch(new RegExp(`^${back.lines[0].eta}`));
    expect(String(poItems(sandbox, poId)[0].memo)).toContain(`backordered 2 (ETA ${back.lines[0].eta})`);
    advance(orderNumber, 'next');
    expect((await result(poId)).state).toBe('shipped');
    expect(po(sandbox, poId).status).toBe(2);
  });

  it('split order: lines from different warehouses become two distributor orders, tracked per line', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup();
    const a = sku(5);
    const b = sku(5, a.warehouse);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: a.productId, quantity: 1 }, { productId: b.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.distributorOrderIds).toHaveLength(2);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(2);
    await waitState(poId, ['processing']);
    advance(outcome.distributorOrderIds[0], 'ship');
    await notifyDistributorEvent(client, C, poId);
    const half = await waitState(poId, ['partially_shipped']);
    expect(half.lines.map((l) => l.distributorOrderId).sort()).toEqual([...outcome.distributorOrderIds].sort());
    advance(outcome.distributorOrderIds[1], 'ship');
    expect((await result(poId)).state).toBe('shipped');
    expect(po(sandbox, poId).externalPONumber).toBe(outcome.distributorOrderIds.join(', '));
    // Each line with its own distributor order and tracking, in its memo.
    const memos = poItems(sandbox, poId).map((i) => String(i.memo));
    for (const id of outcome.distributorOrderIds) expect(memos.filter((m) => new RegExp(`^--- autotask-bridge ---\\nIngram Micro ${id} line \\d \\(.+\\): .*shipped 1/1\\.\\nTracking: `).test(m))).toHaveLength(1);
  });

  it('cancellation: before submission, refused while processing, accepted on hold', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup();
    const s = sku();
    const early = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    expect(await startOrderWorkflow(client, taskQueue, { connectorId: C, purchaseOrderId: early, trigger: 'manual', ...fast })).toBe('started');
    expect((await cancelPurchaseOrder(client, C, early, 'not needed')).state).toBe('cancelled');
    expect((await result(early)).state).toBe('cancelled');
    expect(simOrders(sandbox, `AT-${early}`)).toHaveLength(0);

    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, fast);
    await waitState(poId, ['processing']);
    await expect(cancelPurchaseOrder(client, C, poId)).rejects.toThrow(WorkflowUpdateFailedError);
    advance(outcome.distributorOrderIds[0], 'hold');
    const cancelled = await cancelPurchaseOrder(client, C, poId, 'customer changed their mind');
    expect(cancelled.state).toBe('cancelled');
    expect((await result(poId)).state).toBe('cancelled');
    expect(po(sandbox, poId).status).toBe(5);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });

  it('exactly once when the submit times out after the distributor created the order', async () => {
    const { sandbox, C, client, taskQueue, sku, advance, result, log } = await setup();
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    sandbox.ingram.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: 'timeout', when: 'after' });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.accepted).toBe(true);
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
    expect(outcome.distributorOrderIds).toEqual([simOrders(sandbox, `AT-${poId}`)[0].ingramOrderNumber]);
    expect((await log(poId)).map((r) => r.kind)).toContain('order.recovered');
    advance(outcome.distributorOrderIds[0], 'ship');
    expect((await result(poId)).state).toBe('shipped');
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });

  it('a permanent failure parks the order in error (reason logged and in Autotask) until the operator retries', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result, log } = await setup();
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    const resourceId = sandbox.autotask.records('Resources').find((r) => r.email === SANDBOX_AUTOTASK_USER.resourceEmail)!.id;
    // The API user loses the right to update PO items: the backorder's ETA on the line is refused.
    sandbox.autotask.addUser({ ...SANDBOX_AUTOTASK_USER, resourceId, permissions: { PurchaseOrderItems: { update: false } } });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    await waitState(poId, ['processing']);
    advance(outcome.distributorOrderIds[0], 'backorder');
    await notifyDistributorEvent(client, C, poId);
    const failed = await waitState(poId, ['error']);
    const reason = `Autotask PATCH PurchaseOrders/${poId}/Items failed (HTTP 403, permission): Permission Denied: the API user does not have update access to PurchaseOrderItems.`;
    expect(failed.lastError).toBe(reason);
    // The state is visible at once; the reason reaches Autotask and the action log right after.
    await eventually(() => String(po(sandbox, poId).generalMemo), (m) => /Error while ordering from Ingram Micro/.test(m), 10_000, 'error memo');
    const errors = (await log(poId)).filter((r) => r.kind === 'order.error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(reason);
    // Another poll fails the same way: the note stays.
    await notifyDistributorEvent(client, C, poId);
    await eventually(() => log(poId), (rows) => rows.filter((r) => r.kind === 'order.error').length === 2, 10_000, 'second error');
    await eventually(() => String(po(sandbox, poId).generalMemo), (m) => /Error while ordering from Ingram Micro/.test(m), 10_000, 'error memo kept');
    sandbox.autotask.addUser({ ...SANDBOX_AUTOTASK_USER, resourceId });
    const retried = await retryPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(retried.state).toBe('backordered');
    expect(String(po(sandbox, poId).generalMemo)).not.toMatch(/Error while ordering/);
    expect(poItems(sandbox, poId)[0].estimatedArrivalDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    advance(retried.distributorOrderIds[0], 'ship');
    expect((await result(poId)).state).toBe('shipped');
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });

  it('Get Order Status sweep restarts tracking of an open order whose workflow is gone', async () => {
    const { sandbox, C, client, taskQueue, sku, waitState, advance, result } = await setup({ trackUntil: 'shipped' });
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, fast);
    await waitState(poId, ['processing']);
    await client.workflow.getHandle(workflowIds.order(C, poId)).terminate('lost');
    const sweep = await client.workflow.execute('orderStatusSweepWorkflow', { workflowId: `sweep-1-${taskQueue}-${C}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(sweep).toMatchObject({ found: 1, started: 1, alreadyRunning: 0 });
    const again = await client.workflow.execute('orderStatusSweepWorkflow', { workflowId: `sweep-2-${taskQueue}-${C}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(again).toMatchObject({ found: 1, started: 0, alreadyRunning: 1 });
    advance(outcome.distributorOrderIds[0], 'ship');
    const v = await result(poId);
    expect(v).toMatchObject({ state: 'shipped', distributorOrderIds: outcome.distributorOrderIds });
    expect(simOrders(sandbox, `AT-${poId}`)).toHaveLength(1);
  });
});
