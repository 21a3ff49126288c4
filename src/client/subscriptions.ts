// Subscription Sync for the CLI and other services: mapping commands and lists go to the integration's
// mapping workflow (update-with-start), task decisions to the task's own workflow (updates, a query),
// Check Changes runs as a workflow. Callers never need the engine's database or vendor credentials.
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TaskState } from '../subscriptions/types';
import type { CustomerMappingView, FeeMappingView, ProductMappingView, SubscriptionStatusView } from '../subscriptions/views';
import { workflowIds } from '../workflows/ids';
import { connectorQuery } from '../workflows/messages/connector';
import {
  chooseContractUpdate, ignoreUpdate, mapCustomerUpdate, mappingUpdates, mapProductUpdate, retryUpdate, SUBSCRIPTION_CHECK_WORKFLOW_TYPE,
  SUBSCRIPTION_MAPPING_WORKFLOW_TYPE, SUBSCRIPTION_TEMPLATE, syncUpdate, taskViewQuery, unignoreUpdate,
  type ReconcileResult, type SubscriptionCheckInput, type SubscriptionCheckResult, type SubscriptionMappingInput, type TaskView,
} from '../workflows/messages/subscriptions';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';
import { withUpdateReason } from './update-reason';

/** A connector's marketplace integration: every call names both. */
export interface MarketplaceScope {
  connectorId: string;
  integrationId: string;
}

/** The integration given, else the connector's only marketplace (read from its connector workflow). */
export async function marketplaceIntegration(client: Client, connectorId: string, integrationId?: string): Promise<string> {
  if (integrationId) return integrationId;
  let marketplaces: string[];
  try {
    const view = await client.workflow.getHandle(workflowIds.connector(connectorId)).query(connectorQuery);
    marketplaces = view.integrations.filter((i) => i.role === 'marketplace').map((i) => i.id);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new Error(`No such connector "${connectorId}": run \`autotask-bridge connect\` first, or name the marketplace with --integration`, { cause: err });
    throw err;
  }
  if (marketplaces.length === 1) return marketplaces[0];
  throw new Error(marketplaces.length
    ? `Connector ${connectorId} has several marketplaces (${marketplaces.join(', ')}): say which with --integration`
    : `Connector ${connectorId} has no marketplace: add one with \`autotask-bridge integrations add cloudblue|pax8\``);
}

/** Throws unless the connector has a marketplace integration of this id (settings for one must name a real one). */
export async function requireMarketplace(client: Client, connectorId: string, integrationId: string): Promise<void> {
  let view;
  try {
    view = await client.workflow.getHandle(workflowIds.connector(connectorId)).query(connectorQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new Error(`No such connector "${connectorId}": run \`autotask-bridge connect\` first`, { cause: err });
    throw err;
  }
  const found = view.integrations.find((i) => i.id === integrationId);
  if (found?.role === 'marketplace') return;
  const marketplaces = view.integrations.filter((i) => i.role === 'marketplace').map((i) => i.id);
  throw new Error(`${found ? `Integration "${integrationId}" of connector ${connectorId} is a ${found.role}, not a marketplace` : `Connector ${connectorId} has no integration "${integrationId}"`}` +
    ` (its marketplaces: ${marketplaces.join(', ') || 'none'}): Subscription Sync settings belong to a marketplace integration`);
}

// ---- mappings and lists (the integration's mapping workflow) ----------------------------------

type MappingUpdates = typeof mappingUpdates;
type Args<K extends keyof MappingUpdates> = MappingUpdates[K] extends UpdateDefinition<unknown, infer A> ? A : never;
type Ret<K extends keyof MappingUpdates> = MappingUpdates[K] extends UpdateDefinition<infer R, infer _A> ? R : never;

async function mapping<K extends keyof MappingUpdates>(client: Client, taskQueue: string, scope: MarketplaceScope, name: K, ...args: Args<K>): Promise<Ret<K>> {
  const input: SubscriptionMappingInput = { connectorId: scope.connectorId, integrationId: scope.integrationId };
  const update = mappingUpdates[name] as unknown as UpdateDefinition<Ret<K>, unknown[]>;
  return withUpdateReason(() => client.workflow.executeUpdateWithStart(update, {
    args: args as unknown[],
    startWorkflowOperation: new WithStartWorkflowOperation(SUBSCRIPTION_MAPPING_WORKFLOW_TYPE, {
      workflowId: workflowIds.subscriptionMapping(scope.connectorId, scope.integrationId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: BridgeConnector, value: scope.connectorId }, { key: BridgeTemplate, value: SUBSCRIPTION_TEMPLATE }],
    }),
  }));
}

