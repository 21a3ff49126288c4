// The pure parts of the order lifecycle: client PO numbers, validation, status aggregation, write-back diffs.
import type { DistributorOrder, OrderLine } from '../../src/distributors/adapter';
import { clientPoNumber } from '../../src/orders/client-po';
import { orderProgress } from '../../src/orders/status';
import { isOpen, isTerminal } from '../../src/orders/types';
import { validatePurchaseOrder } from '../../src/orders/validate';
import { changedFields, MEMO_MARKER, spliceMemo } from '../../src/orders/write-back';

const CTX = { vendorCompanyId: 7, vendorName: 'Ingram Micro', shipToCountryCode: 'US', acceptBackOrder: true };
const PO = { id: 42, vendorID: 7, purchaseOrderNumber: 'PO-42', shipToName: 'Contoso', shipToAddress1: '1 Way', shipToCity: 'Redmond', shipToState: 'WA', shipToPostalCode: '98052' };
const products = new Map([[100, { distributorSku: 'SKU-A', isActive: true }], [101, { distributorSku: 'SKU-B', isActive: false }]]);

function line(lineNumber: string, sku: string, status: OrderLine['status'], q: Partial<OrderLine['quantities']>, extra: Partial<OrderLine> = {}): OrderLine {
  return {
    lineNumber, distributorLineNumber: '001', distributorSku: sku, mpn: null, description: null, status, vendorStatus: status, unitPrice: 1, backorderEta: null,
    quantities: { ordered: 2, confirmed: 2, backordered: 0, shipped: 0, ...q }, shipments: [], invoiceNumbers: [], ...extra,
  };
}
function order(id: string, status: DistributorOrder['status'], lines: OrderLine[]): DistributorOrder {
  return { distributorOrderId: id, clientPoNumber: 'AT-42', status, vendorStatus: status, createdAt: null, total: null, currency: null, lines, shipments: [], invoiceNumbers: [], raw: null };
}
const LINES = [
  { lineNumber: '1', purchaseOrderItemId: 1, productId: 100, distributorSku: 'SKU-A', quantity: 2 },
  { lineNumber: '2', purchaseOrderItemId: 2, productId: 102, distributorSku: 'SKU-C', quantity: 2 },
];

describe('order logic', () => {
  it('derives the client PO number from the PO id only, within 35 characters', () => {
    expect(clientPoNumber(123)).toBe('AT-123');
    expect(clientPoNumber(123, 'X/Y ')).toBe('XY123');
    expect(clientPoNumber(2_000_000_000, 'ABCDEFGHIJKL').length).toBeLessThanOrEqual(35);
    expect(() => clientPoNumber(0)).toThrow();
  });

  it('validates vendor, ship-to, quantities and product mappings, and maps a valid PO', () => {
    const ok = validatePurchaseOrder(PO, [{ id: 5, productID: 100, quantity: 3 }], products, CTX);
    expect(ok.problems).toEqual([]);
    expect(ok.order).toMatchObject({ lines: [{ lineNumber: '1', distributorSku: 'SKU-A', quantity: 3 }], shipTo: { city: 'Redmond', countryCode: 'US' } });
    const bad = validatePurchaseOrder({ ...PO, vendorID: 8, shipToPostalCode: ' ' }, [{ id: 1, productID: 100, quantity: 1.5 }, { id: 2, productID: 101, quantity: 1 }, { id: 3, productID: 999, quantity: 1 }, { id: 4, quantity: 1 }], products, CTX);
    expect(bad.order).toBeNull();
    expect(bad.problems).toEqual([
      expect.stringMatching(/vendor .* is not Ingram Micro/),
      expect.stringMatching(/incomplete: no postal code/),
      expect.stringMatching(/quantity 1.5 is not a positive whole number/),
      expect.stringMatching(/SKU-B, which is no longer active/),
      expect.stringMatching(/product 999 is not a Ingram Micro product/),
      expect.stringMatching(/has no product/),
    ]);
  });

  it('aggregates split orders, partial shipments, backorders and rejected lines', () => {
    const submitted = [{ lineNumber: '1', accepted: true, distributorOrderId: 'A', reason: null }, { lineNumber: '2', accepted: true, distributorOrderId: 'B', reason: null }];
    const processing = orderProgress(LINES, submitted, [order('A', 'processing', [line('1', 'SKU-A', 'processing', {})]), order('B', 'processing', [line('2', 'SKU-C', 'processing', {})])], ['A', 'B']);
    expect(processing.state).toBe('processing');
    const back = orderProgress(LINES, submitted, [order('A', 'backordered', [line('1', 'SKU-A', 'backordered', { backordered: 2, confirmed: 0 }, { backorderEta: '2026-02-01' })]), order('B', 'processing', [line('2', 'SKU-C', 'processing', {})])], ['A', 'B']);
    expect(back.state).toBe('backordered');
    expect(back.lines[0].eta).toBe('2026-02-01');
    const partial = orderProgress(LINES, submitted, [order('A', 'shipped', [line('1', 'SKU-A', 'shipped', { shipped: 2 })]), order('B', 'processing', [line('2', 'SKU-C', 'processing', {})])], ['A', 'B']);
    expect(partial.state).toBe('partially_shipped');
    expect(partial.lines.map((l) => l.distributorOrderId)).toEqual(['A', 'B']);
    const rejected = orderProgress(LINES, [submitted[0], { lineNumber: '2', accepted: false, distributorOrderId: null, reason: 'Invalid SKU' }], [order('A', 'shipped', [line('1', 'SKU-A', 'shipped', { shipped: 2 })])], ['A']);
    expect(rejected.state).toBe('shipped');
    expect(rejected.lines[1]).toMatchObject({ status: 'rejected', rejectReason: 'Invalid SKU' });
    const cancelled = orderProgress(LINES.slice(0, 1), null, [order('A', 'cancelled', [line('1', 'SKU-A', 'cancelled', {})])], ['A']);
    expect(cancelled.state).toBe('cancelled');
  });

  it('writes only what changed and keeps the user part of a memo', () => {
    expect(changedFields({ status: 2, memo: 'x' }, { status: 2, memo: 'y' })).toEqual({ memo: 'x' });
    const once = spliceMemo('Call before delivery.', 'Shipped.');
    expect(once).toBe(`Call before delivery.\n\n${MEMO_MARKER}\nShipped.`);
    expect(spliceMemo(once, 'Delivered.')).toBe(`Call before delivery.\n\n${MEMO_MARKER}\nDelivered.`);
    expect(spliceMemo(null, 'x'.repeat(100), 60).length).toBeLessThanOrEqual(60);
  });

  it('knows which states are terminal and which need a running workflow', () => {
    expect(isTerminal('shipped', 'shipped')).toBe(true);
    expect(isTerminal('shipped', 'closed')).toBe(false);
    expect(isOpen('error', 'closed')).toBe(true);
    expect(isOpen('rejected', 'closed')).toBe(false);
    expect(isOpen('delivered', 'delivered')).toBe(false);
  });
});
