// EC Express XML routes on the shared SimServer: PriceAvailability, PO (OrderRequest and
// OrderStatusRequest on one endpoint), the invoice query, and the admin API. No OpenAPI contract exists
// for XML: every request is checked against the zod request schemas in ../schemas.ts and what does not
// match is recorded as a violation, like a contract check. Errors are answered the way peers' clients
// expect them: HTTP 200 with `errorResponse` / `errorDetail` [unverified].
import type { SimRequest, SimResponse, SimServer } from '../../../sim/kit/server';
import { b2bRequestSchema, priceRequestSchema } from '../schemas';
import { buildXml, MalformedXmlError, parseXml, root, type XmlDocument } from '../xml';
import { DAY_MS, STOCKED_COLUMNS, type SimCatalog } from './catalog';
import type { OrderBook, SimLine, SimOrder } from './orders';

export interface TdSynnexSimState {
  catalog: SimCatalog;
  orders: OrderBook;
  /** The catalog day the XML answers reflect (the file's day unless rewritten without it). */
  day: number;
  customerNumber: string;
  xmlUser: string;
  xmlPassword: string;
  /**
   * The next OrderRequest is placed but never answered (the client times out). A scripted fault of the kit
   * cannot single it out: order status shares its endpoint.
   */
  loseNextOrderAnswer?: boolean;
}

/** The stocked file columns as XML warehouses: the file spec's US city per column; numbers and ZIP codes invented. */
const WAREHOUSES: Record<number, { number: string; city: string; zipcode: string }> = {
  19: { number: '503', city: 'Richardson', zipcode: '75081' },
  21: { number: '6', city: 'Chicago', zipcode: '60607' },
  23: { number: '7', city: 'Olive Branch', zipcode: '38654' },
  25: { number: '8', city: 'Keasby', zipcode: '08832' },
};

export const xml = (doc: XmlDocument, status = 200): SimResponse => ({ status, body: buildXml(doc), headers: { 'content-type': 'text/xml; charset=utf-8' } });

export function errorDocument(rootName: string, summary: string, detail: string): string {
  return buildXml({ [rootName]: { errorResponse: summary, errorDetail: detail } });
}

