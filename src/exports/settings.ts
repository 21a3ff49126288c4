// What every export target's settings share (seed 003): the two sync types, enabled separately, and
// where the Autotask webhooks should call. A target kind extends this schema with its own fields.
import { z } from 'zod';

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
  /** A Contract user-defined field holding the vendor's name (Contracts have no vendor field). */
  contractVendorUdf: z.string().min(1).default('Vendor'),
  /** The contract field exported as its overall cost. */
  contractCostField: z.enum(['estimatedCost', 'estimatedRevenue']).default('estimatedCost'),
});
export type ExportSettings = z.infer<typeof exportSettingsSchema>;

/** The export settings part of any export target's settings. */
export function exportSettingsOf(settings: Record<string, unknown>): ExportSettings {
  return exportSettingsSchema.parse(settings);
}

/** What `status`, the run summary and the activation check say about the sync types (none: all well). */
export function syncTypeWarning(s: Pick<ExportSettings, 'syncCustomers' | 'syncContracts'>): string | undefined {
  if (s.syncContracts && !s.syncCustomers) return CUSTOMERS_TOO_WARNING;
  if (!s.syncContracts && !s.syncCustomers) return 'Both sync types are off: nothing is exported';
  return undefined;
}
