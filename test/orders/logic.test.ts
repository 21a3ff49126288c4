// The pure parts of the order lifecycle: client PO numbers, validation, status aggregation, write-back diffs.
import type { DistributorOrder, OrderLine, Shipment } from '../../src/distributors/adapter';
import { INGRAM_CAPABILITIES } from '../../src/distributors/ingram/adapter';
import { normaliseCountry, normaliseState } from '../../src/orders/address';
import { clientPoNumber } from '../../src/orders/client-po';
import { orderProgress } from '../../src/orders/status';
import { isOpen, isTerminal } from '../../src/orders/types';
import { validatePurchaseOrder, type ProductMapping } from '../../src/orders/validate';
import type { WrittenSnapshot } from '../../db/schema/orders';
import type { LineProgress, OrderProgress } from '../../src/orders/status';
import { changedFields, desiredWrites, emptySnapshot, MEMO_KEY, MEMO_MARKER, spliceMemo } from '../../src/orders/write-back';

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

  describe('what the write-back writes (owned fields without a read; each line\'s details on the line)', () => {
    const WB = { distributorName: 'Ingram Micro', clientPoNumber: 'AT-42', distributorOrderIds: ['20-AAAAA'], statusValue: 2 };
    const base = (n: number, extra: Partial<LineProgress> = {}): LineProgress => ({
      lineNumber: String(n), purchaseOrderItemId: 100 + n, distributorSku: `SKU-${n}`, distributorOrderId: '20-AAAAA', status: 'processing', vendorStatus: 'In Progress',
      ordered: 2, shipped: 0, backordered: 0, eta: null, tracking: [], invoiceNumbers: [], invoiced: false, rejectReason: null, ...extra,
    });
    const progress = (state: OrderProgress['state'], lines: LineProgress[], invoiceNumbers: string[] = []): OrderProgress => ({ state, vendorStatus: `20-AAAAA: ${state}`, lines, invoiceNumbers, error: null });
    const shippedLine = (n: number, extra: Partial<LineProgress> = {}) =>
      base(n, { status: 'shipped', vendorStatus: 'Shipped', shipped: 2, tracking: [{ carrier: 'UPS', trackingNumber: `1Z${n}`, quantity: 2, shippedAt: '2026-03-02', deliveredAt: null }], ...extra });
    /** Applies writes to a snapshot as the activity does. */
    const applied = (written: WrittenSnapshot, w: ReturnType<typeof desiredWrites>) => {
      const next = structuredClone(written);
      Object.assign(next.po, changedFields(w.po, next.po));
      for (const [id, d] of Object.entries(w.items)) next.items[id] = { ...next.items[id], ...changedFields(d, next.items[id]) };
      return next;
    };

    it('while the lines are just being processed: status and reference only, no memo anywhere', () => {
      expect(desiredWrites(progress('processing', [base(1), base(2)]), WB)).toEqual({ po: { status: 2, externalPONumber: '20-AAAAA' }, items: {} });
    });

    it('a line rejected, held or cancelled gets its own section; a refused line is also named in the PO memo', () => {
      const w = desiredWrites(progress('processing', [
        base(1), base(2, { status: 'rejected', vendorStatus: null, distributorOrderId: null, rejectReason: 'Invalid SKU' }),
        base(3, { status: 'cancelled', vendorStatus: 'Canceled' }), base(4, { status: 'on_hold', vendorStatus: 'On Hold' }),
      ]), WB);
      expect(w.po).toEqual({ status: 2, externalPONumber: '20-AAAAA', [MEMO_KEY]: 'Ingram Micro order 20-AAAAA for PO AT-42: Processing.\nLine 2 (SKU-2): rejected by Ingram Micro: Invalid SKU' });
      expect(desiredWrites(progress('processing', [base(1), base(3, { status: 'cancelled', vendorStatus: 'Canceled' })]), WB).po).toEqual({ status: 2, externalPONumber: '20-AAAAA' });
      expect(w.items).toEqual({
        '102': { [MEMO_KEY]: 'Rejected by Ingram Micro: Invalid SKU' },
        '103': { [MEMO_KEY]: 'Ingram Micro 20-AAAAA line 3 (SKU-3): Canceled; shipped 0/2.' },
        '104': { [MEMO_KEY]: 'Ingram Micro 20-AAAAA line 4 (SKU-4): On Hold; shipped 0/2.' },
      });
    });

    it('shipped: each line\'s status, quantities, tracking and invoice in its own memo; invoices on the PO', () => {
      const w = desiredWrites(progress('shipped', [shippedLine(1, { invoiceNumbers: ['20-111'] }), shippedLine(2, { invoiceNumbers: ['20-222'] })], ['20-111', '20-222']), WB);
      expect(w.po).toEqual({ status: 2, externalPONumber: '20-AAAAA', vendorInvoiceNumber: '20-111', additionalVendorInvoiceNumbers: '20-222' });
      expect(w.items['101']).toEqual({ [MEMO_KEY]: 'Ingram Micro 20-AAAAA line 1 (SKU-1): Shipped; shipped 2/2.\nTracking: UPS 1Z1 ×2, shipped 2026-03-02\nInvoice: 20-111' });
      expect(w.items['102'][MEMO_KEY]).toMatch(/^Ingram Micro 20-AAAAA line 2 \(SKU-2\): Shipped; shipped 2\/2\.\nTracking: UPS 1Z2 ×2/);
    });

    it('the arrival date on every line whose ETA or delivery date changed, with its section', () => {
      const back = desiredWrites(progress('backordered', [base(1, { status: 'backordered', vendorStatus: 'Backordered', backordered: 2, eta: '2026-04-01' }), base(2)]), WB);
      expect(back.items).toEqual({ '101': { [MEMO_KEY]: 'Ingram Micro 20-AAAAA line 1 (SKU-1): Backordered; shipped 0/2, backordered 2 (ETA 2026-04-01).', estimatedArrivalDate: '2026-04-01T00:00:00Z' } });
      const written = applied(emptySnapshot(), back);
      const delivered = (n: number) => shippedLine(n, { status: 'delivered', vendorStatus: 'Delivered', eta: '2026-04-09', tracking: [{ carrier: 'UPS', trackingNumber: `1Z${n}`, quantity: 2, shippedAt: '2026-04-07', deliveredAt: '2026-04-09' }] });
      const after = desiredWrites(progress('delivered', [delivered(1), delivered(2)]), WB, written);
      for (const id of ['101', '102']) {
        expect(changedFields(after.items[id], written.items[id])).toEqual({ [MEMO_KEY]: expect.stringContaining('Tracking: UPS 1Z'), estimatedArrivalDate: '2026-04-09T00:00:00Z' });
        expect(after.items[id][MEMO_KEY]).toContain('shipped 2026-04-07, delivered 2026-04-09');
      }
      // Nothing new: nothing to write.
      const again = applied(written, after);
      const same = desiredWrites(progress('delivered', [delivered(1), delivered(2)]), WB, again);
      expect(changedFields(same.po, again.po)).toEqual({});
      for (const [id, d] of Object.entries(same.items)) expect(changedFields(d, again.items[id])).toEqual({});
    });

    it('the PO memo only for what is not on the lines: a whole-order note, references too long for the field', () => {
      const noted = desiredWrites(progress('closed', [shippedLine(1)]), { ...WB, note: 'Closed: shipped, no invoice after 30 days; polling stopped' });
      expect(noted.po[MEMO_KEY]).toBe('Ingram Micro order 20-AAAAA for PO AT-42: Closed: shipped, no invoice after 30 days; polling stopped.');
      const ids = Array.from({ length: 6 }, (_, i) => `20-ABCD${i}X`);
      const many = desiredWrites(progress('processing', [base(1)]), { ...WB, distributorOrderIds: ids });
      expect(String(many.po.externalPONumber)).toHaveLength(50);
      expect(many.po[MEMO_KEY]).toBe(`Ingram Micro orders ${ids.join(', ')} for PO AT-42: Processing.`);
    });

    it('an order written by the previous version keeps its line sections up to date; its PO section is emptied once', () => {
      // The previous version gave every line a section from submission on, and the PO a state summary.
      const written: WrittenSnapshot = { ...emptySnapshot(), po: { status: 2, externalPONumber: '20-AAAAA', [MEMO_KEY]: 'Ingram Micro order 20-AAAAA for PO AT-42: Processing.' },
        items: { '101': { [MEMO_KEY]: 'Ingram Micro 20-AAAAA line 1 (SKU-1): In Progress; shipped 0/2.' }, '102': { [MEMO_KEY]: 'Ingram Micro 20-AAAAA line 2 (SKU-2): In Progress; shipped 0/2.' } } };
      const still = desiredWrites(progress('processing', [base(1), base(2)]), WB, written);
      expect(changedFields(still.po, written.po)).toEqual({ [MEMO_KEY]: '' });
      for (const id of ['101', '102']) expect(changedFields(still.items[id], written.items[id])).toEqual({});
      const cleared = applied(written, still);
      const next = desiredWrites(progress('partially_shipped', [shippedLine(1), base(2)]), WB, cleared);
      expect(next.po).toEqual({ status: 2, externalPONumber: '20-AAAAA' });
      expect(changedFields(next.items['101'], cleared.items['101'])).toEqual({ [MEMO_KEY]: expect.stringMatching(/Shipped; shipped 2\/2\.\nTracking: UPS 1Z1/) });
      expect(changedFields(next.items['102'], cleared.items['102'])).toEqual({});
      // Emptying a section keeps what the operator wrote.
      expect(spliceMemo(`Ask for Bob.\n\n${MEMO_MARKER}\nIngram Micro order 20-AAAAA for PO AT-42: Processing.`, '')).toBe('Ask for Bob.');
    });
  });

  it('knows which states are terminal and which need a running workflow', () => {
    expect(isTerminal('shipped', 'shipped')).toBe(true);
    expect(isTerminal('shipped', 'closed')).toBe(false);
    expect(isOpen('error', 'closed')).toBe(true);
    expect(isOpen('rejected', 'closed')).toBe(false);
    expect(isOpen('delivered', 'delivered')).toBe(false);
  });
});