export function registerTdSynnexRoutes(server: SimServer, state: () => TdSynnexSimState): void {
  const fail = (rootName: string, summary: string, detail: string): SimResponse => ({ status: 200, body: errorDocument(rootName, summary, detail), headers: { 'content-type': 'text/xml; charset=utf-8' } });

  /** Parses and checks a request; a problem is a violation (our client sent it) and an error answer. */
  const read = (req: SimRequest, rootName: string, schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }) => {
    let doc: XmlDocument;
    try {
      doc = parseXml(req.rawBody);
    } catch (err) {
      const why = err instanceof MalformedXmlError ? err.message : String(err);
      server.reportViolation(`request ${req.method} ${req.path}: not well-formed XML (${why})`);
      return { error: fail(rootName, 'Invalid XML', `The request is not well-formed XML: ${why}`) };
    }
    const checked = schema.safeParse(rootName === 'priceResponse' ? root(doc).content : doc);
    if (!checked.success) {
      const where = (checked.error?.issues ?? []).slice(0, 5).map((i) => `${i.path.map(String).join('.') || 'document'}: ${i.message}`).join('; ');
      server.reportViolation(`request ${req.method} ${req.path}: ${where}`);
      return { error: fail(rootName, 'Invalid request', where) };
    }
    return { doc, data: checked.data };
  };

  server.route('POST', '/SynnexXML/PriceAvailability', (req) => {
    const s = state();
    const parsed = read(req, 'priceResponse', priceRequestSchema);
    if (parsed.error) return parsed.error;
    if (root(parsed.doc).name !== 'pricerequest') return fail('priceResponse', 'Invalid request', 'The root element must be priceRequest');
    const data = priceRequestSchema.parse(root(parsed.doc).content);
    if (data.username !== s.xmlUser || data.password !== s.xmlPassword) return fail('priceResponse', 'Login failed', 'Invalid user name or password');
    if (data.customerno !== s.customerNumber) return fail('priceResponse', 'Not authorized', `Customer number ${data.customerno} is not authorized for this user`);
    const list = data.skulist.map((entry) => {
      const index = entry.synnexsku ? s.catalog.indexOf(entry.synnexsku) : s.catalog.indexOfMpn(entry.mfgpn ?? '');
      const rec = index === null ? null : s.catalog.record(index, s.day);
      if (!rec || rec.bad === 'no-sku') return { synnexSKU: entry.synnexsku, mfgPN: entry.mfgpn, status: 'Not found', lineNumber: entry.linenumber };
      return {
        synnexSKU: rec.sku, mfgPN: rec.mpn, mfgCode: rec.mpn.split('-')[0], status: rec.status === 'D' ? 'Discontinued' : 'Active',
        description: rec.description.slice(0, 200), GlobalProductStatusCode: rec.status === 'D' ? 'Discontinued' : 'Active',
        price: rec.contractPrice.toFixed(2), totalQuantity: String(rec.quantity),
        AvailabilityByWarehouse: STOCKED_COLUMNS.map((col) => ({
          warehouseInfo: { ...WAREHOUSES[col], addr: `${WAREHOUSES[col].city} DC` },
          qty: String(rec.warehouses.find((w) => w.col === col)?.quantity ?? 0),
        })),
        lineNumber: entry.linenumber,
      };
    });
    return xml({ priceResponse: { customerNo: s.customerNumber, userName: data.username, PriceAvailabilityList: list } });
  });

  const po = (req: SimRequest): SimResponse | Promise<SimResponse> => {
    const s = state();
    const parsed = read(req, 'SynnexB2B', b2bRequestSchema);
    if (parsed.error) return parsed.error;
    const { synnexb2b: b2b } = b2bRequestSchema.parse(parsed.doc);
    if (b2b.credential.userid !== s.xmlUser || b2b.credential.password !== s.xmlPassword) return fail('SynnexB2B', 'Login failed', 'Invalid user name or password');
    const customer = b2b.orderrequest?.customernumber ?? b2b.orderstatusrequest?.customernumber ?? b2b.invoicerequest?.customernumber;
    if (customer !== s.customerNumber) return fail('SynnexB2B', 'Not authorized', `Customer number ${customer ?? ''} is not authorized for this user`);
    const now = new Date(s.orders.now).toISOString().slice(0, 19);

    if (b2b.orderrequest) {
      const r = b2b.orderrequest;
      if (r.payment.billto['@_code'] !== s.customerNumber) return fail('SynnexB2B', 'Invalid request', 'BillTo code must be your customer number');
      const outcome = s.orders.create(r);
      if (outcome.kind === 'duplicate') {
        return xml({ SynnexB2B: { OrderResponse: { CustomerNumber: s.customerNumber, PONumber: r.ponumber, Code: 'rejected', Reason: `Duplicate PO number ${r.ponumber}`, ResponseDateTime: now } } });
      }
      if (s.loseNextOrderAnswer) {
        s.loseNextOrderAnswer = false;
        return new Promise<SimResponse>(() => undefined);
      }
      const lines = outcome.kind === 'accepted' ? outcome.order.lines : outcome.lines;
      return xml({
        SynnexB2B: {
          OrderResponse: {
            CustomerNumber: s.customerNumber, PONumber: r.ponumber, Code: outcome.kind === 'accepted' ? 'accepted' : 'rejected',
            Reason: outcome.kind === 'rejected' ? 'All lines were rejected' : undefined, ResponseDateTime: now, ResponseElapsedTime: '0.012s',
            Items: {
              Item: lines.map((l) => ({
                '@_lineNumber': l.lineNumber, SKU: l.sku, OrderQuantity: l.quantity, Code: l.code === 'rejected' ? 'rejected' : 'accepted', Reason: l.reason,
                OrderNumber: l.orderNumber ?? undefined, OrderType: l.orderNumber ? 'SO' : undefined, ShipFromWarehouse: l.warehouse ? warehouseNumber(l) : undefined,
                SynnexInternalReference: l.orderNumber ? 'SALESORDER,A-CIS---SOLINE,A-CIS' : undefined,
              })),
            },
          },
        },
      });
    }

    if (b2b.orderstatusrequest) {
      const order = s.orders.get(b2b.orderstatusrequest.ponumber);
      if (!order) {
        return xml({ SynnexB2B: { OrderStatusResponse: { CustomerNumber: s.customerNumber, PONumber: b2b.orderstatusrequest.ponumber, Code: 'not found', Reason: 'PO number not found', ResponseDateTime: now } } });
      }
      return xml({ SynnexB2B: { OrderStatusResponse: statusDocument(order, s.customerNumber, now) } });
    }
    return fail('SynnexB2B', 'Invalid request', 'Expected OrderRequest or OrderStatusRequest');
  };
  server.route('POST', '/SynnexXML/PO', po);

  server.route('POST', '/webservice/invoice/query', (req) => {
    const s = state();
    const parsed = read(req, 'SynnexB2B', b2bRequestSchema);
    if (parsed.error) return parsed.error;
    const { synnexb2b: b2b } = b2bRequestSchema.parse(parsed.doc);
    if (b2b.credential.userid !== s.xmlUser || b2b.credential.password !== s.xmlPassword) return fail('SynnexB2B', 'Login failed', 'Invalid user name or password');
    const q = b2b.invoicerequest;
    if (!q || q.customernumber !== s.customerNumber) return fail('SynnexB2B', 'Invalid request', 'Expected InvoiceRequest with your customer number');
    const order = q.ponumber ? s.orders.get(q.ponumber) : s.orders.list().find((o) => o.lines.some((l) => l.orderNumber === q.ordernumber));
    const invoiced = (order?.lines ?? []).filter((l) => l.invoiceNumber && (!q.ordernumber || l.orderNumber === q.ordernumber));
    const byInvoice = new Map<string, SimLine[]>();
    for (const l of invoiced) byInvoice.set(l.invoiceNumber!, [...(byInvoice.get(l.invoiceNumber!) ?? []), l]);
    return xml({
      SynnexB2B: {
        InvoiceResponse: {
          CustomerPONumber: order?.po ?? q.ponumber,
          Code: byInvoice.size ? 'found' : 'not found',
          Invoice: [...byInvoice.entries()].map(([number, ls]) => ({
            InvoiceNumber: number, InvoiceDate: new Date(order!.nextAt === Infinity ? s.orders.now : order!.nextAt).toISOString().slice(0, 10),
            OrderNumber: ls[0].orderNumber, ShipDate: new Date(Math.max(...ls.flatMap((l) => l.packages.map((p) => p.shippedAt)))).toISOString().slice(0, 10),
            Tracking: ls.flatMap((l) => l.packages.map((p) => ({ TrackNumber: p.trackingNumber }))),
            Items: { Item: ls.map((l) => ({ '@_lineNumber': l.lineNumber, SKU: l.sku, UnitPrice: l.unitPrice.toFixed(2), ShipQuantity: l.shipped })) },
            Summary: { TotalInvoiceAmount: ls.reduce((n, l) => n + l.unitPrice * l.shipped, 0).toFixed(2) },
          })),
        },
      },
    });
  });
}