export const listCustomerMappings = (client: Client, taskQueue: string, scope: MarketplaceScope, options: { unmapped?: boolean; search?: string; suggest?: boolean } = {}): Promise<CustomerMappingView[]> =>
  mapping(client, taskQueue, scope, 'listCustomers', options);
export const mapCustomer = (client: Client, taskQueue: string, scope: MarketplaceScope, marketplaceCustomerId: string, companyId: number, by = 'cli'): Promise<CustomerMappingView> =>
  mapping(client, taskQueue, scope, 'mapCustomer', { marketplaceCustomerId, companyId, by });
export const unmapCustomer = (client: Client, taskQueue: string, scope: MarketplaceScope, marketplaceCustomerId: string) =>
  mapping(client, taskQueue, scope, 'unmapCustomer', { marketplaceCustomerId });
export const listProductMappings = (client: Client, taskQueue: string, scope: MarketplaceScope, options: { unmapped?: boolean; search?: string } = {}): Promise<ProductMappingView[]> =>
  mapping(client, taskQueue, scope, 'listProducts', options);
export const mapProduct = (client: Client, taskQueue: string, scope: MarketplaceScope, marketplaceProductId: string, target: { serviceId?: number; create?: boolean }, by = 'cli'): Promise<ProductMappingView> =>
  mapping(client, taskQueue, scope, 'mapProduct', { marketplaceProductId, ...target, by });
export const unmapProduct = (client: Client, taskQueue: string, scope: MarketplaceScope, marketplaceProductId: string) =>
  mapping(client, taskQueue, scope, 'unmapProduct', { marketplaceProductId });
export const listFeeMappings = (client: Client, taskQueue: string, scope: MarketplaceScope): Promise<FeeMappingView[]> => mapping(client, taskQueue, scope, 'listFees');
export const mapFee = (client: Client, taskQueue: string, scope: MarketplaceScope, feeKey: string, billingCodeId: number, chargeName: string): Promise<FeeMappingView> =>
  mapping(client, taskQueue, scope, 'mapFee', { feeKey, billingCodeId, chargeName });
export const unmapFee = (client: Client, taskQueue: string, scope: MarketplaceScope, feeKey: string) => mapping(client, taskQueue, scope, 'unmapFee', { feeKey });
export const listTasks = (client: Client, taskQueue: string, scope: MarketplaceScope, options: { states?: TaskState[]; limit?: number } = {}): Promise<TaskView[]> =>
  mapping(client, taskQueue, scope, 'listTasks', options);
export const subscriptionStatus = (client: Client, taskQueue: string, scope: MarketplaceScope): Promise<SubscriptionStatusView> => mapping(client, taskQueue, scope, 'status');
export const reconcile = (client: Client, taskQueue: string, scope: MarketplaceScope, period: string, options: { createTasks?: boolean; activityTimeoutMs?: number } = {}): Promise<ReconcileResult> =>
  mapping(client, taskQueue, scope, 'reconcile', { period, ...options });

// ---- Check Changes ---------------------------------------------------------------------------

