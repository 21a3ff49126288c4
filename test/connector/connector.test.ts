// Connect → activation checks → templates on Temporal Schedules, through the same client functions
// the CLI uses (updates and a query on the connector workflow).
import { addIntegration, checkIntegration, integrationInput, connect, connectorStatus, disableConnector, disableTemplate, enableTemplate, reconnect, removeIntegration } from '../../src/client/connectors';
import { ConnectorStore } from '../../src/connector/store';
import { scheduleIds } from '../../src/workflows/ids';
import { sql } from '../../db';
import { useEngine } from '../helpers/engine';
import { testKeyRing } from '../helpers/temporal';

describe('connector', () => {
  const engine = useEngine({ sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 200 }, rateLimit: false } }, worker: true });
  const ring = testKeyRing();
  // Every test makes its own connector on the shared sandbox.

  it('activates: zone, authentication, resource, permissions, UDFs, billing code; then each integration (vendor company, API)', async () => {
    const view = await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('good'));
    expect(view.checks.map((c) => [c.check, c.ok])).toEqual([
      ['zone', true], ['authentication', true], ['resource', true], ['permissions', true], ['udfs', true], ['billing', true], ['submit-status', true],
    ]);
    expect(view.integrations.map((i) => [i.id, i.status, i.checks.map((c) => [c.check, c.ok])])).toEqual([['ingram', 'connected', [['vendor', true], ['api', true], ['inventory', true]]]]);
    expect(view.status).toBe('connected');
    expect(view.checks.find((c) => c.check === 'udfs')!.message).toMatch(/Created product UDFs/);
    const store = new ConnectorStore(engine.database, ring);
    expect((await store.get('good')).status).toBe('connected');
    expect((await store.integration('good', 'ingram')).vendorCompanyId).toBe(engine.sandbox.vendorCompanyId);
    expect((await store.get('good')).settings.productSync.billingCodeId).toBe(engine.sandbox.billingCodeId);
    // Credentials are sealed at rest.
    const raw = JSON.stringify([await engine.database.query(sql`select * from connectors`), await engine.database.query(sql`select * from integrations`)]);
    expect(raw).not.toContain(engine.sandbox.connectRequest('x').autotask.secret);
    expect(raw).not.toContain(engine.sandbox.connectRequest('x').integrations![0].secrets.clientSecret);
  });

  it('a bad distributor configuration fails only its integration, and the status names it', async () => {
    const request = engine.sandbox.connectRequest('baddist');
    request.integrations![0].secrets.clientSecret = 'not-the-secret';
    const view = await connect(engine.client, engine.taskQueue, ring, request);
    expect(view.checks.every((c) => c.ok)).toBe(true);
    expect(view.checks.map((c) => c.check)).toContain('zone');
    const ingram = view.integrations.find((i) => i.id === 'ingram')!;
    expect(ingram.status).toBe('error');
    expect(ingram.statusMessage).toMatch(/^Authentication failed at Ingram Micro/);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/^Integration "ingram" \(Ingram Micro\): Authentication failed/);
    expect(JSON.stringify(view)).not.toContain('not-the-secret');
    // Fixing the integration alone brings the connector back.
    const fixed = await addIntegration(engine.client, ring, 'baddist', { id: 'ingram', kind: 'ingram', settings: request.integrations![0].settings, secrets: engine.sandbox.connectRequest('x').integrations![0].secrets });
    expect(fixed.integrations.find((i) => i.id === 'ingram')!.status).toBe('connected');
    expect(fixed.status).toBe('connected');
  });

  it('refuses integration values that do not fit the kind, naming the field, before anything is sent', () => {
    const { settings, secrets } = engine.sandbox.connectRequest('x').integrations![0];
    expect(() => integrationInput(ring, { kind: 'ingram', settings: { ...settings, customerNumber: undefined }, secrets: { ...secrets, clientSecret: '' } }))
      .toThrow(/^Ingram Micro: customerNumber: .+; clientSecret: .+/);
  });

  it("takes a distributor's vendor company by name or id when it is added", async () => {
    const request = engine.sandbox.connectRequest('vendor');
    const ingram = request.integrations![0];
    request.integrations = [{ ...ingram, vendorCompany: { name: 'Ingram Micro Inc' } }];
    const byName = await connect(engine.client, engine.taskQueue, ring, request);
    expect(byName.integrations[0].statusMessage).toBe('No vendor company named "Ingram Micro Inc" in Autotask: create it (type Vendor), or add the integration again with --vendor-company-name or --vendor-company-id');
    const byId = await addIntegration(engine.client, ring, 'vendor', { ...ingram, vendorCompany: { id: engine.sandbox.vendorCompanyId } });
    expect(byId.integrations[0].checks[0]).toEqual({ check: 'vendor', ok: true, message: `Vendor company ${engine.sandbox.vendorCompanyId} (Ingram Micro)` });
    expect((await new ConnectorStore(engine.database, ring).integration('vendor', 'ingram')).vendorCompanyId).toBe(engine.sandbox.vendorCompanyId);
  });

  it('adds, checks and removes integrations; templates follow their integration', async () => {
    const request = engine.sandbox.connectRequest('multi');
    const base = request.integrations![0];
    request.integrations = [];
    const bare = await connect(engine.client, engine.taskQueue, ring, request);
    expect(bare.status).toBe('connected');
    expect(bare.checks.map((c) => c.check)).toEqual(['zone', 'authentication', 'resource', 'permissions']);
    await expect(enableTemplate(engine.client, 'multi', 'product-sync')).rejects.toThrow(/needs a distributor/);

    const one = await addIntegration(engine.client, ring, 'multi', { ...base, id: 'ingram-us' });
    expect(one.checks.map((c) => c.check)).toEqual(['zone', 'authentication', 'resource', 'permissions', 'udfs', 'billing', 'submit-status']);
    await addIntegration(engine.client, ring, 'multi', { ...base, id: 'ingram-ca' });
    await expect(enableTemplate(engine.client, 'multi', 'product-sync')).rejects.toThrow(/several distributors \(ingram-us, ingram-ca\)/);
    await enableTemplate(engine.client, 'multi', 'product-sync', 'ingram-ca');
    expect((await engine.client.schedule.getHandle(scheduleIds.template('multi', 'product-sync', 'ingram-ca')).describe()).state.paused).toBe(false);
    const status = await connectorStatus(engine.client, 'multi');
    expect(status!.instances.filter((t) => t.template === 'product-sync').map((t) => [t.integrationId, t.enabled])).toEqual([['ingram-us', false], ['ingram-ca', true]]);

    const checked = await checkIntegration(engine.client, 'multi', 'ingram-us');
    expect(checked.integrations.find((i) => i.id === 'ingram-us')!.checks.map((c) => [c.check, c.ok])).toEqual([['vendor', true], ['api', true], ['inventory', true]]);
    const removed = await removeIntegration(engine.client, 'multi', 'ingram-ca');
    expect(removed.integrations.map((i) => i.id)).toEqual(['ingram-us']);
    expect(Object.keys(removed.templates)).toEqual([]);
    expect((await engine.client.schedule.getHandle(scheduleIds.template('multi', 'product-sync', 'ingram-ca')).describe()).state.paused).toBe(true);
    await expect(removeIntegration(engine.client, 'multi', 'nope')).rejects.toThrow(/has no integration "nope"/);
  });

  it('reports Authentication Failed with what to fix, and keeps the check results', async () => {
    const request = engine.sandbox.connectRequest('badsecret');
    request.autotask.secret = 'wrong-secret';
    const view = await connect(engine.client, engine.taskQueue, ring, request);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/^Authentication failed/);
    expect(view.statusMessage).toMatch(/no extra spaces/);
    expect(view.statusMessage).not.toContain('wrong-secret');
    expect(view.checks.at(-1)).toMatchObject({ ok: false });
  });

  it('reports Permission Denied naming the entity and action', async () => {
    engine.sandbox.autotask.addUser({ username: 'limited@engine.sandbox.local', secret: 'Limited-1', integrationCode: 'LIMITED', resourceEmail: 'limited-admin@engine.sandbox.local', permissions: { PurchaseOrders: { create: false } } });
    const request = engine.sandbox.connectRequest('limited');
    request.email = 'limited-admin@engine.sandbox.local';
    request.autotask = { username: 'limited@engine.sandbox.local', secret: 'Limited-1', integrationCode: 'LIMITED' };
    const view = await connect(engine.client, engine.taskQueue, ring, request);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/Permission denied: the API user cannot create PurchaseOrders/);
  });

  it('checks the Inventory entities only for a connector that writes distributor stock', async () => {
    engine.sandbox.autotask.addUser({ username: 'nostock@engine.sandbox.local', secret: 'NoStock-1', integrationCode: 'NOSTOCK', resourceEmail: 'nostock-admin@engine.sandbox.local', permissions: { InventoryStockedItemsAdd: { create: false } } });
    const request = (id: string, inventory: boolean) => {
      const r = engine.sandbox.connectRequest(id);
      r.email = 'nostock-admin@engine.sandbox.local';
      r.autotask = { username: 'nostock@engine.sandbox.local', secret: 'NoStock-1', integrationCode: 'NOSTOCK' };
      r.settings = { ...r.settings, productSync: { ...(r.settings?.productSync ?? {}), inventory: { enabled: inventory } } };
      return r;
    };
    expect((await connect(engine.client, engine.taskQueue, ring, request('nostock-off', false))).status).toBe('connected');
    const view = await connect(engine.client, engine.taskQueue, ring, request('nostock-on', true));
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/Permission denied: the API user cannot create InventoryStockedItemsAdd/);
  });

  it('refuses an e-mail that is not an active resource', async () => {
    const request = engine.sandbox.connectRequest('noresource');
    request.email = 'nobody@nowhere.example';
    const view = await connect(engine.client, engine.taskQueue, ring, request);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/nobody@nowhere.example does not belong to any Autotask resource/);
  });

  it('enables templates one by one on schedules, in the recommended order', async () => {
    await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('order'));
    const before = await connectorStatus(engine.client, 'order');
    expect(before!.instances.map((t) => [t.template, t.integrationId, t.enabled])).toEqual([
      ['product-sync', 'ingram', false], ['submit-order', 'ingram', false], ['get-order-status', 'ingram', false],
    ]);
    await expect(enableTemplate(engine.client, 'order', 'submit-order')).rejects.toThrow(/Product Sync/);

    await enableTemplate(engine.client, 'order', 'product-sync');
    const schedule = await engine.client.schedule.getHandle(scheduleIds.template('order', 'product-sync', 'ingram')).describe();
    expect(schedule.state.paused).toBe(false);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }] });
    expect(schedule.action).toMatchObject({ workflowType: 'productSyncWorkflow', workflowId: 'product-sync/order/ingram', args: [{ connectorId: 'order', integrationId: 'ingram', trigger: 'schedule' }] });
    const status = await connectorStatus(engine.client, 'order');
    const instance = status!.instances.find((t) => t.template === 'product-sync')!;
    expect(instance.enabled).toBe(true);
    expect(instance.schedule?.nextRun).toBeInstanceOf(Date);

    await disableTemplate(engine.client, 'order', 'product-sync');
    expect((await engine.client.schedule.getHandle(scheduleIds.template('order', 'product-sync', 'ingram')).describe()).state.paused).toBe(true);
  });

  it('disables and reconnects', async () => {
    await connect(engine.client, engine.taskQueue, ring, engine.sandbox.connectRequest('toggle'));
    await enableTemplate(engine.client, 'toggle', 'product-sync');
    const disabled = await disableConnector(engine.client, 'toggle');
    expect(disabled.status).toBe('disabled');
    expect((await engine.client.schedule.getHandle(scheduleIds.template('toggle', 'product-sync', 'ingram')).describe()).state.paused).toBe(true);
    await expect(enableTemplate(engine.client, 'toggle', 'get-order-status')).rejects.toThrow(/disabled/);
    // Checking an integration of a disabled connector leaves it disabled, its templates paused.
    const checked = await checkIntegration(engine.client, 'toggle', 'ingram');
    expect(checked.integrations[0].status).toBe('connected');
    expect(checked.status).toBe('disabled');
    expect((await engine.client.schedule.getHandle(scheduleIds.template('toggle', 'product-sync', 'ingram')).describe()).state.paused).toBe(true);
    const back = await reconnect(engine.client, 'toggle');
    expect(back.status).toBe('connected');
    expect((await engine.client.schedule.getHandle(scheduleIds.template('toggle', 'product-sync', 'ingram')).describe()).state.paused).toBe(false);
  });
});
