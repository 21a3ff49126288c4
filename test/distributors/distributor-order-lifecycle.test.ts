// Submit Order and Get Order Status end to end against each distributor (Ingram Micro, TD SYNNEX), the
// same tests for both: real dev server, worker and activities, the sandbox with that distributor
// connected, driven through the controls every distributor simulator offers (DistributorSimControls).
// Ingram's own scenarios (hold and cancel, backorder lines, opportunities) stay in test/orders.
import { and, eq } from 'drizzle-orm';
import { actionLog } from '../../db/schema/action-log';
import { orderLinks } from '../../db/schema/orders';
import { memoryLimiter } from '../../src/autotask/limits';
import { notifyDistributorEvent, orderStatus, retryPurchaseOrder, submitPurchaseOrder } from '../../src/client/orders';
import { integrationKind } from '../../src/integrations/registry';
import type { OrderView } from '../../src/orders/types';
import type { SandboxOptions } from '../../src/sim';
import { workflowIds } from '../../src/workflows/ids';
import { useEngine } from '../helpers/engine';
import { connectOrdersConnector, createPurchaseOrder, eventually, linkProducts, po, poItems } from '../orders/helpers';

const fast = { activityTimeoutMs: 10_000 };
const others = { pax8: false, cloudblue: false } as const;
const DISTRIBUTORS: Array<{ kind: string; sandbox: SandboxOptions }> = [
  { kind: 'ingram', sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 400, seed: 21 }, rateLimit: false, msPerStep: 0 }, tdSynnex: false, ...others, integrations: ['ingram'] } },
  { kind: 'td-synnex', sandbox: { autotask: { hourlyLimit: 100_000_000 }, tdSynnex: { catalog: { skus: 400, seed: 21 } }, ingram: false, ...others, integrations: ['td-synnex'] } },
];

