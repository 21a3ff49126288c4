// Workflows whose recorded histories guard against nondeterministic changes. Each scenario runs
// one workflow to completion on a worker the recorder provides; add one per workflow.
import type { Client } from '@temporalio/client';
import type { Database } from '../../db';
import { submitPurchaseOrder } from '../../src/client/orders';
import type { OrderView } from '../../src/orders/types';
import type { ProductSyncResult } from '../../src/workflows/product-sync';
import { workflowIds } from '../../src/workflows/ids';
import { connect, enableTemplate } from '../../src/client/connectors';
import { saveConnectedConnector } from '../helpers/connector';
import { withSandbox } from '../helpers/sandbox';
import type { Sandbox } from '../../src/sim';
import { testKeyRing } from '../helpers/temporal';
import { catalogSkus, connectOrdersConnector, createPurchaseOrder, eventually, linkProducts } from '../orders/helpers';
import { checkSubscriptions, chooseTaskContract, mapTaskCustomer, mapTaskProduct, syncTask } from '../../src/client/subscriptions';
import { MARKET_SANDBOX, day } from '../subscriptions/tasks-helpers';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { SUBSCRIPTION_CHECK_WORKFLOW_TYPE, type SubscriptionCheckResult } from '../../src/workflows/messages/subscriptions';

export interface ScenarioContext {
  client: Client;
  taskQueue: string;
  /** The recorder's (migrated, in-memory) database, shared with the worker's activities. */
  database: Database;
}

