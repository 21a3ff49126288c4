import type { CatalogGenerator, SimProduct } from '../../src/distributors/ingram/sim';
import { findOrderByPoWithin } from '../../src/distributors/adapter';
import { DistributorError } from '../../src/distributors/errors';
import { CANCEL, CREATE, DETAILS, SEARCH, useIngramSim } from './helpers';

const SHIP_TO = { companyName: 'Acme', addressLine1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', countryCode: 'US' };

/** A digital SKU (a licence) that can be ordered. */
function digital(g: CatalogGenerator): SimProduct {
  for (const i of g.present()) {
    const p = g.product(i);
    if (p.digital && !p.bad && !p.discontinued && p.cost > 0 && p.cost < 1_000_000) return p;
  }
  throw new Error('no digital SKU');
}

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
      { lines: [{ distributorSku: a.sku, quantity: 2, unitPrice: a.cost }, { distributorSku: b.sku, quantity: 1 }], shipTo: SHIP_TO, notes: 'rack 4' },
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
    expect(err).toMatchObject({ kind: 'validation', status: 400, vendorCode: '/errors/validation-failed' });
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
    const found = await adapter.findOrderByPoWithin('PO-SPLIT');
    expect(found!.distributorOrderIds.sort()).toEqual([...result.distributorOrderIds].sort());
  });

  it('reports a repeated PO number as `conflict` because the PO number has an order, whatever the 400 says', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const first = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-DUP');
    const err = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-DUP').catch((e) => e);
    expect(err).toMatchObject({ kind: 'conflict', retryable: false, status: 400 });
    expect(err.message).toContain(first.distributorOrderIds[0]);
    expect(h.sim.orders.list()).toHaveLength(1);
    // Wording plays no part: a 400 that never says "duplicate" is a conflict when the PO has an order…
    h.sim.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: { status: 400, body: { errors: [{ id: '1', type: '/errors/validation-failed', message: 'Validation failed' }] } } });
    await expect(adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-DUP')).rejects.toMatchObject({ kind: 'conflict' });
    // …and one that does is a plain rejection when it has none.
    h.sim.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: { status: 400, body: { errors: [{ id: '2', type: 'x', message: 'Duplicate customer order number: it already exists.', fields: [{ field: 'customerOrderNumber', message: 'duplicate' }] }] } } });
    await expect(adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-NEW')).rejects.toMatchObject({ kind: 'validation' });
  });

  it('finds a new order by PO number only after the search lag; findOrderByPoWithin bridges it', async () => {
    await h.admin('POST', '/settings', { searchLagMs: 300 });
    try {
      const [a] = twoFromOneWarehouse(h.sim.catalog);
      const adapter = h.adapter({ poSearchAttempts: 6, poSearchDelayMs: 100 });
      const { distributorOrderIds } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-LAG');
      expect(await adapter.findOrderByPo('PO-LAG')).toBeNull();
      const started = Date.now();
      const found = await findOrderByPoWithin(adapter, 'PO-LAG');
      expect(found?.distributorOrderIds).toEqual(distributorOrderIds);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      // Bounded: an order that never shows up ends the look after the attempts.
      const before = h.count(SEARCH);
      expect(await findOrderByPoWithin(adapter, 'PO-NEVER', { attempts: 3, delayMs: 10 })).toBeNull();
      expect(h.count(SEARCH) - before).toBe(3);
    } finally {
      await h.admin('POST', '/settings', { searchLagMs: 250 });
    }
  });

  it('resolves a submit that timed out through findOrderByPo, leaving exactly one order', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    h.sim.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: 'timeout', when: 'after' });
    const adapter = h.adapter({ timeoutMs: 300 });
    const err = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }] }, 'PO-LOST').catch((e) => e);
    expect(err).toMatchObject({ kind: 'outcome_unknown', outcomeUnknown: true });
    expect(h.count(CREATE)).toBe(1); // a POST is never repeated by the transport
    const found = await adapter.findOrderByPoWithin('PO-LOST');
    expect(found).toMatchObject({ clientPoNumber: 'PO-LOST', orders: [expect.objectContaining({ status: 'processing' })] });
    expect(h.sim.orders.list()).toHaveLength(1);
    expect(found!.distributorOrderIds).toEqual([h.sim.orders.list()[0].ingramOrderNumber]);
  });

  it('an unknown order: null from the search (204) and from an empty 200, transient on a 500 (never a 404: not in the spec)', async () => {
    const adapter = h.adapter({ transportRetries: 0 });
    expect(await adapter.findOrderByPo('PO-NEVER')).toBeNull();
    expect(h.count(SEARCH)).toBe(1);
    await expect(adapter.getOrder('20-ZZZZZ')).rejects.toMatchObject({ kind: 'transient', status: 500 });
    await h.admin('POST', '/settings', { unknownOrder: 'empty' });
    try {
      expect(await adapter.getOrder('20-ZZZZZ')).toBeNull();
    } finally {
      await h.admin('POST', '/settings', { unknownOrder: 'server-error' });
    }
  });

  it('checks ship-to and end-user lengths and required fields before sending', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const err = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 1 }], shipTo: { ...SHIP_TO, city: 'Llanfairpwllgwyngyllgogerychwyrndrobwll' }, endUser: { companyName: 'Acme' } }, 'PO-LONG').catch((e) => e);
    expect(err).toMatchObject({ kind: 'validation' });
    expect(err.fieldErrors.map((f: { field: string }) => f.field)).toEqual(['shipToInfo.city', 'endUserInfo.addressLine1', 'endUserInfo.city', 'endUserInfo.postalCode', 'endUserInfo.countryCode']);
    expect(h.count(CREATE)).toBe(0);
  });

  it('the simulator refuses what the spec does not allow in an address (400, Ingram\'s error body)', async () => {
    const [a] = twoFromOneWarehouse(h.sim.catalog);
    // Straight to the transport, past the adapter's own checks.
    const err = await h.adapter().client.request({
      method: 'POST', path: '/resellers/v6/orders', idempotent: false,
      body: { customerOrderNumber: 'PO-SIMLEN', lines: [{ customerLineNumber: '1', ingramPartNumber: a.sku, quantity: 1 }], shipToInfo: { ...SHIP_TO, companyName: 'A'.repeat(41), state: 'Texas' } },
    }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'validation', status: 400, vendorCode: '/errors/validation-failed' });
    expect(err.fieldErrors.map((f: { field: string }) => f.field).sort()).toEqual(['shipToInfo.companyName', 'shipToInfo.state']);
    expect(h.sim.orders.list()).toHaveLength(0);
    // The contract check saw the same request break the spec's maxLength.
    const violations = h.sim.takeViolations();
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/maxLength|must NOT have more than/);
  });

  it('a licence (catalog endUserRequired) needs the end user: refused without, placed with', async () => {
    const d = digital(h.sim.catalog);
    const adapter = h.adapter();
    const pna = (await adapter.priceAndAvailability([d.sku]))[0];
    expect(pna.endUserRequired).toBe(true);
    const refused = await adapter.submitOrder({ lines: [{ distributorSku: d.sku, quantity: 5 }], shipTo: SHIP_TO }, 'PO-LIC-1').catch((e) => e);
    expect(refused).toMatchObject({ kind: 'validation', status: 400 });
    expect(refused.fieldErrors).toEqual([expect.objectContaining({ field: 'endUserInfo', value: d.sku })]);
    const placed = await adapter.submitOrder({ lines: [{ distributorSku: d.sku, quantity: 5 }], shipTo: SHIP_TO, endUser: { ...SHIP_TO, contact: 'Jo Smith' } }, 'PO-LIC-2');
    expect(placed.lines[0]).toMatchObject({ accepted: true, confirmedQuantity: 5 });
    const order = (await adapter.getOrder(placed.distributorOrderIds[0]))!;
    expect((order.raw as { endUserInfo?: { companyName?: string } }).endUserInfo?.companyName).toBe('Acme');
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
    expect(order.shipments[0].deliveredAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
    await h.admin('POST', `/orders/${id}/advance`, {});
    order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('invoiced');
    expect(order.vendorStatus).toBe('Delivered'); // Ingram has no "Invoiced" status: the invoice is a shipment detail
    expect(order.invoiceNumbers).toHaveLength(1);
    expect(order.lines[0].status).toBe('invoiced');
  });

  it('only ever answers the spec\'s order statuses (no "Partially Shipped", no "Invoiced")', async () => {
    const [a, b] = twoFromOneWarehouse(h.sim.catalog);
    const adapter = h.adapter();
    const { distributorOrderIds: [id] } = await adapter.submitOrder({ lines: [{ distributorSku: a.sku, quantity: 4 }, { distributorSku: b.sku, quantity: 2 }] }, 'PO-STATUS');
    const headers = new Set<string>();
    const lines = new Set<string>();
    const look = async () => {
      const o = (await adapter.getOrder(id))!;
      headers.add(o.vendorStatus!);
      for (const l of o.lines) lines.add(l.vendorStatus!);
      const found = await adapter.findOrderByPoWithin('PO-STATUS');
      for (const s of found!.orders) headers.add(s.vendorStatus!);
      return o;
    };
    await look();
    await h.admin('POST', `/orders/${id}/advance`, { action: 'backorder', line: '2' });
    await look();
    await h.admin('POST', `/orders/${id}/advance`, { action: 'partial' });
    expect((await look()).status).toBe('partially_shipped');
    for (let i = 0; i < 4; i++) {
      await h.admin('POST', `/orders/${id}/advance`, {});
      await look();
    }
    expect((await look()).status).toBe('invoiced');
    for (const s of headers) expect(['Shipped', 'Canceled', 'Backordered', 'Processing', 'On Hold', 'Delivered']).toContain(s);
    for (const s of lines) expect(['Backordered', 'In Progress', 'Shipped', 'Delivered', 'Canceled', 'On Hold']).toContain(s);
    expect(headers).toEqual(new Set(['Processing', 'Backordered', 'Shipped', 'Delivered']));
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
    expect(refused).toMatchObject({ kind: 'state', status: 405, vendorCode: '/errors/validation-error', retryable: false });
    await h.admin('POST', `/orders/${id}/advance`, { action: 'hold' });
    expect((await adapter.getOrder(id))!.status).toBe('on_hold');
    await adapter.cancelOrder(id);
    const order = (await adapter.getOrder(id))!;
    expect(order.status).toBe('cancelled');
    expect(order.lines[0].status).toBe('cancelled');
    await expect(adapter.cancelOrder(id)).rejects.toMatchObject({ kind: 'state' });
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
