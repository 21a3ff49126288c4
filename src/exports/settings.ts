// What every export target's settings share (seed 003): the two sync types, enabled separately, and
// where the Autotask webhooks should call. A target kind extends this schema with its own fields.
import { z } from 'zod';
import { DEFAULT_EXPORT_POLL_MINUTES, MAX_EXPORT_POLL_MINUTES, MIN_EXPORT_POLL_MINUTES } from '../templates/customer-export';

export const CUSTOMERS_TOO_WARNING = 'Active Customer Contracts is on but Active Customers is off: enable Active Customers too so the profile is complete';

export const exportSettingsSchema = z.object({
  /** Sync Active Customers: companies of type Customer that are active. */
  syncCustomers: z.boolean().default(true),
  /** Sync Active Customer Contracts: the contracts of active customers. */
  syncContracts: z.boolean().default(false),
  /**
   * Public base URL of this engine's webhook receiver (`…/autotask/webhook/<connector>/<integration>`);
   * unset: no Autotask webhook, polling only.
   */
  receiverUrl: z.url().optional(),
  /**
   * Minutes between polling passes (the `customer-export` template's schedule): the fallback behind
   * the webhooks, and the only way contact and contract changes arrive (neither has a webhook here).
   */
  pollMinutes: z.number().int().min(MIN_EXPORT_POLL_MINUTES).max(MAX_EXPORT_POLL_MINUTES).default(DEFAULT_EXPORT_POLL_MINUTES),
  /**
   * Company user-defined fields whose values are exported as e-mail addresses too, besides the
   * company's active contacts' addresses (Companies have no e-mail field). Default none.
   */
  companyEmailUdfs: z.array(z.string().min(1)).default([]),
  /**
   * A Contract user-defined field holding the vendor's name. ContractModel has no vendor field in
   * the Autotask spec (spec/autotask-openapi.json: no vendorID, only companyID/billToCompanyID, which
   * are the customer), so a UDF is the only place "the vendor on the contract" can live.
   */
  contractVendorUdf: z.string().min(1).default('Vendor'),
  /** The contract field exported as its overall cost. */
  contractCostField: z.enum(['estimatedCost', 'estimatedRevenue']).default('estimatedCost'),
});
export type ExportSettings = z.infer<typeof exportSettingsSchema>;

/** The export settings part of any export target's settings. */
export function exportSettingsOf(settings: Record<string, unknown>): ExportSettings {
  return exportSettingsSchema.parse(settings);
}

/** What `status` and `export status` say about when the pass runs. */
export function pollingText(s: Pick<ExportSettings, 'pollMinutes'>): string {
  return `polling every ${s.pollMinutes} minute${s.pollMinutes === 1 ? '' : 's'}`;
}

/** What `status`, the run summary and the activation check say about the sync types (none: all well). */
export function syncTypeWarning(s: Pick<ExportSettings, 'syncCustomers' | 'syncContracts'>): string | undefined {
  if (s.syncContracts && !s.syncCustomers) return CUSTOMERS_TOO_WARNING;
  if (!s.syncContracts && !s.syncCustomers) return 'Both sync types are off: nothing is exported';
  return undefined;
}
