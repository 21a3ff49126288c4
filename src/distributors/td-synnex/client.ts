// The EC Express XML transport on VendorClient: credentials in the body, XML out and in, 2xx error
// documents and unreadable answers classified, secrets scrubbed. Resources (which document to which
// path) live in adapter.ts.
import type { z } from 'zod';
import { BridgeError } from '../../failures';
import { VendorClient, type VendorResponse } from '../../http/vendor-client';
import { classifyTdSynnex, errorAnswer, errorText, VENDOR } from './errors';
import {
  invoiceResponseSchema, orderResponseSchema, orderStatusResponseSchema, priceResponseSchema,
  type Credential, type InvoiceRequestDocument, type OrderRequestBody, type OrderRequestDocument, type OrderStatusRequestDocument,
  type PriceRequestDocument,
} from './schemas';
import { invoiceOrigin, xmlOrigin, type TdSynnexSecrets, type TdSynnexSettings } from './settings';
import { buildXml, MalformedXmlError, parseXml, root, type XmlDocument } from './xml';

export const PNA_PATH = '/SynnexXML/PriceAvailability';
export const PO_PATH = '/SynnexXML/PO';
export const INVOICE_PATH = '/webservice/invoice/query';
/** The P&A schema version peers send [observed: 2.8]. */
export const PNA_VERSION = '2.8';

interface Call<T extends z.ZodType> {
  http: VendorClient;
  path: string;
  operation: string;
  document: XmlDocument;
  /** Root element of a good answer (lower-case). */
  expect: string;
  /** Element under the root holding the answer (e.g. `orderresponse` under `synnexb2b`), if any. */
  inner?: string;
  schema: T;
  /** Safe to repeat (reads). A PO is not: an unreadable answer leaves its outcome unknown. */
  idempotent: boolean;
}

export class TdSynnexXmlClient {
  readonly http: VendorClient;
  readonly invoiceHttp: VendorClient;

  constructor(readonly settings: TdSynnexSettings, private readonly secrets: TdSynnexSecrets, readonly source = 'td-synnex') {
    const common = {
      vendor: VENDOR,
      source,
      timeoutMs: settings.timeoutMs,
      headers: { 'content-type': 'application/xml; charset=utf-8', accept: 'application/xml, text/xml' },
      classify: (status: number, body: unknown, ctx: Parameters<typeof classifyTdSynnex>[2]) => classifyTdSynnex(status, body, ctx, source),
      secrets: () => [secrets.xmlPassword, secrets.ftpPassword],
    };
    this.http = new VendorClient({ ...common, baseUrl: xmlOrigin(settings) });
    this.invoiceHttp = new VendorClient({ ...common, baseUrl: invoiceOrigin(settings) });
  }

  private get credential(): Credential {
    return { UserID: this.secrets.xmlUsername, Password: this.secrets.xmlPassword };
  }

  /** One P&A call for up to `pnaBatchSize` SKUs (or manufacturer part numbers). */
  async priceAvailability(items: Array<{ sku: string } | { mpn: string }>) {
    const document: PriceRequestDocument = {
      priceRequest: {
        '@_version': PNA_VERSION,
        customerNo: this.settings.customerNumber,
        userName: this.secrets.xmlUsername,
        password: this.secrets.xmlPassword,
        skuList: items.map((item, i) => ({ ...('sku' in item ? { synnexSKU: item.sku } : { mfgPN: item.mpn }), lineNumber: i + 1 })),
      },
    };
    return this.call({
      http: this.http, path: PNA_PATH, operation: `POST ${PNA_PATH}`, document: document as unknown as XmlDocument,
      expect: 'priceresponse', schema: priceResponseSchema, idempotent: true,
    });
  }

  async submitOrder(order: OrderRequestBody) {
    const document: OrderRequestDocument = { SynnexB2B: { Credential: this.credential, OrderRequest: order } };
    return this.call({
      http: this.http, path: PO_PATH, operation: `POST ${PO_PATH} (OrderRequest)`, document: document as unknown as XmlDocument,
      expect: 'synnexb2b', inner: 'orderresponse', schema: orderResponseSchema, idempotent: false,
    });
  }

  /** Status of every line placed under our PO number; `code` "not found" when TD SYNNEX has none. */
  async orderStatus(poNumber: string) {
    const document: OrderStatusRequestDocument = {
      SynnexB2B: { Credential: this.credential, OrderStatusRequest: { CustomerNumber: this.settings.customerNumber, PONumber: poNumber } },
    };
    return this.call({
      http: this.http, path: PO_PATH, operation: `POST ${PO_PATH} (OrderStatusRequest)`, document: document as unknown as XmlDocument,
      expect: 'synnexb2b', inner: 'orderstatusresponse', schema: orderStatusResponseSchema, idempotent: true,
    });
  }

  async invoices(poNumber: string) {
    const document: InvoiceRequestDocument = {
      SynnexB2B: { '@_version': '1.0', Credential: this.credential, InvoiceRequest: { CustomerNumber: this.settings.customerNumber, PONumber: poNumber } },
    };
    return this.call({
      http: this.invoiceHttp, path: INVOICE_PATH, operation: `POST ${INVOICE_PATH}`, document: document as unknown as XmlDocument,
      expect: 'synnexb2b', inner: 'invoiceresponse', schema: invoiceResponseSchema, idempotent: true,
    });
  }

  private async call<T extends z.ZodType>(c: Call<T>): Promise<{ data: z.output<T>; res: VendorResponse<string> }> {
    const res = await c.http.request<string>({
      method: 'POST', path: c.path, operation: c.operation, idempotent: c.idempotent, body: buildXml(c.document),
    });
    const ctx = { operation: c.operation, correlationId: res.correlationId, status: res.status };
    // An answer we cannot read: retry a read; a PO may have been placed, so look it up before anything else.
    const unreadable = (why: string) => new BridgeError(c.idempotent ? 'transient' : 'outcome_unknown',
      `${VENDOR} ${c.operation} returned an unreadable answer (${why})`, { source: this.source, operation: c.operation, status: res.status, correlationId: res.correlationId });
    let doc: XmlDocument;
    try {
      doc = parseXml(res.text ?? '');
    } catch (err) {
      if (err instanceof MalformedXmlError) throw unreadable(`malformed XML: ${err.message}`);
      throw err;
    }
    const top = root(doc);
    const error = errorText(top.content) ?? (c.inner && isObject(top.content[c.inner]) ? errorText(top.content[c.inner] as Record<string, unknown>) : null);
    if (error) {
      const failure = errorAnswer(error, ctx, this.source);
      const clean = c.http.scrub(failure.message);
      throw clean === failure.message ? failure : new BridgeError(failure.kind, clean, { ...failure, details: failure.details.map((d) => c.http.scrub(d)) });
    }
    if (top.name !== c.expect) throw unreadable(`root element <${top.name}>, expected <${c.expect}>`);
    const content = c.inner ? top.content[c.inner] : top.content;
    if (!isObject(content)) throw unreadable(`no <${c.inner}> in the answer`);
    const parsed = c.schema.safeParse(content);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      throw unreadable(where);
    }
    return { data: parsed.data, res };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}
