// A connector's settings: which SKUs Product Sync takes, how prices are set, where values without
// an Autotask field go (UDFs), schedules, and order options. Parsed with defaults everywhere so a
// new connector works out of the box.
import { z } from 'zod';

export const productSyncSettingsSchema = z.object({
  /** Which SKUs: any of vendors, categories, keywords, or an explicit SKU list; capped at `limit`. */
  selection: z
    .object({
      vendors: z.array(z.string()).default([]),
      categories: z.array(z.string()).default([]),
      keywords: z.array(z.string()).default([]),
      skus: z.array(z.string()).default([]),
      limit: z.number().int().positive().default(20_000),
    })
    .default({ vendors: [], categories: [], keywords: [], skus: [], limit: 20_000 }),
  /** unitPrice = cost × (1 + markupPercent/100), or the MSRP. */
  pricing: z
    .discriminatedUnion('rule', [
      z.object({ rule: z.literal('markup'), markupPercent: z.number().min(0).max(1000) }),
      z.object({ rule: z.literal('msrp'), fallbackMarkupPercent: z.number().min(0).max(1000).default(15) }),
    ])
    .default({ rule: 'markup', markupPercent: 20 }),
  /** Distributor category → Autotask productCategory picklist value. */
  categoryMap: z.record(z.string(), z.number().int()).default({}),
  /** Autotask productBillingCodeID for created products (required by Autotask); found at activation if unset. */
  billingCodeId: z.number().int().optional(),
  /** How existing Autotask products are adopted instead of duplicated. */
  matchKey: z.enum(['vendorProductNumber', 'manufacturerProductName', 'sku']).default('vendorProductNumber'),
  /** UDF names for values Autotask has no field for. Created at activation if missing. */
  udfs: z
    .object({
      availability: z.string().default('Distributor Availability'),
      promoPrice: z.string().default('Distributor Promo Price'),
      promoEndDate: z.string().default('Distributor Promo End Date'),
      distributorSku: z.string().default('Distributor SKU'),
    })
    .default({ availability: 'Distributor Availability', promoPrice: 'Distributor Promo Price', promoEndDate: 'Distributor Promo End Date', distributorSku: 'Distributor SKU' }),
  /** A run that would deactivate more than this share of linked products waits for approval. */
  deactivationGuardShare: z.number().min(0).max(1).default(0.1),
  /** Daily schedule. */
  schedule: z
    .object({ hour: z.number().int().min(0).max(23).default(2), minute: z.number().int().min(0).max(59).default(0), timezone: z.string().default('UTC'), catchupWindowHours: z.number().positive().default(6) })
    .default({ hour: 2, minute: 0, timezone: 'UTC', catchupWindowHours: 6 }),
  /** Distributor catalog page size (the vendor's maximum is used if larger). */
  pageSize: z.number().int().positive().max(500).default(100),
  /** Catalog pages handled per activity (each page is still checkpointed). */
  pagesPerActivity: z.number().int().positive().max(50).default(5),
});

export const orderSettingsSchema = z.object({
  /** Autotask PO status values the Submit Order scan picks up. */
  submitStatuses: z.array(z.number().int()).default([1]),
  scanIntervalMinutes: z.number().positive().default(15),
  /** Where a rejection reason or tracking numbers go when Autotask has no field: a PO/line memo or a UDF. */
  writeBackTarget: z.enum(['memo', 'udf']).default('memo'),
  trackingUdf: z.string().default('Distributor Tracking'),
  receiveShipped: z.boolean().default(false),
  pollSeconds: z.object({ initial: z.number().positive().default(300), max: z.number().positive().default(3600) }).default({ initial: 300, max: 3600 }),
});

export const connectorSettingsSchema = z.object({
  productSync: productSyncSettingsSchema.default(productSyncSettingsSchema.parse({})),
  orders: orderSettingsSchema.default(orderSettingsSchema.parse({})),
  /** The distributor as an Autotask vendor company (found or created at activation). */
  vendorCompanyId: z.number().int().optional(),
  vendorCompanyName: z.string().optional(),
});

export type ProductSyncSettings = z.infer<typeof productSyncSettingsSchema>;
export type OrderSettings = z.infer<typeof orderSettingsSchema>;
export type ConnectorSettings = z.infer<typeof connectorSettingsSchema>;

export function parseSettings(raw: unknown): ConnectorSettings {
  return connectorSettingsSchema.parse(raw ?? {});
}

/** Deep-merges a partial settings change into current settings, then validates. */
export function mergeSettings(current: unknown, change: unknown): ConnectorSettings {
  return parseSettings(deepMerge((current ?? {}) as Record<string, unknown>, (change ?? {}) as Record<string, unknown>));
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' ? deepMerge(a[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