function warehouseNumber(l: SimLine): string {
  return WAREHOUSES[Number(l.warehouse)]?.number ?? l.warehouse;
}

function statusDocument(order: SimOrder, customerNumber: string, now: string): Record<string, unknown> {
  return {
    CustomerNumber: customerNumber,
    PONumber: order.po,
    Code: 'accepted',
    PODatetime: new Date(order.createdAt).toISOString().slice(0, 19),
    ResponseDateTime: now,
    Items: {
      Item: order.lines.filter((l) => l.code !== 'rejected').map((l) => ({
        '@_lineNumber': l.lineNumber,
        Code: l.code,
        OrderNumber: l.orderNumber,
        OrderType: 'SO',
        OrderQuantity: l.quantity,
        UnitPrice: l.unitPrice.toFixed(2),
        SKU: l.sku,
        MfgPN: l.mpn,
        ProductName: l.description.slice(0, 60),
        ShipQuantity: l.shipped,
        ShipDatetime: l.packages.length ? new Date(l.packages[l.packages.length - 1].shippedAt).toISOString().slice(0, 19) : undefined,
        ShipFromWarehouse: warehouseNumber(l),
        ShipMethod: order.shipMethod,
        ShipMethodDescription: order.shipMethod === 'FG' ? 'FedEx Ground' : order.shipMethod,
        ETADate: l.eta ? new Date(l.eta).toISOString().slice(0, 10) : undefined,
        Packages: l.packages.length ? {
          Package: l.packages.map((p) => ({ TrackingNumber: p.trackingNumber, Weight: (2.5 * p.quantity).toFixed(1), ShipItemQuantity: p.quantity, SerialNo: p.serials })),
        } : undefined,
      })),
    },
  };
}

export { DAY_MS };
