// The words of Subscription Sync (seed 004), shared by the pure planner, the store, the activities,
// the workflows and the CLI. Pure types: workflows import them.
import type { MarketplaceEvent } from '../marketplaces/adapter';
import type { SubscriptionSettings } from '../connector/settings';
import type { TaskState, TaskType } from '../../db/schema/subscriptions';

export type { TaskState, TaskType } from '../../db/schema/subscriptions';

/** A marketplace event as stored on its task: everything but the vendor's raw record. */
export type TaskEvent = Omit<MarketplaceEvent, 'raw'>;

/** A decision a task can wait for. */
export type TaskDecision = 'customer' | 'product' | 'contract' | 'fee';

/** A recurring-service contract as the planner needs it. Dates are `yyyy-mm-dd` (UTC). */
export interface ContractFacts {
  id: number;
  name: string;
  companyId: number;
  startDate: string;
  /** Inclusive. */
  endDate: string;
  /** Months per billing period (1, 3, 6, 12), from the contract's contractPeriodType label. */
  periodMonths: number;
  /** The company's currency (contracts carry none of their own); null when the database is single-currency. */
  currency: string | null;
  /** In Effect (status picklist) and a Recurring Service contract. */
  active: boolean;
}

/** A contract service's state on a date, read from ContractServiceUnits. */
export interface ServiceState {
  contractServiceId: number | null;
  serviceId: number;
  /** Units on the date asked about (0 when the service is not on the contract yet). */
  units: number;
  unitPrice: number | null;
  unitCost: number | null;
  /** Effective dates that already start a ContractServiceUnits row (Autotask takes one adjustment per service and date). */
  adjustmentDates: string[];
  /** Optional (H1): ContractServiceUnits rows from the effective date on, so an adjustment dated later (the next
   *  period) is computed from the units it will meet there (e.g. a decrease an earlier task already scheduled). */
  rows?: Array<{ startDate: string; endDate: string; units: number }>;
  /** Set when the subscription gets a contract service of its own beside these (the service's contract services on the
   *  contract, all other subscriptions'): its first adjustment adds it, sent with Autotask's `allowRepeatService`. */
  repeatOf?: number[];
}

/** The Autotask Service a marketplace product is mapped to. */
export interface ServiceFacts {
  id: number;
  name: string;
  unitPrice: number;
  unitCost: number | null;
  /** Months per period from the service's periodType. */
  periodMonths: number;
  active: boolean;
}

/** One write the plan asks for. `key` is deterministic: the same task always plans the same keys. */
export type PlannedWrite =
  | {
      kind: 'adjustment';
      key: string;
      contractId: number;
      serviceId: number;
      contractServiceId: number | null;
      effectiveDate: string;
      unitChange: number;
      unitsBefore: number;
      unitPrice: number | null;
      unitCost: number | null;
      /** Why this date and quantity (the seed's rule that applied). */
      rule: string;
      /** Adds another contract service of the service (`allowRepeatService`): the new one is none of these. */
      repeatOf?: number[];
    }
  | {
      kind: 'charge';
      key: string;
      contractId: number;
      name: string;
      description: string;
      /** yyyy-mm-dd: `datePurchased`. */
      effectiveDate: string;
      quantity: number;
      unitPrice: number;
      unitCost: number | null;
      billingCodeId: number | null;
      /** The billing period it covers (`YYYY-MM-DD..YYYY-MM-DD`), for usage. */
      period: string | null;
      rule: string;
    };

/** What a task would write, shown before anything is written (proration lines cannot be reversed). */
export interface TaskPlan {
  taskId: string;
  type: TaskType;
  contractId: number;
  serviceId: number | null;
  priceSource: SubscriptionSettings['priceSource'];
  proration: SubscriptionSettings['proration'];
  /** Current quantity on the contract service, the marketplace's new quantity, the change. */
  currentQuantity: number;
  newQuantity: number;
  writes: PlannedWrite[];
  /** What each affected billing period bills for this service after the writes (Autotask's proration), where computable. */
  billed: Array<{ period: string; amount: number; costAmount: number | null }>;
  /** Lines for people: one per write plus notes (e.g. nothing to change). */
  summary: string[];
}

/** A task Check Changes would create (its dry run). */
export interface TaskPreview {
  taskId: string;
  type: TaskType;
  customerId: string;
  subscriptionId: string | null;
  effectiveDate: string;
}

/** What a task shows (`tasks show`, the query, the Web UI). */
export interface TaskView {
  connectorId: string;
  integrationId: string;
  taskId: string;
  workflowId: string;
  type: TaskType;
  state: TaskState;
  reason: string | null;
  waitingFor: TaskDecision | null;
  customerId: string;
  subscriptionId: string | null;
  productId: string | null;
  effectiveDate: string;
  contractId: number | null;
  plan: TaskPlan | null;
  /** Suggestions when waiting for a customer or contract decision. */
  suggestions?: Array<{ id: number; name: string; score?: number; why?: string }>;
  updatedAt: string;
}