export const scenarios: Record<string, (ctx: ScenarioContext) => Promise<string>> = {
  // Connect (update-with-start, activation checks) and enable Product Sync on its schedule.
  connector: ({ client, taskQueue }) =>
    withSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 50, seed: 3 }, rateLimit: false } }, async (sandbox) => {
      const ring = testKeyRing();
      const view = await connect(client, taskQueue, ring, sandbox.connectRequest('replay-connector'));
      if (view.status !== 'connected') throw new Error(view.statusMessage);
      await enableTemplate(client, 'replay-connector', 'product-sync');
      const handle = client.workflow.getHandle(workflowIds.connector('replay-connector'));
      await handle.terminate('recorded');
      return handle.workflowId;
    }),
  // A whole Product Sync run on a small catalog: pages, deactivation plan, finish.
  'product-sync': ({ client, taskQueue, database }) =>
    withSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 250, seed: 3 }, rateLimit: false } }, async (sandbox) => {
      await saveConnectedConnector(database, testKeyRing(), sandbox, 'replay-ps');
      const handle = await client.workflow.start('productSyncWorkflow', { workflowId: 'replay/product-sync', taskQueue, args: [{ connectorId: 'replay-ps' }] });
      await handle.result();
      return handle.workflowId;
    }),
  // The same in three page lanes (productSync.parallelPages): lane activities scheduled together,
  // each lane's next page as its activity completes, and the run's end once every lane has ended.
  'product-sync-lanes': ({ client, taskQueue, database }) =>
    withSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 600, seed: 3 }, rateLimit: false } }, async (sandbox) => {
      await saveConnectedConnector(database, testKeyRing(), sandbox, 'replay-lanes', { productSync: { parallelPages: 3, pagesPerActivity: 1 } });
      const handle = await client.workflow.start('productSyncWorkflow', { workflowId: 'replay/product-sync-lanes', taskQueue, args: [{ connectorId: 'replay-lanes' }] });
      const result = (await handle.result()) as ProductSyncResult;
      if (result.lanes?.length !== 3) throw new Error(`expected a run in 3 lanes, got ${JSON.stringify(result.lanes)}`);
      return handle.workflowId;
    }),
  'engine-check': async ({ client, taskQueue }) => {
    const handle = await client.workflow.start('engineCheckWorkflow', { workflowId: 'replay/engine-check', taskQueue, args: [{ marker: 'replay' }] });
    await handle.result();
    return handle.workflowId;
  },
  // One PO through the whole lifecycle on the sandbox: submit (update-with-start), processing,
  // shipped, delivered, closed (invoiced).
  'order-lifecycle': ({ client, taskQueue, database }) =>
    withSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 100, seed: 3 }, rateLimit: false, msPerStep: 0 } }, async (sandbox) => {
      await connectOrdersConnector(database, sandbox, 'replay');
      const [s] = catalogSkus(sandbox).filter((x) => x.stock >= 5);
      const [productId] = await linkProducts(database, sandbox, 'replay', [s.sku]);
      const poId = createPurchaseOrder(sandbox, { lines: [{ productId, quantity: 2 }] });
      const outcome = await submitPurchaseOrder(client, taskQueue, 'replay', poId, { activityTimeoutMs: 10_000 });
      const handle = client.workflow.getHandle(workflowIds.order('replay', poId));
      const state = () => handle.query<OrderView>('order');
      await eventually(state, (v) => v.state === 'processing');
      for (const [action, next] of [['ship', 'shipped'], ['deliver', 'delivered']] as const) {
        sandbox.ingram.state.orders.advance(outcome.distributorOrderIds[0], action);
        await eventually(state, (v) => v.state === next);
      }
      sandbox.ingram.state.orders.advance(outcome.distributorOrderIds[0], 'invoice');
      await handle.result();
      return handle.workflowId;
    }),
  // Check Changes with a task stored without a workflow (as after an interrupted check): one new
  // task from the marketplace, the stored one already known; both get their workflow, the stored one
  // through the pending step at the end.
  'subscription-check': ({ client, taskQueue, database }) =>
    withSandbox(MARKET_SANDBOX, async (sandbox) => {
      const { scope, market, customer } = await marketWithCustomer(database, sandbox, 'replay-check', 'Replay Check Ltd');
      const stored = market.purchase(customer.id, 'CFQ7TTC0LH18_P1M', 2, day(-3));
      market.purchase(customer.id, 'CFQ7TTC0LH18_P1M', 4, day(-2));
      await new SubscriptionStore(database).insertTasks([{
        ...scope, taskId: `order:${stored.order.id}`, eventId: `order:${stored.order.id}`, type: 'sales', customerId: customer.id,
        subscriptionId: null, productId: null, effectiveDate: day(-3), event: {}, eventCreatedAt: new Date(`${day(-3)}T00:00:00Z`),
      }]);
      const handle = await client.workflow.start(SUBSCRIPTION_CHECK_WORKFLOW_TYPE, {
        workflowId: 'replay/subscription-check', taskQueue, args: [{ ...scope, trigger: 'manual', auto: false, activityTimeoutMs: 15_000 }],
      });
      const result = (await handle.result()) as SubscriptionCheckResult;
      if (result.created.length !== 1 || result.existing !== 1 || result.started !== 2) throw new Error(`unexpected check: ${JSON.stringify(result)}`);
      return handle.workflowId;
    }),
  // One sync task through every decision: customer and product mapped inside the task, contract
  // chosen, planned (automatic off), synced.
  'subscription-task': ({ client, taskQueue, database }) =>
    withSandbox(MARKET_SANDBOX, async (sandbox) => {
      const { scope, market, customer } = await marketWithCustomer(database, sandbox, 'replay-subs', 'Replay Ltd');
      market.purchase(customer.id, 'CFQ7TTC0LH18_P1M', 3, day(-2));
      sandbox.autotask.seed('BillingCodes', [{ name: 'Recurring services', useType: 4, isActive: true }]);
      const [contractId] = sandbox.autotask.seed('Contracts', [{
        companyID: sandbox.customerCompanyId, contractName: 'Cloud services', contractType: 7, contractPeriodType: 2, status: 1,
        startDate: `${day(-90)}T00:00:00.000Z`, endDate: `${day(300)}T00:00:00.000Z`, timeReportingRequiresStartAndStopTimes: 0,
      }]);
      const { created: [taskId] } = await checkSubscriptions(client, taskQueue, scope, { auto: false, activityTimeoutMs: 15_000 });
      const handle = client.workflow.getHandle(workflowIds.subscriptionTask(scope.connectorId, scope.integrationId, taskId));
      await eventually(() => handle.query<{ state: string }>('taskView'), (v) => v.state === 'action_required');
      await mapTaskCustomer(client, scope, taskId, sandbox.customerCompanyId, 'replay');
      await mapTaskProduct(client, scope, taskId, { create: true }, 'replay');
      await chooseTaskContract(client, scope, taskId, contractId, 'replay');
      await syncTask(client, scope, taskId, 'replay');
      await handle.result();
      return handle.workflowId;
    }),
};

/** A connected connector of the market sandbox, and one UK customer in its CloudBlue market. */
async function marketWithCustomer(database: Database, sandbox: Sandbox, connectorId: string, name: string) {
  await saveConnectedConnector(database, testKeyRing(), sandbox, connectorId);
  const market = sandbox.cloudblue.market;
  const customer = market.addCustomer({ name, address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });
  return { scope: { connectorId, integrationId: 'cloudblue' }, market, customer };
}
