// Subscription Sync's workflow types and messages: the one definition the workflows, the client and
// the CLI import. Wire names are fixed: renaming one breaks running workflows. Every operator action
// is an update whose validator says what is wrong, or a query.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Drift } from '../../subscriptions/reconcile';
import type { TaskDecision, TaskPreview, TaskState, TaskType, TaskView } from '../../subscriptions/types';
import type { CustomerMappingView, FeeMappingView, ProductMappingView, SubscriptionStatusView } from '../../subscriptions/views';

export type { TaskView } from '../../subscriptions/types';

export const SUBSCRIPTION_TASK_WORKFLOW_TYPE = 'subscriptionTaskWorkflow';
export const SUBSCRIPTION_CHECK_WORKFLOW_TYPE = 'subscriptionCheckWorkflow';
export const SUBSCRIPTION_MAPPING_WORKFLOW_TYPE = 'subscriptionMappingWorkflow';
/** BridgeTemplate of every Subscription Sync workflow (the Web UI filters on it). */
export const SUBSCRIPTION_TEMPLATE = 'subscription-sync';

// ---- the sync task ---------------------------------------------------------------------------

export interface SubscriptionTaskInput {
  connectorId: string;
  integrationId: string;
  taskId: string;
  /** Automatic processing: decide what can be decided (a clear customer match, the only compatible contract) and apply without `sync`. */
  auto: boolean;
  /** Activity start-to-close timeout (tests and the crash test shorten it). */
  activityTimeoutMs?: number;
  /** Carried across continue-as-new. */
  carry?: { view: TaskView };
}

export interface TaskRequest {
  /** Who asked (operator name, `cli`, `web-ui`). */
  by?: string;
}
export interface MapCustomerRequest extends TaskRequest {
  companyId: number;
}
export interface MapProductRequest extends TaskRequest {
  /** The Autotask Service; or `create` to add one from the marketplace product (the seed's "Add Product to Autotask"). */
  serviceId?: number;
  create?: boolean;
}
export interface ChooseContractRequest extends TaskRequest {
  contractId: number;
}
export interface IgnoreRequest extends TaskRequest {
  reason?: string;
}

/** Each answers with the task's view once the task has taken the request up and reached its next stop. */
export const mapCustomerUpdate = defineUpdate<TaskView, [MapCustomerRequest]>('mapCustomer');
export const mapProductUpdate = defineUpdate<TaskView, [MapProductRequest]>('mapProduct');
export const chooseContractUpdate = defineUpdate<TaskView, [ChooseContractRequest]>('chooseContract');
export const syncUpdate = defineUpdate<TaskView, [TaskRequest]>('sync');
export const ignoreUpdate = defineUpdate<TaskView, [IgnoreRequest]>('ignore');
export const unignoreUpdate = defineUpdate<TaskView, [TaskRequest]>('unignore');
export const retryUpdate = defineUpdate<TaskView, [TaskRequest]>('retry');
export const taskViewQuery = defineQuery<TaskView>('taskView');
/** An earlier task of the same subscription is synced or ignored: a task waiting for it looks again. */
export const earlierTaskSettledSignal = defineSignal('earlierTaskSettled');

/** Every task state (db/schema/subscriptions.ts has the same list; that module is not workflow-safe). */
export const TASK_STATES: readonly TaskState[] = ['pending', 'action_required', 'planned', 'syncing', 'synced', 'error', 'ignored'];

/** Where a task stops for someone: every state but pending and syncing. */
export const RESTING_STATES: readonly TaskState[] = ['action_required', 'planned', 'synced', 'error', 'ignored'];

/** What an operator does next, for `tasks show` and the CLI's answers. */
export function nextStep(view: Pick<TaskView, 'taskId' | 'state' | 'waitingFor'>): string | null {
  const id = view.taskId;
  const waiting: Record<TaskDecision, string> = {
    customer: `map the customer: \`autotask-bridge tasks map-customer ${id} <company id>\``,
    product: `map the product: \`autotask-bridge tasks map-product ${id} <service id>|--create\``,
    contract: `choose the contract: \`autotask-bridge tasks choose-contract ${id} <contract id>\``,
    fee: `map the fee: \`autotask-bridge mapping fees map <fee key> <billing code id>\`, then \`autotask-bridge tasks retry ${id}\``,
  };
  if (view.state === 'action_required' && view.waitingFor) return waiting[view.waitingFor];
  if (view.state === 'planned') return `review with \`autotask-bridge tasks plan ${id}\`, then \`autotask-bridge tasks sync ${id}\``;
  if (view.state === 'error') return `fix the data, then \`autotask-bridge tasks retry ${id}\``;
  if (view.state === 'ignored') return `\`autotask-bridge tasks unignore ${id}\` takes it up again`;
  return null;
}

