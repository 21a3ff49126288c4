// The pure parts of the order lifecycle: client PO numbers, validation, status aggregation, write-back diffs.
import type { DistributorOrder, OrderLine, Shipment } from '../../src/distributors/adapter';
import { INGRAM_CAPABILITIES } from '../../src/distributors/ingram/adapter';
import { normaliseCountry, normaliseState } from '../../src/orders/address';
import { clientPoNumber } from '../../src/orders/client-po';
import { orderProgress } from '../../src/orders/status';
import { isOpen, isTerminal } from '../../src/orders/types';
import { validatePurchaseOrder, type ProductMapping } from '../../src/orders/validate';
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

  it('normalises US/CA state names and country names to codes', () => {
    expect(normaliseState('Washington', 'US')).toBe('WA');
    expect(normaliseState(' new  york ', 'US')).toBe('NY');
    expect(normaliseState('District of Columbia', 'US')).toBe('DC');
    expect(normaliseState('tx', 'US')).toBe('TX');
    expect(normaliseState('Québec', 'CA')).toBe('QC');
    expect(normaliseState('British Columbia', 'CA')).toBe('BC');
    expect(normaliseState('Bavaria', 'DE')).toBe('Bavaria');
    expect(normaliseCountry('United States')).toBe('US');
    expect(normaliseCountry('U.S.A.')).toBe('US');
    expect(normaliseCountry('united kingdom')).toBe('GB');
    expect(normaliseCountry('Deutschland')).toBe('DE');
    expect(normaliseCountry('Canada')).toBe('CA');
    expect(normaliseCountry('ca')).toBe('CA');
    expect(normaliseCountry('Côte d’Ivoire')).toBe('CI');
    expect(normaliseCountry('Atlantis')).toBeNull();
    expect(normaliseCountry('EU')).toBeNull();
  });

  it('normalises the ship-to and rejects what the distributor would refuse, with the reason, sending nothing', () => {
    const ctx = { ...CTX, shipToCountryCode: 'United States', addressRules: INGRAM_CAPABILITIES.orderAddress };
    const ok = validatePurchaseOrder({ ...PO, shipToState: 'Washington' }, [{ id: 5, productID: 100, quantity: 3 }], products, ctx);
    expect(ok.problems).toEqual([]);
    expect(ok.order!.shipTo).toMatchObject({ state: 'WA', countryCode: 'US', companyName: 'Contoso' });
    expect(ok.order!.endUser).toBeUndefined();
    // Autotask allows a 100-character name and a 30-character city; Ingram takes 40 and 25.
    const long = validatePurchaseOrder({ ...PO, shipToName: 'Contoso Pharmaceuticals International Holdings', shipToCity: 'Rancho Santa Margarita Heights' }, [{ id: 5, productID: 100, quantity: 1 }], products, ctx);
    expect(long.order).toBeNull();
    expect(long.problems).toEqual([
      expect.stringMatching(/^The ship-to address: the name "Contoso Pharmaceuticals International Holdings" has 46 characters; Ingram Micro accepts at most 40\.$/),
      expect.stringMatching(/the city "Rancho Santa Margarita Heights" has 30 characters; Ingram Micro accepts at most 25/),
    ]);
    const state = validatePurchaseOrder({ ...PO, shipToState: 'Washingtonia' }, [{ id: 5, productID: 100, quantity: 1 }], products, ctx);
    expect(state.problems).toEqual([expect.stringMatching(/the state "Washingtonia" has 12 characters; Ingram Micro accepts at most 3/)]);
    const country = validatePurchaseOrder(PO, [{ id: 5, productID: 100, quantity: 1 }], products, { ...ctx, shipToCountryCode: 'Atlantis' });
    expect(country.problems).toEqual([expect.stringMatching(/ship-to country "Atlantis" .* is not a country/)]);
  });

  it('takes the end user for a licence from the ship-to company, or rejects with the reason', () => {
    const withLicence = new Map<number, ProductMapping>([...products, [103, { distributorSku: 'LIC-1', isActive: true, endUserRequired: true }]]);
    const ctx = { ...CTX, addressRules: INGRAM_CAPABILITIES.orderAddress };
    const ok = validatePurchaseOrder(PO, [{ id: 5, productID: 100, quantity: 1 }, { id: 6, productID: 103, quantity: 10 }], withLicence, ctx);
    expect(ok.problems).toEqual([]);
    expect(ok.order!.endUser).toEqual({ companyName: 'Contoso', addressLine1: '1 Way', city: 'Redmond', state: 'WA', postalCode: '98052', countryCode: 'US' });
    const noName = validatePurchaseOrder({ ...PO, shipToName: null }, [{ id: 6, productID: 103, quantity: 10 }], withLicence, ctx);
    expect(noName.order).toBeNull();
    expect(noName.problems).toEqual([
      expect.stringMatching(/ship-to address is incomplete: no name/),
      expect.stringMatching(/^Ingram Micro needs the end user for LIC-1, taken from the PO's ship-to, which it would refuse: .*no name/),
    ]);
  });

  it('closes an order whose lines are all shipped and invoiced, whatever the header or line status says', () => {
    const lines = LINES.slice(0, 1);
    const shipment = (invoiceNumber: string | null): Shipment => ({ carrier: 'UPS', carrierCode: 'UP', trackingNumber: '1Z', trackingUrl: null, serials: [], quantity: 2, shippedAt: '2026-01-02', deliveredAt: null, warehouseId: '10', invoiceNumber, lineNumber: '1' });
    const shipped = orderProgress(lines, null, [order('A', 'shipped', [line('1', 'SKU-A', 'shipped', { shipped: 2 }, { shipments: [shipment(null)] })])], ['A']);
    expect(shipped.state).toBe('shipped');
    const invoiced = orderProgress(lines, null, [order('A', 'shipped', [line('1', 'SKU-A', 'shipped', { shipped: 2 }, { shipments: [shipment('20-1234567')], invoiceNumbers: ['20-1234567'] })])], ['A']);
    expect(invoiced.state).toBe('closed');
    expect(invoiced.lines[0]).toMatchObject({ invoiced: true, invoiceNumbers: ['20-1234567'] });
    // Invoiced in part (a second shipment not yet): not closed.
    const part = orderProgress(lines, null, [order('A', 'shipped', [line('1', 'SKU-A', 'shipped', { shipped: 2 }, { shipments: [{ ...shipment('20-1'), quantity: 1 }, { ...shipment(null), quantity: 1 }] })])], ['A']);
    expect(part.state).toBe('shipped');
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
