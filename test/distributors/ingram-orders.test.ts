import type { CatalogGenerator, SimProduct } from '../../src/distributors/ingram/sim';
import { DistributorError } from '../../src/distributors/errors';
import { CANCEL, CREATE, DETAILS, SEARCH, useIngramSim } from './helpers';

/** Orderable products whose best-stocked warehouse can serve `qty`, grouped by that warehouse. */
function stocked(g: CatalogGenerator, qty = 5): Map<string, SimProduct[]> {
  const out = new Map<string, SimProduct[]>();
  for (const i of g.present()) {
    const p = g.product(i);
    if (p.bad || p.discontinued || p.digital) continue;
    const best = [...p.warehouses].sort((a, b) => b.quantity - a.quantity)[0];
    if (!best || best.quantity < qty) continue;
    out.set(best.id, [...(out.get(best.id) ?? []), p]);
  }
  return out;
}

function twoFromOneWarehouse(g: CatalogGenerator): [SimProduct, SimProduct] {
  const group = [...stocked(g).values()].find((ps) => ps.length >= 2)!;
  return [group[0], group[1]];
}

describe('Ingram adapter: orders', () => {
  const h = useIngramSim({ catalog: { skus: 2_000 } });

  it('submits an order (201) and reads it back', async () => {
    const [a, b] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const result = await adapter.submitOrder(
      { lines: [{ distributorSku: a.sku, quantity: 2, unitPrice: a.cost }, { distributorSku: b.sku, quantity: 1 }], shipTo: { companyName: 'Acme', city: 'Austin', state: 'TX', postalCode: '78701', countryCode: 'US' }, notes: 'rack 4' },
      'PO-1001',
    );
    expect(result).toMatchObject({ clientPoNumber: 'PO-1001', split: false, partial: false });
    expect(result.distributorOrderIds).toHaveLength(1);
    expect(result.lines).toEqual([
      expect.objectContaining({ lineNumber: '1', distributorSku: a.sku, accepted: true, confirmedQuantity: 2, distributorOrderId: result.distributorOrderIds[0] }),
      expect.objectContaining({ lineNumber: '2', distributorSku: b.sku, accepted: true, confirmedQuantity: 1 }),
    ]);
    const order = (await adapter.getOrder(result.distributorOrderIds[0]))!;
    expect(order).toMatchObject({ clientPoNumber: 'PO-1001', status: 'processing', vendorStatus: 'Processing', currency: 'USD' });
    expect(order.lines[0]).toMatchObject({ lineNumber: '1', status: 'processing', vendorStatus: 'In Progress', quantities: { ordered: 2, confirmed: 2, backordered: 0, shipped: 0 } });
    expect(h.count(CREATE)).toBe(1);
    expect(h.count(DETAILS)).toBe(1);
  });

  it('reports rejected lines with a 207 partial success', async () => {
    const g = h.sim.catalog;
    const [good] = twoFromOneWarehouse(g);
    const disc = g.product(Array.from(g.present()).find((i) => g.product(i).discontinued)!);
    const result = await h.adapter().submitOrder({
      lines: [
        { lineNumber: 'A', distributorSku: good.sku, quantity: 1 },
        { lineNumber: 'B', distributorSku: 'NOPE123', quantity: 1 },
        { lineNumber: 'C', distributorSku: disc.sku, quantity: 3 },
      ],
    }, 'PO-207');
    expect(result.partial).toBe(true);
    expect(result.lines.map((l) => [l.lineNumber, l.accepted, l.reasonCode])).toEqual([['A', true, null], ['B', false, 'IS'], ['C', false, 'DS']]);
    expect(result.lines[2].reason).toMatch(/discontinued/i);
    expect(result.lines[1].quantity).toBe(1);
  });

  it('throws validation with field errors when every line is rejected', async () => {
    const err = await h.adapter().submitOrder({ lines: [{ distributorSku: 'NOPE123', quantity: 1 }] }, 'PO-NONE').catch((e) => e);
    expect(err).toBeInstanceOf(DistributorError);
    expect(err).toMatchObject({ kind: 'validation', status: 400, vendorCode: 'ValidationError' });
    expect(err.fieldErrors[0]).toMatchObject({ value: 'NOPE123' });
    expect(err.correlationId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('validates the order locally before sending', async () => {
    await expect(h.adapter().submitOrder({ lines: [{ lineNumber: 'TOOLONG', distributorSku: 'X', quantity: 0 }] }, 'P'.repeat(36))).rejects.toMatchObject({ kind: 'validation' });
    expect(h.count(CREATE)).toBe(0);
  });

  it('splits lines shipping from different warehouses into separate Ingram orders', async () => {
    const groups = [...stocked(h.sim.catalog).values()];
    const adapter = h.adapter();
    const result = await adapter.submitOrder({ lines: [{ distributorSku: groups[0][0].sku, quantity: 1 }, { distributorSku: groups[1][0].sku, quantity: 1 }] }, 'PO-SPLIT');
    expect(result.split).toBe(true);
    expect(result.distributorOrderIds).toHaveLength(2);
    expect(new Set(result.lines.map((l) => l.distributorOrderId))).toEqual(new Set(result.distributorOrderIds));
    const found = await adapter.findOrderByPo('PO-SPLIT');
    expect(found!.distributorOrderIds.sort()).toEqual([...result.distributorOrderIds].sort());
  });

  it('rejects a duplicate PO number as `duplicate`', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-DUP');
    const err = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-DUP').catch((e) => e);
    expect(err).toMatchObject({ kind: 'duplicate', retryable: false, status: 400 });
    expect(h.sim.orders.list()).toHaveLength(1);
  });

  it('resolves a submit that timed out through findOrderByPo, leaving exactly one order', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    h.sim.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: 'timeout', when: 'after' });
    const adapter = h.adapter({ timeoutMs: 300 });
    const err = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-LOST').catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(h.count(CREATE)).toBe(1); // a POST is never repeated by the transport
    const found = await adapter.findOrderByPo('PO-LOST');
    expect(found).toMatchObject({ clientPoNumber: 'PO-LOST', orders: [expect.objectContaining({ status: 'processing' })] });
    expect(h.sim.orders.list()).toHaveLength(1);
    expect(found!.distributorOrderIds).toEqual([h.sim.orders.list()[0].ingramOrderNumber]);
  });

  it('returns null for an unknown PO or order', async () => {
    const adapter = h.adapter();
    expect(await adapter.findOrderByPo('PO-NEVER')).toBeNull();
    expect(await adapter.getOrder('20-ZZZZZ')).toBeNull();
    expect(h.count(SEARCH)).toBe(1);
  });

  it('follows the lifecycle: processing → shipped → delivered → invoiced', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const { distributorOrderIds: [id] } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 3 }] }, 'PO-LIFE');
    await h.admin('POST', `/orders/${id}/advance`, {});
    let order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('shipped');
    expect(order.lines[0].quantities.shipped).toBe(3);
    const [s] = order.shipments;
    expect(s.carrier).toMatch(/UPS|FedEx/);
    expect(s.trackingNumber).toBeTruthy();
    expect(s.trackingUrl).toContain(s.trackingNumber!);
    expect(s.serials).toHaveLength(3);
    expect(s.shippedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await h.admin('POST', `/orders/${id}/advance`, {});
    order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('delivered');
    expect(order.shipments[0].deliveredAt).toBeTruthy();
    await h.admin('POST', `/orders/${id}/advance`, {});
    order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('invoiced');
    expect(order.invoiceNumbers).toHaveLength(1);
    expect(order.lines[0].status).toBe('invoiced');
  });

  it('backorders a line, ships the rest, then the backorder', async () => {
    const [a, b] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const { distributorOrderIds: [id] } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }, { distributorSku: b.sku, quantity: 4 }] }, 'PO-BACK');
    await h.admin('POST', `/orders/${id}/advance`, { action: 'backorder', line: '2' });
    let order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('backordered');
    expect(order.lines[1]).toMatchObject({ status: 'backordered', quantities: { ordered: 4, confirmed: 0, backordered: 4, shipped: 0 } });
    expect(order.lines[1].backorderEta).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await h.admin('POST', `/orders/${id}/advance`, { action: 'next' });
    order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('partially_shipped');
    expect(order.lines.map((l) => l.status)).toEqual(['shipped', 'backordered']);
    await h.admin('POST', `/orders/${id}/advance`, { action: 'next' });
    order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('shipped');
    expect(order.lines[1].quantities).toEqual({ ordered: 4, confirmed: 4, backordered: 0, shipped: 4 });
  });

  it('ships part of a line (partial shipment)', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const { distributorOrderIds: [id] } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 4 }] }, 'PO-PART');
    await h.admin('POST', `/orders/${id}/advance`, { action: 'partial' });
    const order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('partially_shipped');
    expect(order.lines[0]).toMatchObject({ status: 'partially_shipped', quantities: { ordered: 4, shipped: 2 } });
  });

  it('cancels only while the order is on hold', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const { distributorOrderIds: [id] } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-CANCEL');
    const refused = await adapter.cancelOrder(id).catch((e) => e);
    expect(refused).toMatchObject({ kind: 'permanent', status: 400, vendorCode: 'OrderCancelError' });
    await h.admin('POST', `/orders/${id}/advance`, { action: 'hold' });
    expect((await adapter.getOrder(id))!.status).toBe('on_hold');
    await adapter.cancelOrder(id);
    const order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('cancelled');
    expect(order.lines[0].status).toBe('cancelled');
    await expect(adapter.cancelOrder(id)).rejects.toMatchObject({ kind: 'permanent' });
    await expect(adapter.cancelOrder('20-ZZZZZ')).rejects.toMatchObject({ kind: 'not_found' });
    expect(h.count(CANCEL)).toBe(4);
  });

  it('advances on the clock when msPerStep is set', async () => {
    await h.admin('POST', '/settings', { msPerStep: 40 });
    try {
      const [a] = twoFromOneWarehouse(h.sim.catalog);
      const adapter = h.adapter();
      const { distributorOrderIds: [id] } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-CLOCK');
      await new Promise((r) => setTimeout(r, 200));
      expect((await adapter.getOrder(id))!.status).toBe('invoiced');
    } finally {
      await h.admin('POST', '/settings', { msPerStep: 0 });
    }
  });
});
