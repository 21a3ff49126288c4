// Exactly once under crashes: the worker is SIGKILLed right after Autotask answered a contract
// service adjustment and before the engine recorded it as sent — three times — and a new worker
// finishes the tasks. Autotask must then hold exactly the adjustments an uninterrupted run of the
// same marketplace orders writes, and the same units in every billing period. Runs on PostgreSQL
// (the worker processes share it).
import { memoryLimiter } from '../../src/autotask/limits';
import { checkSubscriptions, listTasks, type MarketplaceScope } from '../../src/client/subscriptions';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { startWorkerChild, type WorkerChild } from '../helpers/crash-child';
import { useEngine } from '../helpers/engine';
import { uniqueTaskQueue } from '../helpers/temporal';
import { CLOUDBLUE, day, eventually, taskWorld, type TaskWorld } from './tasks-helpers';

const OFFER = 'CFQ7TTC0LH18_P1M';
const KILLS = 3;
const fast = { activityTimeoutMs: 4_000 };

describe('Subscription Sync exactly once under worker crashes', () => {
  const engine = useEngine({ database: 'postgres', worker: { limiter: memoryLimiter() } });
  const children: WorkerChild[] = [];
  afterAll(async () => {
    for (const c of children) await c.kill();
  });

  /** A connector whose marketplace customer, product and only contract are set up: tasks run without an operator. */
  async function world(): Promise<{ w: TaskWorld; scope: MarketplaceScope; contractId: number; serviceId: number; orders: string[] }> {
    const w = await taskWorld(engine);
    const scope = { connectorId: w.connectorId, integrationId: CLOUDBLUE };
    const market = w.sandbox.cloudblue.market;
    const customer = market.addCustomer({ name: 'Contoso Ltd', address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });
    const contractId = await w.contract(w.companyId);
    const serviceId = await w.service('Microsoft 365 Business Basic', 6, 4.2);
    // The same orders in both worlds: a sale, more seats, fewer seats, then more again.
    const { subscription, order } = market.purchase(customer.id, OFFER, 5, day(-24));
    const orders = [order.id];
    orders.push(market.changeQuantity(subscription.id, +3, day(-17)).id);
    orders.push(market.changeQuantity(subscription.id, -2, day(-10)).id);
    orders.push(market.changeQuantity(subscription.id, +4, day(-3)).id);
    const store = new SubscriptionStore(engine.database);
    await store.saveCustomerMapping({ ...scope, marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: w.companyId, companyName: 'Contoso', mappedBy: 'operator' });
    await store.saveProductMapping({ ...scope, marketplaceProductId: subscription.productId, marketplaceName: 'Microsoft 365 Business Basic', serviceId, serviceName: 'Microsoft 365 Business Basic', mappedBy: 'operator' });
    return { w, scope, contractId, serviceId, orders };
  }

  /** Adjustments as Autotask holds them (what a customer is billed from), in date order. */
  const adjustmentsOf = (w: TaskWorld, contractId: number) =>
    w.adjustments(contractId).map((a) => [String(a.effectiveDate).slice(0, 10), a.unitChange]).sort(([a], [b]) => String(a).localeCompare(String(b)));

  /** Units on the first day of every billing period the orders touched, and on each order's day. */
  async function unitsByDay(w: TaskWorld, contractId: number, serviceId: number): Promise<Record<string, number>> {
    const days = [day(-30), day(-24), day(-17), day(-10), day(-3), day(0), day(20), day(40), day(70)];
    return Object.fromEntries(await Promise.all(days.map(async (d, i) => [`+${i}:${d}`, await w.unitsOn(contractId, serviceId, d)] as const)));
  }

  async function allSynced(scope: MarketplaceScope, taskQueue: string, count: number): Promise<void> {
    await eventually(() => listTasks(engine.client, taskQueue, scope), (ts) => ts.length === count && ts.every((t) => t.state === 'synced'), 120_000, 'every task synced');
  }

  it('three SIGKILLs between send and record leave the same adjustments and units as an uninterrupted run', async () => {
    // The uninterrupted run, on the file's in-process worker.
    const control = await world();
    const first = await checkSubscriptions(engine.client, engine.taskQueue, control.scope, { auto: true, ...fast });
    expect(first.created).toHaveLength(control.orders.length);
    await allSynced(control.scope, engine.taskQueue, control.orders.length);
    const expected = adjustmentsOf(control.w, control.contractId);
    expect(expected.length).toBeGreaterThanOrEqual(control.orders.length);

    // The same orders with a worker that dies right after Autotask answers an adjustment.
    const crash = await world();
    const taskQueue = uniqueTaskQueue('sub-crash');
    let kills = 0;
    let sentBeforeKills = 0;
    for (; kills < KILLS; kills++) {
      const child = startWorkerChild(taskQueue, engine.database, { CHILD_HANG_AFTER_ADJUSTMENT: '1', CHILD_MAX_ACTIVITIES: '1' });
      children.push(child);
      await child.ready;
      if (kills === 0) await checkSubscriptions(engine.client, taskQueue, crash.scope, { auto: true, ...fast });
      await eventually(() => child.output(), (o) => o.includes('SENT'), 120_000, `adjustment sent before kill ${kills + 1}`).catch(async (err) => {
        throw new Error(`${(err as Error).message}\nadjustments: ${JSON.stringify(crash.w.sandbox.autotask.records('ContractServiceAdjustments'))} contract ${crash.contractId}\nintents: ${JSON.stringify(await new SubscriptionStore(engine.database).intentCounts(crash.scope.connectorId))}`);
      });
      await child.kill();
      sentBeforeKills = crash.w.adjustments(crash.contractId).length;
      if (sentBeforeKills === expected.length) {
        kills++;
        break; // every adjustment reached Autotask before the last kill: nothing left to crash on
      }
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    // Sent, never recorded as sent: the intents are still open.
    const store = new SubscriptionStore(engine.database);
    expect((await store.intentCounts(crash.scope.connectorId)).intended).toBeGreaterThan(0);

    // A healthy worker picks the tasks up: each open intent is reconciled before anything is sent again.
    const { worker } = await engine.worker({ taskQueue });
    await worker.runUntil(() => allSynced(crash.scope, taskQueue, crash.orders.length));

    expect(adjustmentsOf(crash.w, crash.contractId)).toEqual(expected);
    expect(await unitsByDay(crash.w, crash.contractId, crash.serviceId)).toEqual(await unitsByDay(control.w, control.contractId, control.serviceId));
    const counts = await store.intentCounts(crash.scope.connectorId);
    expect(counts.intended).toBe(0);
    expect(counts.sent + counts.confirmed).toBe(expected.length);
    // At least one adjustment whose answer died with a worker was found by reconciliation, not sent again.
    expect(counts.confirmed).toBeGreaterThan(0);
  }, 900_000);
});
