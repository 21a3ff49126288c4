// Ingram Micro Reseller v6 as a DistributorAdapter: each method says path, query and body, then
// hands the answer to catalog-mapping.ts / order-mapping.ts. Transport, auth and errors: client.ts.
import { chunks } from '../../concurrency';
import type { z } from 'zod';
import {
  findOrderByPoWithin, type AddressRules, type DistributorAdapter, type DistributorCapabilities, type DistributorOrder, type OrderInput,
  type OrderSummary, type PoLookup, type PriceAvailability, type Product, type ProductPage, type SearchRetry, type SubmitOrderResult,
} from '../adapter';
import { DistributorError, isDistributorError } from '../errors';
import type { TokenProvider } from '../token-provider';
import { notFound, toPriceAvailability, toProduct } from './catalog-mapping';
import { IngramClient, type IngramResponse } from './client';
import { DISTRIBUTOR } from './errors';
import { buildOrderRequest, headerStatus, toOrder, toSubmitResult } from './order-mapping';
import {
  catalogRecordSchema, catalogSearchSchema, INGRAM_ADDRESS_MAX, INGRAM_ADDRESS_REQUIRED, INGRAM_STATE_REQUIRED_COUNTRIES, orderCreateResponseSchema,
  orderDetailSchema, orderSearchSchema, pnaResponseSchema, type PnaRequest,
} from './schemas';
import { parseIngramSettings, type IngramSettingsInput } from './settings';

const ADDRESS_RULES: AddressRules = {
  maxLength: Object.fromEntries(Object.entries(INGRAM_ADDRESS_MAX).filter(([, n]) => n !== undefined)),
  required: [...INGRAM_ADDRESS_REQUIRED],
  stateRequiredIn: [...INGRAM_STATE_REQUIRED_COUNTRIES],
};

export const INGRAM_CAPABILITIES: DistributorCapabilities = {
  maxPnaBatch: 50,
  orderAddress: { shipTo: ADDRESS_RULES, endUser: ADDRESS_RULES },
  orderSearch: { attempts: 4, delayMs: 2_000 },
};

export class IngramAdapter implements DistributorAdapter {
  readonly kind = DISTRIBUTOR;
  readonly capabilities: DistributorCapabilities;
  readonly client: IngramClient;