// ---- Check Changes ---------------------------------------------------------------------------

export interface SubscriptionCheckInput {
  connectorId: string;
  /** Default: the connector's only marketplace. */
  integrationId?: string;
  trigger?: 'schedule' | 'manual';
  /** Read and preview, store nothing, start nothing. */
  dryRun?: boolean;
  /** Overrides the setting `subscriptions.automatic` for the tasks this run starts (tests, the sandbox). */
  auto?: boolean;
  /** Passed to the tasks (tests). */
  activityTimeoutMs?: number;
  /** Carried across continue-as-new. */
  carry?: SubscriptionCheckResult;
}

/**
 * Most task ids a check's result lists (`createdCount` counts them all). A first check can create tens
 * of thousands of tasks; their ids, carried across continue-as-new, would outgrow Temporal's 2 MB payload.
 */
export const CREATED_LISTED = 100;

export interface SubscriptionCheckResult {
  integrationId: string;
  /** A scheduled run with automatic processing off does nothing. */
  skipped: boolean;
  dryRun: boolean;
  events: number;
  /** The new tasks' ids: the first CREATED_LISTED of them. */
  created: string[];
  /** How many tasks the run created (absent from results of checks before it: `created` then lists them all). */
  createdCount: number;
  existing: number;
  merged: number;
  /** Task workflows started by this run (new tasks, and pending ones whose workflow had not started). */
  started: number;
  /** Dry run: the tasks a real run would create; `more` says the preview stopped early. */
  preview: TaskPreview[];
  more: boolean;
}

// ---- mappings and lists of one marketplace integration ----------------------------------------

export interface SubscriptionMappingInput {
  connectorId: string;
  integrationId: string;
}

export interface ListTasksRequest {
  states?: TaskState[];
  limit?: number;
}
export interface ReconcileRequest {
  /** YYYY-MM */
  period: string;
  createTasks?: boolean;
  /** Passed to the task workflows started for created tasks (tests). */
  activityTimeoutMs?: number;
}
export interface ReconcileResult {
  checked: number;
  drifts: Drift[];
  tasksCreated: string[];
}

/** Wire names as the design lists them; grouped because the task workflow has a `mapCustomer` of its own. */
export const mappingUpdates = {
  mapCustomer: defineUpdate<CustomerMappingView, [{ marketplaceCustomerId: string; companyId: number; by?: string }]>('mapCustomer'),
  unmapCustomer: defineUpdate<{ removed: boolean }, [{ marketplaceCustomerId: string }]>('unmapCustomer'),
  listCustomers: defineUpdate<CustomerMappingView[], [{ unmapped?: boolean; search?: string; suggest?: boolean }]>('listCustomers'),
  mapProduct: defineUpdate<ProductMappingView, [{ marketplaceProductId: string; serviceId?: number; create?: boolean; by?: string }]>('mapProduct'),
  unmapProduct: defineUpdate<{ removed: boolean }, [{ marketplaceProductId: string }]>('unmapProduct'),
  listProducts: defineUpdate<ProductMappingView[], [{ unmapped?: boolean; search?: string }]>('listProducts'),
  mapFee: defineUpdate<FeeMappingView, [{ feeKey: string; billingCodeId: number; chargeName: string }]>('mapFee'),
  unmapFee: defineUpdate<{ removed: boolean }, [{ feeKey: string }]>('unmapFee'),
  listFees: defineUpdate<FeeMappingView[], []>('listFees'),
  listTasks: defineUpdate<TaskView[], [ListTasksRequest]>('listTasks'),
  /** A task as stored (for a task whose workflow has ended or never started). */
  showTask: defineUpdate<TaskView, [{ taskId: string }]>('showTask'),
  reconcile: defineUpdate<ReconcileResult, [ReconcileRequest]>('reconcile'),
  /** The Subscription Sync settings (credentials redacted) and the tasks by state. */
  status: defineUpdate<SubscriptionStatusView, []>('status'),
};