describe.each(DISTRIBUTORS)('order lifecycle with $kind', ({ kind, sandbox: sandboxOptions }) => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });
  let connectors = 0;

  async function setup(orders: Record<string, unknown> = {}) {
    const sandbox = await engine.startSandbox(sandboxOptions);
    const sim = sandbox.simulators.get(kind)!.distributor!;
    const C = `orders-${kind}-${++connectors}`;
    // Short request timeouts: a lost answer is noticed in 5 s (shorter ones fail requests when the machine is busy).
    await connectOrdersConnector(engine.database, sandbox, C, orders, { timeoutMs: 5000 });
    const skus = sim.orderableSkus(60);
    const ids = await linkProducts(engine.database, sandbox, C, skus.map((s) => s.sku));
    let cursor = 0;
    const { client, taskQueue } = engine;
    return {
      sandbox, sim, C, client, taskQueue,
      /** The next SKU with at least `minStock` units in its best warehouse (and not in `notWarehouse`). */
      sku(minStock = 10, notWarehouse?: string) {
        for (; cursor < skus.length; cursor++) {
          const s = skus[cursor];
          if (s.stock >= minStock && s.warehouse !== notWarehouse) return { ...s, productId: ids[cursor++] };
        }
        throw new Error('out of test SKUs');
      },
      waitState: (poId: number, states: string[], timeoutMs = 20_000) =>
        eventually(() => orderStatus(client, C, poId) as Promise<OrderView>, (v) => !!v && states.includes(v.state), timeoutMs, `PO ${poId} in ${states.join('/')}`),
      result: (poId: number) => client.workflow.getHandle(workflowIds.order(C, poId)).result() as Promise<OrderView>,
      link: async (poId: number) => (await engine.database.db.select().from(orderLinks).where(and(eq(orderLinks.connectorId, C), eq(orderLinks.purchaseOrderId, poId))))[0],
      log: (poId: number) => engine.database.db.select().from(actionLog).where(eq(actionLog.workflowId, workflowIds.order(C, poId))),
    };
  }

  it('manual: submits once, writes the order number back, tracks to shipped with tracking and on to closed with the invoice', async () => {
    const { sandbox, sim, C, client, taskQueue, sku, waitState, result, link, log } = await setup();
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 2 }], generalMemo: 'Deliver to reception.' });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(outcome).toMatchObject({ accepted: true, state: 'submitted', problems: [], clientPoNumber: `AT-${poId}`, alreadySubmitted: false });
    expect(outcome.distributorOrderIds).toEqual(sim.ordersFor(`AT-${poId}`));
    expect(outcome.distributorOrderIds).toHaveLength(1);
    const [orderId] = outcome.distributorOrderIds;

    const again = await submitPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(again).toMatchObject({ accepted: true, alreadySubmitted: true, distributorOrderIds: [orderId] });
    expect(sim.submits()).toBe(1);

    sim.confirm(orderId);
    await waitState(poId, ['processing']);
    expect(po(sandbox, poId)).toMatchObject({ status: 2, externalPONumber: orderId, generalMemo: 'Deliver to reception.' });

    sim.ship(orderId);
    await notifyDistributorEvent(client, C, poId, { distributorOrderId: orderId });
    const shipped = await waitState(poId, ['shipped']);
    expect(shipped.lines[0]).toMatchObject({ shipped: 2, ordered: 2 });
    // The line's status, quantities and tracking on the line; the PO memo stays the operator's.
    expect(String(poItems(sandbox, poId)[0].memo)).toMatch(new RegExp(`^--- autotask-bridge ---\\n.* ${orderId} line 1 \\(.+\\): .*; shipped 2/2\\.\\nTracking: \\S+`));
    expect(po(sandbox, poId).generalMemo).toBe('Deliver to reception.');

    sim.close(orderId);
    await notifyDistributorEvent(client, C, poId, { distributorOrderId: orderId });
    expect((await result(poId)).state).toBe('closed');
    expect(po(sandbox, poId).vendorInvoiceNumber).toBeTruthy();
    expect(await link(poId)).toMatchObject({ state: 'closed', clientPoNumber: `AT-${poId}`, distributorOrderIds: [orderId] });
    expect((await log(poId)).map((r) => r.kind)).toEqual(expect.arrayContaining(['order.submitted', 'order.status']));
    expect(sim.submits()).toBe(1);
  });

  it('scheduled: the scan submits each ready PO of the vendor once, and a second scan starts nothing', async () => {
    const { sandbox, sim, C, client, taskQueue, sku, waitState, result } = await setup({ trackUntil: 'shipped' });
    const s = sku();
    const mine = [1, 2, 3].map(() => createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] }));
    const otherVendor = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], vendorId: sandbox.customerCompanyId });
    const notReady = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }], status: 2 });
    const first = await client.workflow.execute('orderScanWorkflow', { workflowId: `scan-1-${C}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(first).toMatchObject({ found: 3, started: 3, alreadyRunning: 0 });
    for (const id of mine) {
      await eventually(() => sim.ordersFor(`AT-${id}`), (ids) => ids.length === 1, 20_000, `PO ${id} placed`);
      sim.confirm(sim.ordersFor(`AT-${id}`)[0]);
      await waitState(id, ['processing']);
    }
    const second = await client.workflow.execute('orderScanWorkflow', { workflowId: `scan-2-${C}`, taskQueue, args: [{ connectorId: C, trigger: 'schedule' }] });
    expect(second.started).toBe(0);
    for (const id of mine) {
      const [orderId] = sim.ordersFor(`AT-${id}`);
      sim.ship(orderId);
      expect((await result(id)).state).toBe('shipped');
    }
    expect(sim.ordersFor(`AT-${otherVendor}`)).toEqual([]);
    expect(sim.ordersFor(`AT-${notReady}`)).toEqual([]);
    expect(sim.submits()).toBe(3);
  });

  it('rejects an invalid PO with the reasons written back and submits nothing, then submits once fixed', async () => {
    const { sandbox, sim, C, client, taskQueue, sku } = await setup();
    const s = sku();
    const [unmapped] = sandbox.autotask.seed('Products', [{ name: 'Not a distributor product', isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId }]);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 0 }, { productId: unmapped, quantity: 1 }], shipTo: { shipToCity: null } });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome).toMatchObject({ accepted: false, state: 'rejected' });
    expect(outcome.problems.join('\n')).toMatch(/ship-to address is incomplete: no city/);
    expect(outcome.problems.join('\n')).toMatch(/quantity 0 is not a positive whole number/);
    expect(String(po(sandbox, poId).generalMemo)).toContain(`Not submitted to ${integrationKind(kind).label}`);
    expect(sim.submits()).toBe(0);

    po(sandbox, poId).shipToCity = 'Redmond';
    const items = poItems(sandbox, poId);
    items[0].quantity = 3;
    items[1].productID = s.productId;
    const retried = await retryPurchaseOrder(client, taskQueue, C, poId, fast);
    expect(['submitted', 'processing']).toContain(retried.state);
    expect(sim.ordersFor(`AT-${poId}`)).toHaveLength(1);
    expect(sim.submits()).toBe(1);
  });

  it('split order: lines stocked in different warehouses become two distributor orders, both tracked to shipped', async () => {
    const { sandbox, sim, C, client, taskQueue, sku, waitState, result } = await setup();
    const a = sku(5);
    const b = sku(5, a.warehouse);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: a.productId, quantity: 1 }, { productId: b.productId, quantity: 1 }] });
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.distributorOrderIds).toHaveLength(2);
    expect([...outcome.distributorOrderIds].sort()).toEqual([...sim.ordersFor(`AT-${poId}`)].sort());
    expect(sim.submits()).toBe(1);
    for (const id of outcome.distributorOrderIds) sim.confirm(id);
    await waitState(poId, ['processing']);
    for (const id of outcome.distributorOrderIds) sim.ship(id);
    await notifyDistributorEvent(client, C, poId);
    const done = await result(poId);
    expect(done.state).toBe('shipped');
    expect(done.lines.map((l) => l.distributorOrderId).sort()).toEqual([...outcome.distributorOrderIds].sort());
    expect(po(sandbox, poId).externalPONumber).toBe(outcome.distributorOrderIds.join(', '));
    // Each line's tracking in its own memo, with the distributor order it ships in.
    const memos = poItems(sandbox, poId).map((i) => String(i.memo));
    for (const id of outcome.distributorOrderIds) expect(memos.filter((m) => m.includes(` ${id} line `) && /\nTracking: \S+/.test(m))).toHaveLength(1);
  });

  it('exactly once when the answer to the submission is lost after the distributor placed the order', async () => {
    const { sandbox, sim, C, client, taskQueue, sku, result, log } = await setup();
    const s = sku();
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: s.productId, quantity: 1 }] });
    sim.loseNextSubmitAnswer();
    const outcome = await submitPurchaseOrder(client, taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome.accepted).toBe(true);
    expect(sim.submits()).toBe(1);
    expect(outcome.distributorOrderIds).toEqual(sim.ordersFor(`AT-${poId}`));
    expect((await log(poId)).map((r) => r.kind)).toContain('order.recovered');
    sim.ship(outcome.distributorOrderIds[0]);
    expect((await result(poId)).state).toBe('shipped');
    expect(sim.submits()).toBe(1);
  });
});
