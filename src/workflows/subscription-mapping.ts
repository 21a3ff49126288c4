// One long-lived workflow per marketplace integration (`subscription-mapping/<connector>/<integration>`):
// the mapping commands, task lists and reconciliation as updates, so the CLI (and a web console) never
// opens the engine's database. Started by update-with-start; continues as new when Temporal suggests.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import type { TaskState } from '../subscriptions/types';
import { mappingUpdates as u, SUBSCRIPTION_TEMPLATE, TASK_STATES, type SubscriptionMappingInput } from './messages/subscriptions';
import { BridgeConnector, BridgeStatus, BridgeTemplate } from './search-attributes';
import { startTask } from './subscription-task-start';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
});
const long = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});

export async function subscriptionMappingWorkflow(input: SubscriptionMappingInput): Promise<void> {
  const { connectorId, integrationId } = input;
  const scope = { connectorId, integrationId };
  const by = (b?: string) => b || 'operator';

  upsertSearchAttributes([
    { key: BridgeConnector, value: connectorId },
    { key: BridgeTemplate, value: SUBSCRIPTION_TEMPLATE },
    { key: BridgeStatus, value: 'mapping' },
  ]);

  const text = (value: unknown, what: string) => {
    if (typeof value !== 'string' || !value.trim()) throw new Error(`${what} is required`);
  };
  const positiveId = (value: unknown, what: string) => {
    if (!Number.isInteger(value) || (value as number) <= 0) throw new Error(`${what} must be a positive whole number (got ${String(value)})`);
  };

  setHandler(u.mapCustomer, (r) => reason(() => acts.mapCustomer({ ...scope, marketplaceCustomerId: r.marketplaceCustomerId, companyId: r.companyId, by: by(r.by) })), {
    validator: (r) => { text(r.marketplaceCustomerId, 'The marketplace customer id'); positiveId(r.companyId, 'The Autotask company id'); },
  });
  setHandler(u.unmapCustomer, (r) => reason(() => acts.unmapCustomer({ ...scope, marketplaceCustomerId: r.marketplaceCustomerId })), {
    validator: (r) => text(r.marketplaceCustomerId, 'The marketplace customer id'),
  });
  setHandler(u.listCustomers, (r) => reason(() => acts.listCustomerMappings({ ...scope, ...r })));
  setHandler(u.mapProduct, (r) => reason(() => acts.mapProduct({ ...scope, marketplaceProductId: r.marketplaceProductId, serviceId: r.serviceId, create: r.create, by: by(r.by) })), {
    validator: (r) => {
      text(r.marketplaceProductId, 'The marketplace product id');
      if (r.create && r.serviceId !== undefined) throw new Error('Give a service id or --create, not both');
      if (!r.create) positiveId(r.serviceId, 'The Autotask service id');
    },
  });
  setHandler(u.unmapProduct, (r) => reason(() => acts.unmapProduct({ ...scope, marketplaceProductId: r.marketplaceProductId })), {
    validator: (r) => text(r.marketplaceProductId, 'The marketplace product id'),
  });
  setHandler(u.listProducts, (r) => reason(() => acts.listProductMappings({ ...scope, ...r })));
  setHandler(u.mapFee, (r) => reason(() => acts.mapFee({ ...scope, ...r })), {
    validator: (r) => { text(r.feeKey, 'The fee key'); positiveId(r.billingCodeId, 'The billing code id'); text(r.chargeName, 'The charge name'); },
  });
  setHandler(u.unmapFee, (r) => reason(() => acts.unmapFee({ ...scope, feeKey: r.feeKey })), { validator: (r) => text(r.feeKey, 'The fee key') });
  setHandler(u.listFees, () => reason(() => acts.listFeeMappings(scope)));
  setHandler(u.listTasks, (r) => reason(() => acts.listSyncTasks({ ...scope, states: r.states, limit: r.limit })), {
    validator: (r) => {
      const unknown = (r.states ?? []).filter((s: TaskState) => !TASK_STATES.includes(s));
      if (unknown.length) throw new Error(`Unknown task state(s) ${unknown.join(', ')} (one of ${TASK_STATES.join(', ')})`);
    },
  });
  setHandler(u.status, () => reason(() => acts.subscriptionStatus(scope)));
  setHandler(u.showTask, (r) => reason(() => acts.getTaskView({ ...scope, taskId: r.taskId })), { validator: (r) => text(r.taskId, 'The task id') });
  setHandler(
    u.reconcile,
    async (r) => {
      const result = await reason(() => long.reconcileSubscriptions({ ...scope, period: r.period, createTasks: r.createTasks }));
      if (result.tasksCreated.length) {
        // The tasks that fix the drift run like any other (automatic or waiting for `sync`).
        const { automatic } = await acts.subscriptionAutomation({ connectorId, integrationId });
        for (const taskId of result.tasksCreated) await startTask(connectorId, integrationId, { ...scope, taskId, auto: automatic !== 'off', activityTimeoutMs: r.activityTimeoutMs });
      }
      return result;
    },
    {
      validator: (r) => {
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(r.period ?? '')) throw new Error(`The period must be YYYY-MM (got ${String(r.period)})`);
      },
    },
  );

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof subscriptionMappingWorkflow>(input);
}

/** An activity's failure as the update's answer: the operator's reason, not "Activity task failed". */
async function reason<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
    const type = cause instanceof ApplicationFailure ? cause.type ?? 'settings' : 'settings';
    throw ApplicationFailure.create({ message: cause instanceof Error ? cause.message : String(cause), type, nonRetryable: true });
  }
}
