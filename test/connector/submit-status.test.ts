// Submit Order's PO status: proposed by LABEL from the database's PurchaseOrders.status picklist at
// activation, never used until an operator confirms it (settings / templates enable), and old stored
// settings (`submitStatuses`) still parse.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import type { PicklistValue } from '../../src/autotask/schemas/common';
import { connect, connectorStatus, submitStatus, updateSettings } from '../../src/client/connectors';
import { submitPurchaseOrder } from '../../src/client/orders';
import { parseSettings, submitStatusFilter } from '../../src/connector/settings';
import { ConnectorStore } from '../../src/connector/store';
import { activeStatusOptions, proposeSubmitStatus } from '../../src/connector/submit-status';
import { BridgeError } from '../../src/failures';
import { workflowIds } from '../../src/workflows/ids';
import { runCli } from '../helpers/cli';
import { useEngine } from '../helpers/engine';
import { TEST_KEY_SPEC, testKeyRing } from '../helpers/temporal';
import { catalogSkus, createPurchaseOrder, linkProducts, simOrders } from '../orders/helpers';

/** A picklist as Autotask's entityInformation/fields returns it. */
const picklist = (values: Array<[number, string, boolean?]>): PicklistValue[] =>
  values.map(([value, label, isActive = true], i) => ({ value: String(value), label, isActive, sortOrder: i, isDefaultValue: i === 0, isSystem: false, parentValue: null }));
const proposed = (values: Array<[number, string, boolean?]>) => proposeSubmitStatus(activeStatusOptions(picklist(values)));

const NOT_CONFIRMED = /Submit Order submits nothing until an operator confirms.*`autotask-bridge settings \[--id <connector>\] --submit-status <label>` or `autotask-bridge templates enable submit-order`/;

describe('proposing the submit status by label', () => {
  it('takes the label that reads like "ready to order", whatever its value, and never a draft, cancelled or received status', () => {
    expect(proposed([[1, 'New'], [2, 'Submitted'], [3, 'Received Partial'], [4, 'Received Full'], [5, 'Cancel'], [6, 'Back Order']])).toEqual({ value: 2, label: 'Submitted' });
    // Another database numbers its statuses differently: the label decides.
    expect(proposed([[7, 'Submitted'], [1, 'New'], [3, 'Cancel']])).toEqual({ value: 7, label: 'Submitted' });
    // A status made for it beats the generic "Submitted"; an inactive one is never proposed.
    expect(proposed([[1, 'New'], [2, 'Submitted'], [9, 'Ready to Order']])).toEqual({ value: 9, label: 'Ready to Order' });
    expect(proposed([[1, 'New'], [2, 'Submitted'], [9, 'Ready to Order', false]])).toEqual({ value: 2, label: 'Submitted' });
    expect(proposed([[1, 'Pending Approval'], [2, 'Not Approved'], [3, 'Approved'], [4, 'Submitted']])).toEqual({ value: 3, label: 'Approved' });
    expect(proposed([[1, 'New'], [2, 'Draft'], [3, 'Received Full'], [4, 'Cancelled'], [5, 'Back Order']])).toBeUndefined();
  });
});

