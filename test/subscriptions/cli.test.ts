// Subscription Sync through the real CLI (a child process, as an operator runs it): task lists and
// customer mappings are updates of the integration's mapping workflow; the CLI never opens the database.
import { memoryLimiter } from '../../src/autotask/limits';
import { checkSubscriptions, taskView } from '../../src/client/subscriptions';
import { useEngine } from '../helpers/engine';
import { operatorCli } from './cli-helpers';
import { CLOUDBLUE, day, eventually, taskWorld } from './tasks-helpers';

describe('subscription commands', () => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });

  it('tasks list, tasks show and mapping customers (list, map) through the CLI', async () => {
    const w = await taskWorld(engine);
    const scope = { connectorId: w.connectorId, integrationId: CLOUDBLUE };
    const customer = w.sandbox.cloudblue.market.addCustomer({ name: 'Wingtip Toys Ltd', address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });
    w.sandbox.cloudblue.market.purchase(customer.id, 'CFQ7TTC0LH18_P1M', 3, day(-2));
    const { created: [taskId] } = await checkSubscriptions(engine.client, engine.taskQueue, scope, { auto: false, activityTimeoutMs: 15_000 });
    await eventually(() => taskView(engine.client, engine.taskQueue, scope, taskId), (v) => v.state === 'action_required', 30_000, 'task waiting');

    const cli = operatorCli(engine, w.connectorId, CLOUDBLUE);

    const list = await cli(['tasks', 'list', '--state', 'action_required']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${taskId}\\s+sales\\s+action_required \\(customer\\)\\s+${day(-2)}\\s+customer ${customer.id}`, 'm'));

    const show = await cli(['tasks', 'show', taskId]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/waiting for a customer decision/);
    expect(show.stdout).toContain(`next: map the customer: \`autotask-bridge tasks map-customer ${taskId} <company id>\``);

    const unmapped = await cli(['mapping', 'customers', '--unmapped']);
    expect(unmapped.code).toBe(0);
    expect(unmapped.stdout).toContain(`${customer.id}  Wingtip Toys Ltd  → not mapped`);

    const mapped = await cli(['mapping', 'customers', 'map', customer.id, String(w.companyId)]);
    expect(mapped.stderr).toBe('');
    expect(mapped.stdout).toMatch(new RegExp(`Customer Wingtip Toys Ltd \\(${customer.id}\\) mapped to .* \\(${w.companyId}\\)`));

    const refused = await cli(['tasks', 'sync', taskId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/waits for a customer decision.*only a planned task can be synced/);
  }, 400_000);
});