/** `subscriptions check`: a manual Check Changes run (its own id, so it never collides with the schedule's). */
export async function checkSubscriptions(client: Client, taskQueue: string, scope: MarketplaceScope, options: Pick<SubscriptionCheckInput, 'dryRun' | 'auto' | 'activityTimeoutMs'> = {}): Promise<SubscriptionCheckResult> {
  const input: SubscriptionCheckInput = { ...scope, trigger: 'manual', ...options };
  return client.workflow.execute(SUBSCRIPTION_CHECK_WORKFLOW_TYPE, {
    workflowId: workflowIds.manualRun(workflowIds.subscriptionCheck(scope.connectorId, scope.integrationId), `${options.dryRun ? 'dry-run-' : ''}${new Date().toISOString()}`),
    taskQueue,
    args: [input],
    typedSearchAttributes: [{ key: BridgeConnector, value: scope.connectorId }, { key: BridgeTemplate, value: SUBSCRIPTION_TEMPLATE }],
  });
}

// ---- one task (its workflow) -----------------------------------------------------------------

function task(client: Client, scope: MarketplaceScope, taskId: string) {
  return client.workflow.getHandle(workflowIds.subscriptionTask(scope.connectorId, scope.integrationId, taskId));
}
const noTask = (scope: MarketplaceScope, taskId: string) =>
  `No sync task "${taskId}" is running for ${scope.integrationId} of connector ${scope.connectorId} (see \`autotask-bridge tasks list\`; \`subscriptions check\` starts new ones)`;

/** Where the task stands: its workflow's view, else the stored row (a task whose workflow has ended). */
export async function taskView(client: Client, taskQueue: string, scope: MarketplaceScope, taskId: string): Promise<TaskView> {
  try {
    return await task(client, scope, taskId).query(taskViewQuery);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return mapping(client, taskQueue, scope, 'showTask', { taskId });
  }
}

const taskUpdate = <A>(client: Client, scope: MarketplaceScope, taskId: string, update: UpdateDefinition<TaskView, [A]>, arg: A): Promise<TaskView> =>
  withUpdateReason(() => task(client, scope, taskId).executeUpdate(update, { args: [arg] }), noTask(scope, taskId));

export const mapTaskCustomer = (client: Client, scope: MarketplaceScope, taskId: string, companyId: number, by = 'cli') => taskUpdate(client, scope, taskId, mapCustomerUpdate, { companyId, by });
export const mapTaskProduct = (client: Client, scope: MarketplaceScope, taskId: string, target: { serviceId?: number; create?: boolean }, by = 'cli') =>
  taskUpdate(client, scope, taskId, mapProductUpdate, { ...target, by });
export const chooseTaskContract = (client: Client, scope: MarketplaceScope, taskId: string, contractId: number, by = 'cli') => taskUpdate(client, scope, taskId, chooseContractUpdate, { contractId, by });
export const syncTask = (client: Client, scope: MarketplaceScope, taskId: string, by = 'cli') => taskUpdate(client, scope, taskId, syncUpdate, { by });
export const ignoreTask = (client: Client, scope: MarketplaceScope, taskId: string, reason?: string, by = 'cli') => taskUpdate(client, scope, taskId, ignoreUpdate, { reason, by });
export const unignoreTask = (client: Client, scope: MarketplaceScope, taskId: string, by = 'cli') => taskUpdate(client, scope, taskId, unignoreUpdate, { by });
export const retryTask = (client: Client, scope: MarketplaceScope, taskId: string, by = 'cli') => taskUpdate(client, scope, taskId, retryUpdate, { by });

/** `tasks sync --all`: every planned task of the integration; one failure does not stop the others. */
export async function syncPlannedTasks(client: Client, taskQueue: string, scope: MarketplaceScope, by = 'cli'): Promise<Array<{ taskId: string; view?: TaskView; error?: string }>> {
  const planned = await listTasks(client, taskQueue, scope, { states: ['planned'] });
  const out: Array<{ taskId: string; view?: TaskView; error?: string }> = [];
  for (const t of planned) {
    try {
      out.push({ taskId: t.taskId, view: await syncTask(client, scope, t.taskId, by) });
    } catch (err) {
      out.push({ taskId: t.taskId, error: (err as Error).message });
    }
  }
  return out;
}
