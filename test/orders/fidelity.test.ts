// Issue 10's order fidelity, end to end on the sandbox: a shipped order whose invoice never comes
// stops being polled after `orders.invoiceWaitDays` (here 2 seconds) and closes with a note; and a
// licence SKU, which Ingram refuses without `endUserInfo`, is ordered with the end user taken from
// the PO's ship-to because Product Sync recorded that its orders need one.
import { and, eq } from 'drizzle-orm';
import { actionLog } from '../../db/schema/action-log';
import { productLinks } from '../../db/schema/catalog';
import { orderLinks } from '../../db/schema/orders';
import { memoryLimiter } from '../../src/autotask/limits';
import { notifyDistributorEvent, orderStatus, submitPurchaseOrder } from '../../src/client/orders';
import type { OrderView } from '../../src/orders/types';
import type { SandboxOptions } from '../../src/sim';
import { workflowIds } from '../../src/workflows/ids';
import { useEngine } from '../helpers/engine';
import { catalogSkus, connectOrdersConnector, createPurchaseOrder, eventually, linkProducts, po, simOrders } from './helpers';

const SANDBOX: SandboxOptions = { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 120, seed: 8 }, rateLimit: false, msPerStep: 0 } };
const fast = { activityTimeoutMs: 10_000 };
const WAIT_SECONDS = 2;

describe('order fidelity', () => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });

  const link = async (connectorId: string, poId: number) =>
    (await engine.database.db.select().from(orderLinks).where(and(eq(orderLinks.connectorId, connectorId), eq(orderLinks.purchaseOrderId, poId))))[0];
  const waitState = (connectorId: string, poId: number, states: string[]) =>
    eventually(() => orderStatus(engine.client, connectorId, poId), (v) => !!v && states.includes(v.state), 20_000, `PO ${poId} in ${states.join('/')}`);

  it('closes a shipped order whose invoice never comes after the invoice wait, with a note, and stops polling', async () => {
    const sandbox = await engine.startSandbox(SANDBOX);
    const C = 'invoice-wait';
    await connectOrdersConnector(engine.database, sandbox, C, { invoiceWaitDays: WAIT_SECONDS / 86_400 });
    const [s] = catalogSkus(sandbox).filter((x) => x.stock >= 5);
    const [productId] = await linkProducts(engine.database, sandbox, C, [s.sku]);
    const poId = createPurchaseOrder(sandbox, { lines: [{ productId, quantity: 1 }] });

    const outcome = await submitPurchaseOrder(engine.client, engine.taskQueue, C, poId, fast);
    expect(outcome.accepted).toBe(true);
    await waitState(C, poId, ['processing']);
    const shipped = sandbox.ingram.state.orders.advance(outcome.distributorOrderIds[0], 'ship');
    if (typeof shipped === 'string') throw new Error(shipped);
    await notifyDistributorEvent(engine.client, C, poId);
    // Shipped first: the wait has only begun.
    await waitState(C, poId, ['shipped']);

    const handle = engine.client.workflow.getHandle(workflowIds.order(C, poId));
    const final = (await handle.result()) as OrderView;
    expect(final.state).toBe('closed');
    const row = await link(C, poId);
    expect(row.state).toBe('closed');
    expect(row.shippedAt).not.toBeNull();
    expect(row.closedAt!.getTime() - row.shippedAt!.getTime()).toBeGreaterThanOrEqual(WAIT_SECONDS * 1000);
    const notes = await engine.database.db.select().from(actionLog).where(and(eq(actionLog.workflowId, handle.workflowId), eq(actionLog.kind, 'order.invoice-wait')));
    expect(notes.map((n) => n.message)).toEqual([`PO ${outcome.purchaseOrderNumber}: shipped, no invoice after ${WAIT_SECONDS} seconds; polling stopped`]);
    expect(String(po(sandbox, poId).generalMemo)).toContain('Closed: shipped, no invoice after 2 seconds; polling stopped.');
    // The distributor never invoiced it, and nothing polls it any more.
    expect(po(sandbox, poId).vendorInvoiceNumber ?? null).toBeNull();
    const polledAt = row.lastPolledAt!.getTime();
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await link(C, poId)).lastPolledAt!.getTime()).toBe(polledAt);
  });

  it('Product Sync records which SKUs need the end user, and such a PO is ordered with the ship-to as end user', async () => {
    const sandbox = await engine.startSandbox(SANDBOX);
    const C = 'end-user';
    await connectOrdersConnector(engine.database, sandbox, C);
    const sync = async (run: string) => {
      const result = await engine.client.workflow.execute('productSyncWorkflow', { workflowId: `sync-${run}-${engine.taskQueue}`, taskQueue: engine.taskQueue, args: [{ connectorId: C }] });
      expect(result).toMatchObject({ status: 'completed' });
    };
    await sync('1');

    const catalog = sandbox.ingram.catalog;
    const digital = new Set<string>();
    for (let i = 0; i < catalog.settings.skus; i++) if (catalog.isPresent(i) && catalog.product(i).digital) digital.add(catalog.product(i).sku);
    const linkRows = () => engine.database.db.select().from(productLinks).where(eq(productLinks.connectorId, C));
    const linked = (await linkRows()).filter((r) => r.autotaskProductId !== null && r.isActive);
    const licences = linked.filter((r) => digital.has(r.distributorSku));
    expect(licences.length).toBeGreaterThan(0);
    expect(linked.filter((r) => r.endUserRequired).map((r) => r.distributorSku).sort()).toEqual(licences.map((r) => r.distributorSku).sort());

    // A link written before the flag existed (false) is corrected by the next run without writing to Autotask.
    const licence = licences[0];
    await engine.database.db.update(productLinks).set({ endUserRequired: false }).where(and(eq(productLinks.connectorId, C), eq(productLinks.distributorSku, licence.distributorSku)));
    await sync('2');
    expect((await linkRows()).find((r) => r.distributorSku === licence.distributorSku)!.endUserRequired).toBe(true);

    const poId = createPurchaseOrder(sandbox, { lines: [{ productId: licence.autotaskProductId!, quantity: 3 }], shipTo: { shipToName: 'Fabrikam Inc' } });
    const outcome = await submitPurchaseOrder(engine.client, engine.taskQueue, C, poId, { ...fast, timing: { trackUntil: 'shipped' } });
    expect(outcome).toMatchObject({ accepted: true, problems: [] });
    const [order] = simOrders(sandbox, `AT-${poId}`);
    expect(order.endUserInfo).toMatchObject({ companyName: 'Fabrikam Inc', city: 'Redmond', state: 'WA', postalCode: '98052', countryCode: 'US' });
    const shipped = sandbox.ingram.state.orders.advance(order.ingramOrderNumber, 'ship');
    if (typeof shipped === 'string') throw new Error(shipped);
    expect(((await engine.client.workflow.getHandle(workflowIds.order(C, poId)).result()) as OrderView).state).toBe('shipped');
  });
});