describe('stored settings', () => {
  it('a connector stored without the field parses, unconfirmed, and nothing may be submitted', () => {
    const settings = parseSettings({ orders: { trackUntil: 'shipped' } });
    expect(settings.orders.submitStatus).toEqual({ values: [], labels: [], confirmed: false });
    expect(settings.orders.trackUntil).toBe('shipped');
    expect(() => submitStatusFilter(settings.orders)).toThrow(NOT_CONFIRMED);
  });

  it('the old `submitStatuses`: the default [1] stays unconfirmed, any other list counts as confirmed', () => {
    const legacyDefault = parseSettings({ orders: { submitStatuses: [1] } }).orders;
    expect(legacyDefault.submitStatus).toMatchObject({ values: [1], confirmed: false });
    let thrown: unknown;
    try {
      submitStatusFilter(legacyDefault);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(BridgeError);
    expect((thrown as BridgeError).kind).toBe('settings');
    expect((thrown as BridgeError).message).toMatch(/activation proposed 1, not yet confirmed/);
    const chosen = parseSettings({ orders: { submitStatuses: [2, 6] } }).orders;
    expect(chosen.submitStatus).toMatchObject({ values: [2, 6], confirmed: true });
    expect(submitStatusFilter(chosen)).toEqual([2, 6]);
  });
});

describe('submit status on the engine', () => {
  const engine = useEngine({ sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 200, seed: 5 }, rateLimit: false, msPerStep: 0 } }, worker: true });
  const ring = testKeyRing();
  const stored = async (connectorId: string) => (await new ConnectorStore(engine.database, ring).get(connectorId)).settings.orders.submitStatus;
  /** Lifecycle workflows a test started stop with it (a rejected one has already ended). */
  const stopOrder = async (connectorId: string, poId: number) => {
    const handle = engine.client.workflow.getHandle(workflowIds.order(connectorId, poId));
    if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
  };
  const activities = () => createActivities({ database: engine.database, ring, temporal: engine.client, taskQueue: engine.taskQueue, limiter: false });

  it('activation proposes "Submitted" by its label, says so, and does not confirm it; scan and manual submit refuse', async () => {
    const view = await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('ss-proposed'));
    expect(view.status).toBe('connected');
    const check = view.checks.find((c) => c.check === 'submit-status')!;
    expect(check).toMatchObject({ ok: true, warning: true });
    expect(check.message).toMatch(/^Proposed purchase order status "Submitted" \(2\) for Submit Order, chosen by its label .*not confirmed: nothing is submitted/);
    expect(await stored('ss-proposed')).toEqual({ values: [2], labels: ['Submitted'], confirmed: false });

    // The scheduled scan refuses before reading a single PO.
    const scan = new MockActivityEnvironment().run(activities().scanPurchaseOrders, { connectorId: 'ss-proposed', integrationId: 'ingram' });
    await expect(scan).rejects.toThrow(NOT_CONFIRMED);

    // A manual submit of a valid PO refuses too, and nothing reaches the distributor.
    const [s] = catalogSkus(engine.sandbox).filter((x) => x.stock >= 5);
    const [productId] = await linkProducts(engine.database, engine.sandbox, 'ss-proposed', [s.sku]);
    const poId = createPurchaseOrder(engine.sandbox, { lines: [{ productId, quantity: 1 }], status: 2 });
    const outcome = await submitPurchaseOrder(engine.client, engine.taskQueue, 'ss-proposed', poId, { activityTimeoutMs: 10_000 });
    try {
      expect(outcome.accepted).toBe(false);
      expect(outcome.message).toMatch(NOT_CONFIRMED);
      expect(simOrders(engine.sandbox, `AT-${poId}`)).toHaveLength(0);
    } finally {
      await stopOrder('ss-proposed', poId);
    }
  });

  it('confirmation by label (any case) is recorded, shown by status, and lets the scan pick up POs in that status', async () => {
    await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('ss-confirm'));
    await expect(submitStatus(engine.client, 'ss-confirm', { statuses: ['Shipped'], confirm: true })).rejects.toThrow(/no active purchase order status "Shipped": the active ones are New \(1\), Submitted \(2\), Received Partial \(3\)/);
    // `settings --set` cannot forge a confirmation: the status goes through --submit-status.
    await expect(updateSettings(engine.client, 'ss-confirm', { orders: { submitStatus: { values: [1], confirmed: true } } })).rejects.toThrow(/--submit-status/);
    expect((await stored('ss-confirm')).confirmed).toBe(false);

    createPurchaseOrder(engine.sandbox, { lines: [], status: 2 });
    const inStatus = engine.sandbox.autotask.records('PurchaseOrders').filter((r) => r.status === 2 && r.vendorID === engine.sandbox.vendorCompanyId).length;
    const confirmed = await submitStatus(engine.client, 'ss-confirm', { statuses: ['submitted'], confirm: true, by: 'settings --submit-status' });
    expect(confirmed).toMatchObject({ values: [2], labels: ['Submitted'], confirmed: true, confirmedBy: 'settings --submit-status', waiting: inStatus });
    expect(await stored('ss-confirm')).toMatchObject({ values: [2], labels: ['Submitted'], confirmed: true, confirmedBy: 'settings --submit-status' });
    const check = (await connectorStatus(engine.client, 'ss-confirm'))!.checks.find((c) => c.check === 'submit-status')!;
    expect(check.warning).toBeUndefined();
    expect(check.message).toMatch(/^Submit Order picks up purchase orders in status "Submitted" \(2\) \(confirmed by settings --submit-status on /);

    // A later activation keeps the confirmation.
    const again = await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('ss-confirm'));
    expect(again.checks.find((c) => c.check === 'submit-status')!.message).toMatch(/^Submit Order picks up purchase orders in status "Submitted" \(2\) \(confirmed/);

    const counts = await new MockActivityEnvironment().run(activities().scanPurchaseOrders, { connectorId: 'ss-confirm', integrationId: 'ingram' });
    try {
      expect(inStatus).toBeGreaterThan(0);
      expect(counts).toMatchObject({ found: inStatus, started: inStatus });
    } finally {
      for (const r of engine.sandbox.autotask.records('PurchaseOrders').filter((x) => x.status === 2)) await stopOrder('ss-confirm', r.id);
    }
  });

  it('an old stored `submitStatuses` other than the default is kept as confirmed, and activation names its label', async () => {
    const view = await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('ss-legacy', { orders: { submitStatuses: [2] } }));
    expect(view.checks.find((c) => c.check === 'submit-status')).toMatchObject({ ok: true, message: expect.stringMatching(/^Submit Order picks up purchase orders in status "Submitted" \(2\) \(confirmed by submitStatuses setting/) });
    expect(await stored('ss-legacy')).toMatchObject({ values: [2], labels: ['Submitted'], confirmed: true });
  });

  it('the CLI: `templates enable submit-order` prints the proposal and will not go on unconfirmed; --yes and `settings --submit-status` confirm', async () => {
    await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('ss-cli'));
    const cli = (args: string[]) => runCli([...args, '--id', 'ss-cli'], { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, BRIDGE_TASK_QUEUE: engine.taskQueue, BRIDGE_ENCRYPTION_KEY: TEST_KEY_SPEC }, { timeoutMs: 110_000 });

    // No terminal to ask on: the proposal is printed, nothing is confirmed or enabled.
    const asked = await cli(['templates', 'enable', 'submit-order']);
    expect(asked.code).toBe(1);
    expect(asked.stdout).toMatch(/in status "Submitted" \(value 2\) \(proposed by its label; the statuses are New \(1\), Submitted \(2\),/);
    expect(asked.stderr).toMatch(/Submit Order not enabled: confirm the status with --yes, or choose the status with --submit-status <label>/);
    expect((await stored('ss-cli')).confirmed).toBe(false);

    // --yes confirms the proposal (enabling itself then waits for Product Sync to have completed once).
    const yes = await cli(['templates', 'enable', 'submit-order', '--yes']);
    expect(yes.stdout).toMatch(/Submit Order picks up purchase orders in status "Submitted" \(value 2\) \(confirmed\)/);
    expect(yes.stderr).toMatch(/Product Sync/);
    expect(await stored('ss-cli')).toMatchObject({ values: [2], confirmed: true, confirmedBy: 'templates enable submit-order --yes' });

    const set = await cli(['settings', '--submit-status', 'received partial', '--submit-status', '2']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/in status "Received Partial" \(value 3\), "Submitted" \(value 2\) \(confirmed\)/);
    expect(await stored('ss-cli')).toMatchObject({ values: [3, 2], labels: ['Received Partial', 'Submitted'], confirmed: true, confirmedBy: 'settings --submit-status' });
  }, 240_000);
});
