// What the mapping activities return to the CLI and the mapping workflow: small JSON rows, one per
// marketplace customer, product (plan) or fee. Pure types: workflows import them.
import type { BillingCycle } from '../marketplaces/adapter';
import type { SubscriptionSettings } from '../connector/settings';
import type { Suggestion } from './suggest';
import type { TaskState } from './types';

export interface CustomerMappingView {
  marketplaceCustomerId: string;
  marketplaceName: string;
  companyId: number | null;
  companyName: string | null;
  /** operator | import | task | created; null when unmapped. */
  mappedBy: string | null;
  /** Why the mapping is not used (its Autotask company was deleted or made inactive). */
  flaggedReason: string | null;
  /** Ranked Autotask companies, when asked for and the customer is unmapped (or flagged). */
  suggestions?: Suggestion[];
}

export interface ProductMappingView {
  /** The marketplace plan id (the product id where the marketplace has no plans): the mapping key. */
  marketplaceProductId: string;
  marketplaceName: string;
  /** Null when the marketplace no longer lists the product. */
  billingCycle: BillingCycle | null;
  price: number | null;
  currency: string | null;
  serviceId: number | null;
  serviceName: string | null;
  flaggedReason: string | null;
}

export interface FeeMappingView {
  /** `cancellation`, or `cancellation:<marketplace product id>` for one product's fee. */
  feeKey: string;
  billingCodeId: number;
  chargeName: string;
}

/** `subscriptions status`: the seed's Settings dialog and the tasks by state. */
export interface SubscriptionStatusView {
  /** As the integration runs with them (its own values over the connector's); credentials in the SMTP and webhook URLs are redacted. */
  settings: SubscriptionSettings;
  /** The settings the integration sets itself (the rest are the connector's). */
  overrides: Array<keyof SubscriptionSettings>;
  tasks: Partial<Record<TaskState, number>>;
  lastCheckAt: string | null;
}
