// TD SYNNEX (US/CA) as a DistributorAdapter: the catalog from the daily price file over FTP (catalog.ts),
// price and availability from that file while it is fresh and from EC Express XML when it is older than
// `maxFileAgeHours`, orders and their status through EC Express XML keyed by our PO number (client.ts).
import { chunks } from '../../concurrency';
import { BridgeError } from '../../failures';
import type {
  AddressRules, DistributorAdapter, DistributorCapabilities, DistributorOrder, OrderInput, PoLookup, PriceAvailability, ProductPage, SubmitOrderResult,
} from '../adapter';
import { PriceFileCatalog } from './catalog';
import { TdSynnexXmlClient } from './client';
import { VENDOR } from './errors';
import {
  buildOrderRequest, notFound, orderId, parseOrderId, pnaFromXml, summary, toOrder, toSubmitResult, type TdSynnexOrderExtras,
} from './mapping';
import type { InvoiceRecord, OrderLineRecord } from './schemas';
import { tdSynnexSecretsSchema, tdSynnexSettingsSchema, type TdSynnexSecrets, type TdSynnexSettings, type TdSynnexSettingsInput } from './settings';

export const KIND = 'td-synnex';

/** Ship-to lines are printed on labels: 35 characters [unverified; peers wrap addresses at 35]. */
export const ADDRESS_RULES: AddressRules = {
  maxLength: { companyName: 35, contact: 35, addressLine1: 35, addressLine2: 35, city: 35, state: 2, postalCode: 10, countryCode: 2 },
  required: ['addressLine1', 'city', 'state', 'postalCode'],
  stateRequiredIn: ['US', 'CA'],
};

export function tdSynnexCapabilities(settings: Pick<TdSynnexSettings, 'pnaBatchSize' | 'poSearchAttempts' | 'poSearchDelayMs'>): DistributorCapabilities {
  return {
    maxPnaBatch: settings.pnaBatchSize,
    // EC Express XML has an end user only for software licences; we send none, so the same rules apply.
    orderAddress: { shipTo: ADDRESS_RULES, endUser: { ...ADDRESS_RULES, required: [] } },
    orderSearch: { attempts: settings.poSearchAttempts, delayMs: settings.poSearchDelayMs },
  };
}

export class TdSynnexAdapter implements DistributorAdapter {
  readonly kind = KIND;
  readonly capabilities: DistributorCapabilities;
  readonly settings: TdSynnexSettings;
  readonly xml: TdSynnexXmlClient;
  readonly catalog: PriceFileCatalog;

  constructor(settings: TdSynnexSettingsInput, secrets: TdSynnexSecrets, readonly source: string = KIND) {
    this.settings = tdSynnexSettingsSchema.parse(settings);
    const s = tdSynnexSecretsSchema.parse(secrets);
    this.capabilities = tdSynnexCapabilities(this.settings);
    this.xml = new TdSynnexXmlClient(this.settings, s, source);
    this.catalog = new PriceFileCatalog(this.settings, s, source);
  }

  // ---- catalog -------------------------------------------------------------------------------

  async *listProducts(cursor?: string | null): AsyncIterable<ProductPage> {
    let next: string | null = cursor ?? null;
    do {
      const page = await this.fetchProductPage(next);
      yield page;
      next = page.nextCursor;
    } while (next);
  }

  fetchProductPage(cursor?: string | null): Promise<ProductPage> {
    return this.catalog.page(cursor);
  }

  /** From the file while it is fresh (records of the pages just read), else — and for SKUs not in them — the XML call. */
  async priceAndAvailability(skus: readonly string[]): Promise<PriceAvailability[]> {
    const unique = [...new Set(skus)];
    const found = new Map<string, PriceAvailability>();
    const fresh = await this.fileIsFresh();
    if (fresh) {
      for (const sku of unique) {
        const p = this.catalog.fromFile(sku);
        if (p) found.set(sku, p);
      }
    }
    const ask = unique.filter((s) => !found.has(s));
    const currency = this.settings.region === 'ca' ? 'CAD' : 'USD';
    for (const batch of chunks(ask, this.settings.pnaBatchSize)) {
      const { data } = await this.xml.priceAvailability(batch.map((sku) => ({ sku })));
      const records = data.priceavailabilitylist ?? [];
      for (const item of records) {
        // Answers carry our line number and the SKU; either places them.
        const sku = item.synnexsku ?? batch[Number(item.linenumber) - 1];
        if (!sku || found.has(sku) || !batch.includes(sku)) continue;
        const pna = pnaFromXml(item, sku, currency, this.settings.availabilityWarehouses);
        const file = this.catalog.fromFile(sku);
        // The XML answer has no MSRP or promotion: the file's, however old, is better than none.
        found.set(sku, file && pna.status !== 'not_found' ? { ...pna, msrp: pna.msrp ?? file.msrp, promo: file.promo } : pna);
      }
    }
    return unique.map((sku) => found.get(sku) ?? notFound(sku));
  }

