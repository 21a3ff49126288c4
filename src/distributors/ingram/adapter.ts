// Ingram Micro Reseller v6 as a DistributorAdapter: each method says path, query and body, then
// hands the answer to catalog-mapping.ts / order-mapping.ts. Transport, auth and errors: client.ts.
import { chunks } from '../../concurrency';
import type { z } from 'zod';
import type {
  DistributorAdapter, DistributorCapabilities, DistributorOrder, OrderInput, OrderSummary, PoLookup, PriceAvailability,
  Product, ProductPage, SubmitOrderResult,
} from '../adapter';
import { DistributorError, isDistributorError } from '../errors';
import type { TokenProvider } from '../token-provider';
import { notFound, toPriceAvailability, toProduct } from './catalog-mapping';
import { IngramClient, type IngramResponse } from './client';
import { DISTRIBUTOR } from './errors';
import { buildOrderRequest, headerStatus, toOrder, toSubmitResult } from './order-mapping';
import {
  catalogRecordSchema, catalogSearchSchema, orderCreateResponseSchema, orderDetailSchema, orderSearchSchema, pnaResponseSchema,
  type PnaRequest,
} from './schemas';
import { parseIngramSettings, type IngramSettingsInput } from './settings';

export const INGRAM_CAPABILITIES: DistributorCapabilities = {
  kinds: ['physical', 'cloud'],
  pagination: 'page',
  maxPageSize: 100,
  maxPnaBatch: 50,
  webhooks: true,
  dryRun: false,
  nativeDeduplication: 'poNumber',
  splitOrders: true,
  cancellation: 'on_hold_only',
  rateLimit: { getPerMinutePerEndpoint: 60 },
};

export class IngramAdapter implements DistributorAdapter {
  readonly kind = DISTRIBUTOR;
  readonly capabilities = INGRAM_CAPABILITIES;
  readonly client: IngramClient;

  constructor(settings: IngramSettingsInput, options: { tokens?: TokenProvider } = {}) {
    this.client = new IngramClient(parseIngramSettings(settings), options);
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
    const { page, size } = parseCursor(cursor, this.client.settings.pageSize);
    const res = await this.client.request({
      method: 'GET', path: '/resellers/v6/catalog', idempotent: true,
      searchParams: { pageNumber: page, pageSize: size },
    });
    const data = read(catalogSearchSchema, res, 'GET /resellers/v6/catalog');
    const items: Product[] = [];
    const invalid: ProductPage['invalid'] = [];
    for (const raw of data.catalog ?? []) {
      const record = catalogRecordSchema.safeParse(raw);
      if (record.success) items.push(toProduct(record.data));
      else invalid.push({ reason: record.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; '), raw });
    }
    const received = (data.catalog ?? []).length;
    const total = data.recordsFound ?? undefined;
    const more = received > 0 && (total !== undefined ? page * size < total : Boolean(data.nextPage));
    return { items, invalid, cursor: cursor ?? null, nextCursor: more ? formatCursor(page + 1, size) : null, totalRecords: total };
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
      for (const record of read(pnaResponseSchema, res, 'POST /resellers/v6/catalog/priceandavailability')) {
        const sku = record.ingramPartNumber ?? (record.index != null ? chunk[record.index] : undefined);
        if (sku && !found.has(sku.toUpperCase())) found.set(sku.toUpperCase(), toPriceAvailability(sku, record));
      }
    }
    return unique.map((sku) => found.get(sku.toUpperCase()) ?? notFound(sku));
  }

  // ---- orders --------------------------------------------------------------------------------

  async submitOrder(order: OrderInput, clientPoNumber: string): Promise<SubmitOrderResult> {
    const body = buildOrderRequest(order, clientPoNumber, this.client.settings.acceptBackOrder);
    const res = await this.client.request({ method: 'POST', path: '/resellers/v6/orders', idempotent: false, body });
    return toSubmitResult(read(orderCreateResponseSchema, res, 'POST /resellers/v6/orders'), body, clientPoNumber, res.status, res.body);
  }

  async findOrderByPo(clientPoNumber: string): Promise<PoLookup | null> {
    const res = await this.client.request({
      method: 'GET', path: '/resellers/v6/orders/search', idempotent: true,
      searchParams: { customerOrderNumber: clientPoNumber, pageSize: 100, pageNumber: 1 },
    });
    if (res.status === 204 || res.body === undefined) return null;
    const data = read(orderSearchSchema, res, 'GET /resellers/v6/orders/search');
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

  async getOrder(distributorOrderId: string): Promise<DistributorOrder | null> {
    try {
      const res = await this.client.request({
        method: 'GET', path: `/resellers/v6.1/orders/${encodeURIComponent(distributorOrderId)}`, idempotent: true,
        operation: 'GET /resellers/v6.1/orders/{ordernumber}',
      });
      return toOrder(read(orderDetailSchema, res, 'GET /resellers/v6.1/orders/{ordernumber}'), res.body);
    } catch (err) {
      if (isDistributorError(err) && err.kind === 'not_found') return null;
      throw err;
    }
  }

  async cancelOrder(distributorOrderId: string): Promise<void> {
    await this.client.request({
      method: 'DELETE', path: `/resellers/v6/orders/${encodeURIComponent(distributorOrderId)}`, idempotent: false,
      operation: 'DELETE /resellers/v6/orders/{OrderNumber}',
    });
  }
}

/** Parses a 2xx body; a shape we cannot read is the vendor's fault and will not fix itself. */
function read<T extends z.ZodType>(schema: T, res: IngramResponse, operation: string): z.output<T> {
  const parsed = schema.safeParse(res.body ?? {});
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new DistributorError(`Ingram ${operation} returned an unexpected body (${where})`, {
    kind: 'permanent', distributor: DISTRIBUTOR, status: res.status, correlationId: res.correlationId, operation, cause: parsed.error,
  });
}

// ---- cursor ----------------------------------------------------------------------------------

/** Our catalog cursor: `p=<1-based page>;s=<page size>`, opaque to callers. */
export function formatCursor(page: number, size: number): string {
  return `p=${page};s=${size}`;
}

export function parseCursor(cursor: string | null | undefined, defaultSize: number): { page: number; size: number } {
  if (!cursor) return { page: 1, size: defaultSize };
  const m = /^p=(\d+);s=(\d+)$/.exec(cursor);
  const page = m ? Number(m[1]) : NaN;
  const size = m ? Number(m[2]) : NaN;
  if (!(page >= 1) || !(size >= 1 && size <= 100)) {
    throw new DistributorError('Not an Ingram catalog cursor.', { kind: 'validation', distributor: DISTRIBUTOR, fieldErrors: [{ field: 'cursor', message: 'expected p=<page>;s=<size>', value: cursor.slice(0, 40) }] });
  }
  return { page, size };
}
