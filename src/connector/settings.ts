// A connector's settings: which SKUs Product Sync takes, how prices are set, where values without
// an Autotask field go (UDFs), schedules, and order options. Parsed with defaults everywhere so a
// new connector works out of the box.
import { z } from 'zod';
import { BridgeError } from '../failures';

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
  /**
   * An adopted product whose default vendor is another company keeps it: our ProductVendors row is added
   * as a non-default vendor unless this is set (Autotask has one default vendor per product).
   */
  takeDefaultVendor: z.boolean().default(false),
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
  /**
   * A page activity takes catalog pages until `pageActivitySeconds` have passed or it has done
   * `pagesPerActivity` pages (each page is still checkpointed): fewer activities when the run is fast, and
   * when it is paced by the Autotask budget, still a result (progress query, search attributes) every ~20 s.
   */
  pagesPerActivity: z.number().int().positive().max(1000).default(100),
  /** Seconds after which a page activity takes no further page (the one in hand finishes); 0: one page each. */
  pageActivitySeconds: z.number().int().min(0).max(600).default(20),
  /**
   * Page lanes read concurrently (each a loop of page activities over every n-th page, so several
   * workers share a run); only distributors that can jump pages (Ingram Micro), not on dry runs, and
   * only when the catalog is smaller than `selection.limit`. The Autotask limiter still holds every endpoint to 3 threads.
   */
  parallelPages: z.number().int().min(1).max(8).default(1),
  /**
   * Distributor stock in Autotask's Inventory (seed 001: Inventory read/write "to adjust quantities based on
   * TD SYNNEX availability"): one inventory location per distributor integration, whose items carry the
   * distributor's quantity on hand of each linked product, written only when it changed (src/product-sync/inventory.ts).
   */
  inventory: z
    .object({
      enabled: z.boolean().default(false),
      /** The location's name; `{distributor}` becomes the kind's label (TD SYNNEX, Ingram Micro), `{integration}` the integration id. */
      locationName: z.string().min(1).default('{distributor} stock'),
      /** A name of its own per integration id (wins over `locationName`). */
      locationNames: z.record(z.string(), z.string().min(1)).default({}),
    })
    .default({ enabled: false, locationName: '{distributor} stock', locationNames: {} }),
});

/** Lifecycle states an order reaches (see src/orders/README.md). */
export const ORDER_STATE_LABEL_DEFAULTS = {
  submitted: ['Submitted'],
  processing: ['Submitted'],
  backordered: ['Back Order', 'Backordered', 'Submitted'],
  partially_shipped: ['Partially Shipped', 'Partial Shipped', 'Submitted'],
  shipped: ['Shipped', 'Submitted'],
  delivered: ['Delivered', 'Shipped', 'Submitted'],
  closed: ['Closed', 'Delivered', 'Shipped', 'Submitted'],
  cancelled: ['Cancel', 'Cancelled', 'Canceled'],
};

const statusLabelsSchema = z.object({
  submitted: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.submitted),
  processing: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.processing),
  backordered: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.backordered),
  partially_shipped: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.partially_shipped),
  shipped: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.shipped),
  delivered: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.delivered),
  closed: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.closed),
  cancelled: z.array(z.string()).default(ORDER_STATE_LABEL_DEFAULTS.cancelled),
});

/**
 * The Autotask PO status(es) meaning "ready to order", which Submit Order picks up. Activation proposes one
 * by its label in the database's picklist (`values`/`labels`); nothing is submitted until an operator has
 * confirmed it (`settings --submit-status`, `templates enable submit-order`): picklist values differ per
 * database, and on many the first one is the draft "New".
 */
export const submitStatusSchema = z.object({
  values: z.array(z.number().int()).default([]),
  labels: z.array(z.string()).default([]),
  confirmed: z.boolean().default(false),
  confirmedAt: z.string().optional(),
  /** How it was confirmed, e.g. `settings --submit-status`. */
  confirmedBy: z.string().optional(),
});
export type SubmitStatus = z.infer<typeof submitStatusSchema>;

/** The old default of `submitStatuses`: every connector stored before confirmation existed has it written out. */
const LEGACY_DEFAULT_SUBMIT_STATUS = 1;

/**
 * Stored settings from before the confirmation carry `submitStatuses: number[]` instead of `submitStatus`.
 * `[1]` was the default (saved settings are stored with defaults filled in), so it says nothing about an
 * operator's choice and stays unconfirmed; any other list was set on purpose and counts as confirmed.
 */