  private async fileIsFresh(): Promise<boolean> {
    try {
      return (await this.catalog.fileAgeHours()) <= this.settings.maxFileAgeHours;
    } catch (err) {
      // No file to judge by: the XML call answers instead.
      if (err instanceof BridgeError && err.kind !== 'auth') return false;
      throw err;
    }
  }

  // ---- orders --------------------------------------------------------------------------------

  async submitOrder(order: OrderInput & TdSynnexOrderExtras, clientPoNumber: string): Promise<SubmitOrderResult> {
    const body = buildOrderRequest(order, clientPoNumber, this.settings, this.source);
    const { data, res } = await this.xml.submitOrder(body);
    return toSubmitResult(data, body, clientPoNumber, res.text, this.source);
  }

  async findOrderByPo(clientPoNumber: string): Promise<PoLookup | null> {
    const status = await this.status(clientPoNumber);
    if (!status) return null;
    const orders = groups(status.items).map(([orderNumber, items]) => summary(toOrder(clientPoNumber, orderNumber, items, [], status.created, null)));
    return { clientPoNumber, distributorOrderIds: orders.map((o) => o.distributorOrderId), orders };
  }

  async getOrder(distributorOrderId: string): Promise<DistributorOrder | null> {
    const { po, orderNumber } = parseOrderId(distributorOrderId);
    const status = await this.status(po);
    if (!status) return null;
    const items = orderNumber ? status.items.filter((i) => i.ordernumber === orderNumber) : status.items;
    if (!items.length && orderNumber) return null;
    const shipped = items.some((i) => Number(i.shipquantity ?? 0) > 0);
    const invoices = shipped ? await this.invoices(po) : [];
    return toOrder(po, orderNumber, items, invoices, status.created, status.raw);
  }

  async cancelOrder(distributorOrderId: string): Promise<void> {
    throw new BridgeError('state', `${VENDOR} EC Express XML cannot cancel orders: ask TD SYNNEX customer service to cancel ${distributorOrderId}.`, {
      source: this.source, operation: 'cancel order',
    });
  }

  /** Invoices for a PO; an answer saying there are none (or that the service is not enabled) is no invoices. */
  async invoices(po: string): Promise<InvoiceRecord[]> {
    try {
      const { data } = await this.xml.invoices(po);
      return data.invoice ?? [];
    } catch (err) {
      if (err instanceof BridgeError && ['validation', 'not_found', 'permission'].includes(err.kind)) return [];
      throw err;
    }
  }

  /** Closes the price-file transfer, if one is open. */
  close(): void {
    this.catalog.close();
  }

  private async status(po: string): Promise<{ items: OrderLineRecord[]; created: string | null; raw: string } | null> {
    const { data, res } = await this.xml.orderStatus(po);
    if (/not ?found/i.test(data.code ?? '')) return null;
    const items = data.items?.item ?? [];
    if (!items.length && !/accept/i.test(data.code ?? '')) return null;
    return { items, created: data.podatetime ?? null, raw: res.text };
  }
}

/** Status lines by TD SYNNEX sales order number (lines without one yet: under the PO alone). */
function groups(items: OrderLineRecord[]): Array<[string | null, OrderLineRecord[]]> {
  const out = new Map<string | null, OrderLineRecord[]>();
  for (const i of items) {
    const key = i.ordernumber || null;
    out.set(key, [...(out.get(key) ?? []), i]);
  }
  if (!out.size) out.set(null, []);
  return [...out.entries()];
}

export { orderId, parseOrderId };