  constructor(settings: IngramSettingsInput, options: { tokens?: TokenProvider; source?: string } = {}) {
    const parsed = parseIngramSettings(settings);
    this.client = new IngramClient(parsed, options);
    this.capabilities = {
      ...INGRAM_CAPABILITIES,
      maxPnaBatch: parsed.pnaBatchSize,
      orderSearch: { attempts: parsed.poSearchAttempts, delayMs: parsed.poSearchDelayMs },
    };
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

  async fetchProductPage(cursor?: string | null): Promise<ProductPage> {
    const { page, size, stride } = parseCursor(cursor, this.client.settings.pageSize);
    const res = await this.client.request({
      method: 'GET', path: '/resellers/v6/catalog', idempotent: true,
      searchParams: { pageNumber: page, pageSize: size },
    });
    const data = read(catalogSearchSchema, res, 'GET /resellers/v6/catalog', this.client.source);
    const items: Product[] = [];
    const invalid: ProductPage['invalid'] = [];
    for (const raw of data.catalog ?? []) {
      const record = catalogRecordSchema.safeParse(raw);
      if (record.success) items.push(toProduct(record.data));
      else invalid.push({ reason: record.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; '), raw });
    }
    const received = (data.catalog ?? []).length;
    const total = data.recordsFound ?? undefined;
    // A lane's next page is `stride` ahead; without a total, `nextPage` only says page + 1 exists, and
    // a page past the end comes back empty (the simulator's answer; unverified against Ingram), which ends the lane.
    const more = received > 0 && (total !== undefined ? (page + stride - 1) * size < total : Boolean(data.nextPage));
    return { items, invalid, cursor: cursor ?? null, nextCursor: more ? formatCursor(page + stride, size, stride) : null, totalRecords: total };
  }

  laneCursor(lane: number, lanes: number, from?: string | null): string {
    const { page: first, size } = parseCursor(from, this.client.settings.pageSize);
    // The lane's first page at or after `first`: pages are dealt to lanes by (page - 1) mod lanes.
    const page = first + ((((lane - (first - 1)) % lanes) + lanes) % lanes);
    return formatCursor(page, size, lanes);
  }

  laneResume(cursors: ReadonlyArray<string | null>): string | null {
    const open = cursors.filter((c): c is string => c !== null).map((c) => parseCursor(c, this.client.settings.pageSize));
    if (!open.length) return null;
    // Each lane has done every one of its pages below its next one, so every page below the lowest is done.
    const low = open.reduce((a, b) => (b.page < a.page ? b : a));
    return formatCursor(low.page, low.size);
  }

  async priceAndAvailability(skus: readonly string[]): Promise<PriceAvailability[]> {
    const unique = [...new Set(skus)];
    const found = new Map<string, PriceAvailability>();
    for (const chunk of chunks(unique, this.client.settings.pnaBatchSize)) {
      const body: PnaRequest = { showAvailableDiscounts: true, products: chunk.map((ingramPartNumber) => ({ ingramPartNumber })) };
      const res = await this.client.request({
        method: 'POST', path: '/resellers/v6/catalog/priceandavailability', idempotent: true, body,
        searchParams: { includeAvailability: true, includePricing: true },
      });
      for (const record of read(pnaResponseSchema, res, 'POST /resellers/v6/catalog/priceandavailability', this.client.source)) {
        const sku = record.ingramPartNumber ?? (record.index != null ? chunk[record.index] : undefined);
        if (sku && !found.has(sku.toUpperCase())) found.set(sku.toUpperCase(), toPriceAvailability(sku, record));
      }
    }
    return unique.map((sku) => found.get(sku.toUpperCase()) ?? notFound(sku));
  }

  // ---- orders --------------------------------------------------------------------------------

  async submitOrder(order: OrderInput, clientPoNumber: string): Promise<SubmitOrderResult> {
    const body = buildOrderRequest(order, clientPoNumber, this.client.settings.acceptBackOrder);
    let res: IngramResponse;
    try {
      res = await this.client.request({ method: 'POST', path: '/resellers/v6/orders', idempotent: false, body });
    } catch (err) {
      throw await this.duplicateOr(err, clientPoNumber);
    }
    let data;
    try {
      data = read(orderCreateResponseSchema, res, 'POST /resellers/v6/orders', this.client.source);
    } catch (err) {
      // A 2xx we cannot read: the order was most likely placed, but we do not know as what.
      const e = err as DistributorError;
      throw new DistributorError(e.message, { kind: 'outcome_unknown', distributor: e.source, status: e.status, correlationId: e.correlationId, operation: e.operation, cause: e.cause });
    }
    return toSubmitResult(data, body, clientPoNumber, res.status, res.body);
  }

  /**
   * Ingram refuses a second order with the same customerOrderNumber (400), in words the spec does not
   * give. So a refused create is looked up by PO number: an order there means the refusal was the
   * duplicate, and the caller recovers that order (`conflict`) instead of reporting a rejection.
   */
  private async duplicateOr(err: unknown, clientPoNumber: string): Promise<unknown> {
    if (!isDistributorError(err) || err.kind !== 'validation' || err.status !== 400) return err;
    // The earlier order may be too new for the search: look as long as a lost submission would need.
    const existing = await this.findOrderByPoWithin(clientPoNumber);
    if (!existing) return err;
    return new DistributorError(`${err.message} — ${clientPoNumber} already has Ingram order(s) ${existing.distributorOrderIds.join(', ')}`, {
      kind: 'conflict', distributor: err.source, status: err.status, vendorCode: err.vendorCode, correlationId: err.correlationId,
      fieldErrors: err.fieldErrors, operation: err.operation,
    });
  }

  /** `findOrderByPo`, repeated while the search may not show a new order yet (settings `poSearchAttempts`, `poSearchDelayMs`). */
  findOrderByPoWithin(clientPoNumber: string, retry?: SearchRetry): Promise<PoLookup | null> {
    return findOrderByPoWithin(this, clientPoNumber, retry);
  }

  async findOrderByPo(clientPoNumber: string): Promise<PoLookup | null> {
    const res = await this.client.request({
      method: 'GET', path: '/resellers/v6/orders/search', idempotent: true,
      searchParams: { customerOrderNumber: clientPoNumber, pageSize: 100, pageNumber: 1 },
    });
    if (res.status === 204 || res.body === undefined) return null;
    const data = read(orderSearchSchema, res, 'GET /resellers/v6/orders/search', this.client.source);
    const orders: OrderSummary[] = (data.orders ?? [])
      .filter((o) => (o.customerOrderNumber ?? clientPoNumber) === clientPoNumber)
      .map((o) => ({
        distributorOrderId: o.ingramOrderNumber,
        status: headerStatus(o.orderStatus ?? null, []),
        vendorStatus: o.orderStatus ?? null,
        createdAt: o.ingramOrderDate ?? null,
        total: o.orderTotal ?? null,
      }));
    if (!orders.length) return null;
    return { clientPoNumber, distributorOrderIds: orders.map((o) => o.distributorOrderId), orders };
  }

  /**
   * v6.1 order details declare only 200 and 500. What we do for an order Ingram does not know:
   * - 200 whose body has no `ingramOrderNumber` (empty, or an `errors` list): null, the order is unknown;
   * - 500: thrown as `transient`. Its body cannot tell an unknown order from the ERP outage the spec's
   *   500 example describes, and we only ask for numbers Ingram gave us, so we wait and ask again;
   * - 404 (not in the spec, but a gateway may answer it): null.
   */
  async getOrder(distributorOrderId: string): Promise<DistributorOrder | null> {
    let res: IngramResponse;
    try {
      res = await this.client.request({
        method: 'GET', path: `/resellers/v6.1/orders/${encodeURIComponent(distributorOrderId)}`, idempotent: true,
        operation: 'GET /resellers/v6.1/orders/{ordernumber}',
      });
    } catch (err) {
      if (isDistributorError(err) && err.kind === 'not_found') return null;
      throw err;
    }
    const body = res.body as { ingramOrderNumber?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !body.ingramOrderNumber) return null;
    return toOrder(read(orderDetailSchema, res, 'GET /resellers/v6.1/orders/{ordernumber}', this.client.source), res.body);
  }

  async cancelOrder(distributorOrderId: string): Promise<void> {
    await this.client.request({
      method: 'DELETE', path: `/resellers/v6/orders/${encodeURIComponent(distributorOrderId)}`, idempotent: false,
      operation: 'DELETE /resellers/v6/orders/{OrderNumber}',
    });
  }
}

/** Parses a 2xx body; a shape we cannot read fails validation against our schema and will not fix itself. */
function read<T extends z.ZodType>(schema: T, res: IngramResponse, operation: string, source: string): z.output<T> {
  const parsed = schema.safeParse(res.body ?? {});
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new DistributorError(`Ingram Micro ${operation} returned an unexpected body (${where})`, {
    kind: 'validation', distributor: source, status: res.status, correlationId: res.correlationId, operation, cause: parsed.error,
  });
}

// ---- cursor ----------------------------------------------------------------------------------

/** Our catalog cursor: `p=<1-based page>;s=<page size>`, and `;k=<stride>` in a page lane (next page = p + k); opaque to callers. */
export function formatCursor(page: number, size: number, stride = 1): string {
  return stride > 1 ? `p=${page};s=${size};k=${stride}` : `p=${page};s=${size}`;
}

export function parseCursor(cursor: string | null | undefined, defaultSize: number): { page: number; size: number; stride: number } {
  if (!cursor) return { page: 1, size: defaultSize, stride: 1 };
  const m = /^p=(\d+);s=(\d+)(?:;k=(\d+))?$/.exec(cursor);
  const page = m ? Number(m[1]) : NaN;
  const size = m ? Number(m[2]) : NaN;
  const stride = m?.[3] ? Number(m[3]) : 1;
  if (!(page >= 1) || !(size >= 1 && size <= 100) || !(stride >= 1)) {
    throw new DistributorError('Not an Ingram catalog cursor.', { kind: 'validation', distributor: DISTRIBUTOR, fieldErrors: [{ field: 'cursor', message: 'expected p=<page>;s=<size>[;k=<stride>]', value: cursor.slice(0, 40) }] });
  }
  return { page, size, stride };
}