function migrateSubmitStatuses(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !('submitStatuses' in raw)) return raw;
  const { submitStatuses, ...rest } = raw as Record<string, unknown>;
  if (rest.submitStatus !== undefined || !Array.isArray(submitStatuses)) return rest;
  const isDefault = submitStatuses.length === 1 && submitStatuses[0] === LEGACY_DEFAULT_SUBMIT_STATUS;
  return { ...rest, submitStatus: { values: submitStatuses, confirmed: !isDefault && submitStatuses.length > 0, ...(isDefault ? {} : { confirmedBy: 'submitStatuses setting (before confirmation existed)' }) } };
}

const orderSettingsObject = z.object({
  submitStatus: submitStatusSchema.default(submitStatusSchema.parse({})),
  scanIntervalMinutes: z.number().positive().default(15),
  /** Most workflows one scan (or sweep) starts; the rest wait for the next tick. */
  maxStartsPerScan: z.number().int().positive().default(1000),
  /** Where a rejection reason or tracking numbers go when Autotask has no field: a PO/line memo or a UDF. */
  writeBackTarget: z.enum(['memo', 'udf']).default('memo'),
  trackingUdf: z.string().default('Distributor Tracking'),
  /** UDF for the rejection/error reason when `writeBackTarget` is `udf` (falls back to the memo where the entity has no UDFs). */
  reasonUdf: z.string().default('Distributor Order Problem'),
  /** Receive shipped quantities into Autotask (PurchaseOrderItemReceiving, with the backordered quantity). */
  receiveShipped: z.boolean().default(false),
  /** Poll the distributor while an order is open: `initial`, ×`backoff` while nothing changes, capped at `max`. */
  pollSeconds: z
    .object({ initial: z.number().positive().default(300), max: z.number().positive().default(3600), backoff: z.number().min(1).max(10).default(2) })
    .default({ initial: 300, max: 3600, backoff: 2 }),
  /** Status tracking stops at this state (or at cancelled). `closed` = invoiced. */
  trackUntil: z.enum(['shipped', 'delivered', 'closed']).default('closed'),
  /** A shipped order whose invoice (or, tracking until delivered, delivery) never comes is closed after this many days: polling always ends. */
  invoiceWaitDays: z.number().positive().max(365).default(30),
  /** Prefix of the PO number sent to the distributor: `<prefix><Autotask PO id>` (≤ 35 characters). */
  clientPoPrefix: z.string().regex(/^[A-Za-z0-9-]{0,12}$/).default('AT-'),
  /** Country of the ship-to address (Autotask's PO has no country field). */
  shipToCountryCode: z.string().length(2).default('US'),
  /** Accept distributor backorders instead of rejecting short lines. */
  acceptBackOrder: z.boolean().default(true),
  /** Autotask PO status labels written per lifecycle state: the first label the database's picklist has wins. */
  statusLabels: statusLabelsSchema.default(statusLabelsSchema.parse({})),
  /** Orders from won opportunities: the status label of the created PO and its items' inventory location. */
  fromOpportunity: z
    .object({ statusLabel: z.string().default('New'), inventoryLocationId: z.number().int().optional(), wonStatusLabels: z.array(z.string()).default(['Closed', 'Implemented']) })
    .default({ statusLabel: 'New', wonStatusLabels: ['Closed', 'Implemented'] }),
});

export const orderSettingsSchema = z.preprocess(migrateSubmitStatuses, orderSettingsObject);

/** Where a notification e-mail goes: the SMTP URL carries the credentials (redacted wherever shown). */
const subscriptionEmailSchema = z.object({ to: z.array(z.string().email()).min(1), from: z.string().default('autotask-bridge@localhost'), smtpUrl: z.string().url() });

/** Each Subscription Sync setting's values (no defaults: an integration's override leaves a value unset). */
const subscriptionValues = {
  priceSource: z.enum(['autotask', 'marketplace']),
  proration: z.enum(['marketplace', 'autotask']),
  automatic: z.enum(['off', 'daily', 'every5min']),
  notify: z.enum(['errors', 'all']),
  usageAsUnits: z.array(z.string()),
  firstCheckDays: z.number().int().positive().max(366),
  allowRepeatService: z.boolean(),
};

/** A settings change says `null` to remove a value (an optional one, or an integration's own): dropped before validation. */
const withoutNulls = (raw: unknown): unknown =>
  raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) : raw;

/**
 * Subscription Sync (seed 004's Settings dialog): where prices come from, whose proration applies,
 * whether sync tasks are created and processed without an operator, and who is told what.
 */
