// TD SYNNEX EC Express XML against the simulator over real HTTP: price and availability, orders,
// order status by our PO number, invoices, TD SYNNEX's error answers, and what never leaks.
import { BridgeError } from '../../src/failures';
import { findOrderByPoWithin } from '../../src/distributors/adapter';
import { TdSynnexAdapter } from '../../src/distributors/td-synnex/adapter';
import { tdSynnexIntegration } from '../../src/distributors/td-synnex/definition';
import type { TdSynnexSettingsInput } from '../../src/distributors/td-synnex/settings';
import { DAY_MS, startTdSynnexSim, type SimRecord, type TdSynnexSim } from '../../src/distributors/td-synnex/sim';
import { NO_FAULTS } from '../../src/sim/kit/server';

const PNA = 'POST /SynnexXML/PriceAvailability';
const PO = 'POST /SynnexXML/PO';
const SHIP_TO = { companyName: 'Acme Corp', contact: 'Pat Lee', addressLine1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', countryCode: 'US' };

describe('TD SYNNEX adapter: EC Express XML', () => {
  let sim: TdSynnexSim;
  const adapters: TdSynnexAdapter[] = [];
  const adapter = (overrides: Partial<TdSynnexSettingsInput> = {}, secrets = sim.secrets) => {
    const a = new TdSynnexAdapter(sim.settings({ timeoutMs: 5_000, poSearchDelayMs: 0, ...overrides }), secrets, 'tds-test');
    adapters.push(a);
    return a;
  };
  const count = (key: string) => sim.server.counts.get(key) ?? 0;
  /** The first orderable record matching `pred` (day 0). */
  const find = (pred: (r: SimRecord) => boolean, skip: string[] = []): SimRecord => {
    for (let i = 0; i < sim.catalog.settings.skus; i++) {
      const r = sim.catalog.record(i, sim.state.day);
      if (!r.bad && !skip.includes(r.sku) && pred(r)) return r;
    }
    throw new Error('no such record');
  };
  const stocked = (min = 10) => (r: SimRecord) => r.status === 'A' && r.warehouses.length === 1 && r.quantity >= min;
  const best = (r: SimRecord) => [...r.warehouses].sort((a, b) => b.quantity - a.quantity)[0]?.col;

  beforeAll(async () => {
    sim = await startTdSynnexSim({ catalog: { skus: 2_000 } });
  });
  afterAll(async () => {
    await sim.stop();
  });
  afterEach(() => {
    for (const a of adapters.splice(0)) a.close();
    sim.server.faults = structuredClone(NO_FAULTS);
    sim.server.counts.clear();
    expect(sim.takeViolations()).toEqual([]);
  });

  describe('price and availability', () => {
    it('reads one SKU (one child, not an array) and several, with warehouses; unknown SKUs are not_found', async () => {
      const a = adapter({ maxFileAgeHours: 0.000001 }); // the file is "old": every answer comes from XML
      const r = find(stocked());
      const [one] = await a.priceAndAvailability([r.sku]);
      expect(one).toMatchObject({ distributorSku: r.sku, status: 'active', cost: r.contractPrice, currency: 'USD', vendorStatus: 'Active' });
      expect(one.availability?.total).toBe(r.quantity);
      expect(one.availability?.warehouses.find((w) => w.quantity > 0)).toMatchObject({ quantity: r.quantity, location: expect.any(String) });

      const disc = find((x) => x.status === 'D');
      const many = await a.priceAndAvailability([r.sku, '9999999', disc.sku, r.sku]);
      expect(many.map((p) => [p.distributorSku, p.status])).toEqual([[r.sku, 'active'], ['9999999', 'not_found'], [disc.sku, 'discontinued']]);
      expect(count(PNA)).toBe(2);
    });

    it('batches to pnaBatchSize', async () => {
      const a = adapter({ maxFileAgeHours: 0.000001, pnaBatchSize: 3 });
      const skus = Array.from({ length: 7 }, (_, i) => sim.catalog.skuOf(i));
      const out = await a.priceAndAvailability(skus);
      expect(out.map((p) => p.distributorSku)).toEqual(skus);
      expect(count(PNA)).toBe(3);
    });

    it('an error answer (wrong password) is auth, and neither message nor JSON carries the password', async () => {
      const wrong = 'Wr0ng&<pass>"word';
      const a = adapter({ maxFileAgeHours: 0.000001 }, { ...sim.secrets, xmlPassword: wrong });
      const err = await a.priceAndAvailability([sim.catalog.skuOf(1)]).catch((e) => e);
      expect(err).toBeInstanceOf(BridgeError);
      expect(err).toMatchObject({ kind: 'auth', source: 'tds-test', operation: PNA });
      expect(err.message).toMatch(/Login failed: Invalid user name or password/);
      const text = `${err.message} ${JSON.stringify(err)} ${String(err.stack)}`;
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(sim.secrets.xmlUsername === wrong ? '' : wrong);
      // The request itself was well-formed: escaping kept the password intact.
      expect(sim.takeViolations()).toEqual([]);
    });

    it('malformed XML in a 2xx answer is transient (retried by the activity), never echoed', async () => {
      const a = adapter({ maxFileAgeHours: 0.000001 });
      sim.server.faults.script.push({ match: PNA, times: 1, action: { status: 200, body: '<priceResponse><PriceAvailabilityList><synnexSKU>1</PriceAvailabilityList>', headers: { 'content-type': 'text/xml' } } });
      const err = await a.priceAndAvailability([sim.catalog.skuOf(1)]).catch((e) => e);
      expect(err).toMatchObject({ kind: 'transient' });
      expect(err.message).toMatch(/unreadable answer \(malformed XML/);
      expect(err.message).not.toContain(sim.secrets.xmlPassword);
    });

    it('a 503 from the gateway is retried at the request', async () => {
      const a = adapter({ maxFileAgeHours: 0.000001 });
      sim.server.faults.script.push({ match: PNA, times: 1, action: { status: 503 } });
      const [p] = await a.priceAndAvailability([sim.catalog.skuOf(1)]);
      expect(p.status).not.toBe('not_found');
      expect(count(PNA)).toBe(2);
    });
  });

  describe('orders', () => {
    it('submits a single-line order (one <Item>, not an array) and finds it by our PO number', async () => {
      const a = adapter();
      const r = find(stocked());
      const result = await a.submitOrder({ lines: [{ distributorSku: r.sku, quantity: 2, unitPrice: r.contractPrice }], shipTo: SHIP_TO }, 'AT-1001');
      expect(result).toMatchObject({ clientPoNumber: 'AT-1001', split: false, partial: false });
      expect(result.distributorOrderIds).toEqual([expect.stringMatching(/^AT-1001#\d+$/)]);
      expect(result.lines).toEqual([expect.objectContaining({ lineNumber: '1', accepted: true, distributorOrderId: result.distributorOrderIds[0], confirmedQuantity: 2 })]);

      const found = await a.findOrderByPo('AT-1001');
      expect(found).toMatchObject({ clientPoNumber: 'AT-1001', distributorOrderIds: result.distributorOrderIds });
      const order = (await a.getOrder(result.distributorOrderIds[0]))!;
      expect(order).toMatchObject({ clientPoNumber: 'AT-1001', status: 'submitted', vendorStatus: 'accepted' });
      expect(order.lines).toHaveLength(1);
      expect(order.lines[0]).toMatchObject({ lineNumber: '1', distributorSku: r.sku, quantities: { ordered: 2, confirmed: 2, backordered: 0, shipped: 0 } });
    });

    it('findOrderByPo for an unknown PO is null (TD SYNNEX answers "not found"); getOrder too', async () => {
      const a = adapter();
      expect(await a.findOrderByPo('AT-NOPE')).toBeNull();
      expect(await findOrderByPoWithin(a, 'AT-NOPE')).toBeNull();
      expect(await a.getOrder('AT-NOPE#123')).toBeNull();
      expect(count(PO)).toBe(1 + 3 + 1); // findOrderByPoWithin looks poSearchAttempts (3) times
    });

    it('escapes & < > " \' in addresses and notes: TD SYNNEX receives them exactly', async () => {
      const a = adapter();
      const r = find(stocked());
      const shipTo = { companyName: `Smith & Sons <"Q">`, contact: `O'Brien "Bob"`, addressLine1: `1 <Main> & 2nd St`, addressLine2: `Suite 'A'`, city: 'Fort Worth', state: 'TX', postalCode: '76177', countryCode: 'US', phoneNumber: '555-0100', email: 'ap&x@example.com' };
      await a.submitOrder({ lines: [{ distributorSku: r.sku, quantity: 1 }], shipTo, notes: `Rack <4> & "door" 'B'`, endCustomerOrderNumber: 'EU<1>&2' }, 'AT-1002');
      const req = sim.orders.get('AT-1002')!.request;
      expect(req.shipment.shipto).toMatchObject({ addressname1: shipTo.companyName, addressname2: shipTo.contact, addressline1: shipTo.addressLine1, addressline2: shipTo.addressLine2 });
      expect(req.shipment.shiptocontact).toMatchObject({ contactname: shipTo.contact, emailaddress: shipTo.email });
      expect(req.comment).toBe(`Rack <4> & "door" 'B'`);
      expect(req.enduserponumber).toBe('EU<1>&2');
      expect(req.backorderflag).toBe('Y');
      expect(req.payment.billto['@_code']).toBe(sim.state.customerNumber);
    });

    it('refuses locally what TD SYNNEX cannot take (no ship-to, a 36-character line, a non-numeric SKU)', async () => {
      const a = adapter();
      const err = await a.submitOrder({ lines: [{ distributorSku: 'ABC', quantity: 0 }], shipTo: { ...SHIP_TO, addressLine1: 'x'.repeat(36) } }, 'AT-1003').catch((e) => e);
      expect(err).toMatchObject({ kind: 'validation' });
      expect(err.fieldErrors.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['lines[0].distributorSku', 'lines[0].quantity', 'shipTo.AddressLine1']));
      expect(await a.submitOrder({ lines: [{ distributorSku: '5000001', quantity: 1 }] }, 'AT-1004').catch((e) => e.kind)).toBe('validation');
      expect(count(PO)).toBe(0);
    });

    it('rejected lines: partial acceptance; all rejected is validation; a reused PO number is conflict', async () => {
      const a = adapter();
      const good = find(stocked());
      const disc = find((r) => r.status === 'D');
      const partial = await a.submitOrder({ lines: [{ distributorSku: good.sku, quantity: 1 }, { lineNumber: '2', distributorSku: disc.sku, quantity: 1 }, { distributorSku: '9999999', quantity: 1 }] }, 'AT-1005').catch((e) => e);
      expect(partial.kind).toBe('validation'); // no ship-to
      const res = await a.submitOrder({ lines: [{ distributorSku: good.sku, quantity: 1 }, { distributorSku: disc.sku, quantity: 1 }, { distributorSku: '9999999', quantity: 1 }], shipTo: SHIP_TO }, 'AT-1005');
      expect(res.partial).toBe(true);
      expect(res.lines.map((l) => [l.lineNumber, l.accepted])).toEqual([['1', true], ['2', false], ['3', false]]);
      expect(res.lines[1].reason).toMatch(/discontinued/);
      expect(res.lines[2].reason).toMatch(/not valid/);

      const all = await a.submitOrder({ lines: [{ distributorSku: disc.sku, quantity: 1 }], shipTo: SHIP_TO }, 'AT-1006').catch((e) => e);
      expect(all).toMatchObject({ kind: 'validation' });
      expect(all.message).toMatch(/rejected PO AT-1006/);
      expect(await a.findOrderByPo('AT-1006')).toBeNull();

      const dup = await a.submitOrder({ lines: [{ distributorSku: good.sku, quantity: 1 }], shipTo: SHIP_TO }, 'AT-1005').catch((e) => e);
      expect(dup).toMatchObject({ kind: 'conflict' });
    });

    it('a lost answer is outcome_unknown; the PO search then finds the order placed', async () => {
      const a = adapter();
      const r = find(stocked());
      sim.server.faults.script.push({ match: PO, times: 1, when: 'after', action: 'reset' });
      const err = await a.submitOrder({ lines: [{ distributorSku: r.sku, quantity: 1 }], shipTo: SHIP_TO }, 'AT-1007').catch((e) => e);
      expect(err).toMatchObject({ kind: 'outcome_unknown' });
      expect(count(PO)).toBe(1); // a PO is never resent by the client
      const found = await findOrderByPoWithin(a, 'AT-1007');
      expect(found?.distributorOrderIds).toHaveLength(1);
    });

    it('progresses on the simulated clock to shipped with tracking and serials, then invoiced', async () => {
      const a = adapter();
      const r = find(stocked(5));
      const res = await a.submitOrder({ lines: [{ distributorSku: r.sku, quantity: 3 }], shipTo: SHIP_TO }, 'AT-1008');
      const id = res.distributorOrderIds[0];
      sim.advanceClock(2 * 3_600_000);
      expect((await a.getOrder(id))!.status).toBe('processing');
      sim.advanceClock(DAY_MS);
      const shipped = (await a.getOrder(id))!;
      expect(shipped.status).toBe('shipped');
      expect(shipped.lines[0].quantities).toEqual({ ordered: 3, confirmed: 3, backordered: 0, shipped: 3 });
      expect(shipped.shipments).toEqual([expect.objectContaining({
        trackingNumber: expect.stringMatching(/^1Z/), carrier: 'FedEx Ground', carrierCode: 'FG', quantity: 3, lineNumber: '1', invoiceNumber: null,
        serials: [expect.stringMatching(/^SN/), expect.stringMatching(/^SN/), expect.stringMatching(/^SN/)],
      })]);
      sim.advanceClock(DAY_MS);
      const invoiced = (await a.getOrder(id))!;
      expect(invoiced.status).toBe('invoiced');
      expect(invoiced.invoiceNumbers).toHaveLength(1);
      expect(invoiced.shipments[0].invoiceNumber).toBe(invoiced.invoiceNumbers[0]);
    });

    it('splits lines from different warehouses into sales orders; a short line ships in part, backorders with an ETA, then ships the rest', async () => {
      const a = adapter();
      const x = find((r) => r.status === 'A' && r.warehouses.length === 1 && r.quantity >= 5);
      const y = find((r) => r.status === 'A' && r.warehouses.length === 1 && r.quantity >= 1 && r.quantity <= 3 && best(r) !== best(x));
      const res = await a.submitOrder({ lines: [{ distributorSku: x.sku, quantity: 2 }, { distributorSku: y.sku, quantity: y.quantity + 2 }], shipTo: SHIP_TO }, 'AT-1009');
      expect(res.split).toBe(true);
      expect(res.distributorOrderIds).toHaveLength(2);
      const lookup = (await a.findOrderByPo('AT-1009'))!;
      expect(lookup.distributorOrderIds.sort()).toEqual([...res.distributorOrderIds].sort());

      sim.advanceClock(DAY_MS + 2 * 3_600_000);
      const [ox, oy] = await Promise.all(res.distributorOrderIds.map((id) => a.getOrder(id)));
      expect(ox!.status).toBe('shipped');
      expect(oy!.status).toBe('partially_shipped');
      expect(oy!.lines[0].quantities).toEqual({ ordered: y.quantity + 2, confirmed: y.quantity + 2, backordered: 2, shipped: y.quantity });
      expect(oy!.lines[0].backorderEta).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      sim.advanceClock(5 * DAY_MS);
      const later = (await a.getOrder(res.distributorOrderIds[1]))!;
      expect(later.status).toBe('shipped');
      expect(later.shipments).toHaveLength(2);
      expect(later.lines[0].quantities.shipped).toBe(y.quantity + 2);
    });

    it('a line with no stock is backordered', async () => {
      const a = adapter();
      const z = find((r) => r.status === 'A' && r.quantity === 0);
      const res = await a.submitOrder({ lines: [{ distributorSku: z.sku, quantity: 1 }], shipTo: SHIP_TO }, 'AT-1010');
      sim.advanceClock(DAY_MS + 2 * 3_600_000);
      const o = (await a.getOrder(res.distributorOrderIds[0]))!;
      expect(o.status).toBe('backordered');
      expect(o.lines[0].quantities.backordered).toBe(1);
      const noBackorders = await a.submitOrder({ lines: [{ distributorSku: z.sku, quantity: 1 }], shipTo: SHIP_TO, acceptBackOrder: false }, 'AT-1011').catch((e) => e);
      expect(noBackorders.kind).toBe('validation');
    });

    it('cancelling is not possible through EC Express XML: state', async () => {
      expect(await adapter().cancelOrder('AT-1#1').catch((e) => e.kind)).toBe('state');
    });
  });

  describe('definition', () => {
    it('creates the adapter and runs its checks: FTP file with its date, an authenticated P&A call', async () => {
      const { customerNumber: _c, ...settings } = sim.settings();
      const parsed = tdSynnexIntegration.settingsSchema.parse({ ...settings, customerNumber: sim.state.customerNumber });
      const a = tdSynnexIntegration.create(parsed, tdSynnexIntegration.secretsSchema.parse(sim.secrets), { source: 'tds-def' });
      adapters.push(a);
      const [ftp, xml] = tdSynnexIntegration.checks;
      expect(await ftp.run(a)).toMatch(/^Price file \/786110\.ap \(\d+ bytes, modified \d{4}-.*\), 0\.\d h old$/);
      expect(await xml.run(a)).toMatch(/^EC Express XML answered for SKU \d+: Active/);
      expect(count(PNA)).toBe(1);
      const bad = tdSynnexIntegration.create(parsed, { ...sim.secrets, ftpPassword: 'nope-nope' }, { source: 'tds-def' });
      const err = await ftp.run(bad).catch((e) => e);
      expect(err).toMatchObject({ kind: 'auth' });
      expect(err.message).not.toContain('nope-nope');
    });
  });
});
