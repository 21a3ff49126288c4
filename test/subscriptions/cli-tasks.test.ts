// `tasks sync --all` and `subscriptions reconcile [--create-tasks]` through the real CLI (a child process, as an
// operator runs it) against the test's dev server, worker and simulators.
import { reconcileTaskId } from '../../src/activities/subscriptions/contracts';
import { memoryLimiter } from '../../src/autotask/limits';
import { checkSubscriptions, chooseTaskContract, mapCustomer, mapProduct, taskView, type MarketplaceScope } from '../../src/client/subscriptions';
import type { TaskView } from '../../src/subscriptions/types';
import { useEngine } from '../helpers/engine';
import { operatorCli } from './cli-helpers';
import { CLOUDBLUE, day, eventually, taskWorld } from './tasks-helpers';

const OFFER = 'CFQ7TTC0LH18_P1M';
const KEEPER = 'KPR-BUS_P1M';

describe('subscription commands: tasks sync --all, subscriptions reconcile', () => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });

  it('sync --all applies every planned task and nothing else; reconcile lists a manual edit, changes nothing, and --create-tasks creates the fixing task once', async () => {
    const w = await taskWorld(engine);
    const scope: MarketplaceScope = { connectorId: w.connectorId, integrationId: CLOUDBLUE };
    const view = (taskId: string) => taskView(engine.client, engine.taskQueue, scope, taskId);
    const waitFor = (taskId: string, ok: (v: TaskView) => boolean, label: string) => eventually(() => view(taskId), ok, 30_000, `${taskId} ${label}`);
    const market = w.sandbox.cloudblue.market;
    const address = { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' };
    const customer = market.addCustomer({ name: 'Contoso Ltd', address });
    const m365 = market.purchase(customer.id, OFFER, 3, day(-5));
    const keeper = market.purchase(customer.id, KEEPER, 2, day(-4));
    const unmapped = market.purchase(market.addCustomer({ name: 'Litware Ltd', address }).id, OFFER, 1, day(-3));

    const companyId = await w.company('Contoso Limited');
    const contractId = await w.contract(companyId);
    const [m365Service, keeperService] = [await w.service('Microsoft 365 Business Basic'), await w.service('Keeper Business', 3.1, 2.6)];
    await mapCustomer(engine.client, engine.taskQueue, scope, customer.id, companyId);
    await mapProduct(engine.client, engine.taskQueue, scope, market.product(OFFER).id, { serviceId: m365Service });
    await mapProduct(engine.client, engine.taskQueue, scope, market.product(KEEPER).id, { serviceId: keeperService });

    const { created } = await checkSubscriptions(engine.client, engine.taskQueue, scope, { auto: false, activityTimeoutMs: 15_000 });
    const [m365Task, keeperTask, unmappedTask] = [m365, keeper, unmapped].map((p) => `order:${p.order.id}`);
    expect(created).toEqual([m365Task, keeperTask, unmappedTask]);
    // Automatic processing is off: the mapped ones wait for the contract to be confirmed; choosing it plans them.
    for (const taskId of [m365Task, keeperTask]) {
      await waitFor(taskId, (v) => v.state === 'action_required' && v.waitingFor === 'contract', 'waiting for the contract');
      expect(await chooseTaskContract(engine.client, scope, taskId, contractId)).toMatchObject({ state: 'planned' });
    }
    await waitFor(unmappedTask, (v) => v.state === 'action_required' && v.waitingFor === 'customer', 'waiting for the customer');
    expect(w.adjustments(contractId)).toEqual([]);

    const cli = operatorCli(engine, w.connectorId, CLOUDBLUE);
    const synced = await cli(['tasks', 'sync', '--all']);
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(synced.stdout.trim().split('\n')).toEqual([`${m365Task}: synced`, `${keeperTask}: synced`]);
    expect(await w.unitsOn(contractId, m365Service, day(-1))).toBe(3);
    expect(await w.unitsOn(contractId, keeperService, day(-1))).toBe(2);
    expect(await view(unmappedTask)).toMatchObject({ state: 'action_required', waitingFor: 'customer' });
    const nothing = await cli(['tasks', 'sync', '--all']);
    expect(nothing).toMatchObject({ code: 0, stdout: 'No planned tasks\n' });
    expect(w.adjustments(contractId)).toHaveLength(2);

    // Someone adds 2 seats directly in Autotask; reconciliation (this month, the default period) finds it and changes nothing.
    await w.autotask.contractServiceAdjustments.create(contractId, { serviceID: m365Service, unitChange: 2, effectiveDate: `${day(-1)}T00:00:00.000` });
    const period = new Date().toISOString().slice(0, 7);
    const listed = await cli(['subscriptions', 'reconcile']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`Reconciled 2 subscription(s) for ${period}: 1 drift(s)`);
    expect(listed.stdout).toMatch(new RegExp(`subscription ${m365.subscription.id} quantity: marketplace 3, Autotask 5 — .*manual edit in Autotask`));
    expect(listed.stdout).toContain('Nothing was changed; `--create-tasks` creates the tasks that fix the drift');
    const fixId = reconcileTaskId(m365.subscription.id, period);
    await expect(view(fixId)).rejects.toThrow();

    const fixing = await cli(['subscriptions', 'reconcile', '--create-tasks']);
    expect(fixing.code).toBe(0);
    expect(fixing.stdout).toContain(`Tasks created: ${fixId}`);
    // The fixing task runs like any other: its subscription's contract is known, so it is planned and waits for `tasks sync`.
    const fix = await waitFor(fixId, (v) => v.state === 'planned', 'planned');
    expect(fix.plan).toMatchObject({ currentQuantity: 5, newQuantity: 3, writes: [expect.objectContaining({ kind: 'adjustment', unitChange: -2 })] });
    expect(w.adjustments(contractId)).toHaveLength(3);

    const again = await cli(['subscriptions', 'reconcile', '--create-tasks']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('Tasks created');
    expect(again.stdout).toMatch(new RegExp(`subscription ${m365.subscription.id} quantity: .* not synced yet`));
  }, 600_000);
});