const subscriptionSyncSchema = z.object({
  /** Prices and costs of contract services: Autotask's service prices or the marketplace's. */
  priceSource: subscriptionValues.priceSource.default('autotask'),
  /** `autotask`: a mid-period increase is dated the order's day and Autotask prorates; `marketplace`: dated from the next period, the marketplace's prorated amount posted as a charge. */
  proration: subscriptionValues.proration.default('autotask'),
  /** Check Changes and process tasks without an operator: off, once a day or every 5 minutes. */
  automatic: subscriptionValues.automatic.default('off'),
  /** `errors`: errors and actions required only; `all`: every task. */
  notify: subscriptionValues.notify.default('errors'),
  /** Besides the action log: e-mail over SMTP and/or a JSON webhook (Teams/Slack style). */
  email: subscriptionEmailSchema.optional(),
  webhookUrl: z.string().url().optional(),
  /** Services billed per unit of usage: a Billing task posts the period's units instead of a charge (marketplace product ids). */
  usageAsUnits: subscriptionValues.usageAsUnits.default([]),
  /** The first Check Changes takes orders no older than this many days (seed: one month). */
  firstCheckDays: subscriptionValues.firstCheckDays.default(31),
  /**
   * A second subscription of a Service a contract already has for another subscription gets a contract
   * service of its own (the adjustment is sent with Autotask's `allowRepeatService`); off: it is refused.
   */
  allowRepeatService: subscriptionValues.allowRepeatService.default(false),
});

/**
 * One marketplace integration's own Subscription Sync values: each one set wins over the connector's
 * (src/subscriptions/settings.ts). `false` turns the connector's e-mail or webhook off for it.
 */
export const subscriptionOverrideSchema = z.preprocess(
  withoutNulls,
  z.strictObject({
    priceSource: subscriptionValues.priceSource.optional(),
    proration: subscriptionValues.proration.optional(),
    automatic: subscriptionValues.automatic.optional(),
    notify: subscriptionValues.notify.optional(),
    email: z.union([subscriptionEmailSchema, z.literal(false)]).optional(),
    webhookUrl: z.union([z.string().url(), z.literal(false)]).optional(),
    usageAsUnits: subscriptionValues.usageAsUnits.optional(),
    firstCheckDays: subscriptionValues.firstCheckDays.optional(),
    allowRepeatService: subscriptionValues.allowRepeatService.optional(),
  }),
);

/** The connector's values and, under `integrations`, each marketplace integration's own (by integration id). */
export const subscriptionSettingsSchema = z.preprocess(
  withoutNulls,
  subscriptionSyncSchema.extend({
    integrations: z.preprocess(withoutNulls, z.record(z.string(), subscriptionOverrideSchema)).default({}),
  }),
);

export const connectorSettingsSchema = z.object({
  productSync: productSyncSettingsSchema.default(productSyncSettingsSchema.parse({})),
  orders: orderSettingsSchema.default(orderSettingsSchema.parse({})),
  subscriptions: subscriptionSettingsSchema.default(subscriptionSettingsSchema.parse({})),
});

export type ProductSyncSettings = z.infer<typeof productSyncSettingsSchema>;
export type OrderSettings = z.infer<typeof orderSettingsSchema>;
/** The values one integration's Subscription Sync runs with (`subscriptionSettingsFor`). */
export type SubscriptionSettings = z.infer<typeof subscriptionSyncSchema>;
export type SubscriptionOverride = z.infer<typeof subscriptionOverrideSchema>;
export type ConnectorSettings = z.infer<typeof connectorSettingsSchema>;

/** `"Submitted" (2)`, or the bare values when the labels are not known. */
export function describeSubmitStatus(status: SubmitStatus): string {
  return status.values.map((v, i) => (status.labels[i] ? `"${status.labels[i]}" (${v})` : String(v))).join(', ');
}

/**
 * The PO status values Submit Order may act on: only once an operator has confirmed them. Throws a
 * `settings` failure saying how to confirm otherwise (the scan, a manual submit and an order from an
 * opportunity all go through here).
 */
export function submitStatusFilter(settings: OrderSettings): number[] {
  const status = settings.submitStatus;
  if (status.confirmed && status.values.length) return status.values;
  const proposed = status.values.length ? `activation proposed ${describeSubmitStatus(status)}, not yet confirmed` : 'none chosen yet';
  throw new BridgeError(
    'settings',
    `Submit Order submits nothing until an operator confirms which Autotask purchase order status means "ready to order" (${proposed}): ` +
      'confirm it with `autotask-bridge settings [--id <connector>] --submit-status <label>` or `autotask-bridge templates enable submit-order`',
    { source: 'engine' },
  );
}

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
