// Connect → activation checks → templates on Temporal Schedules, through the same client functions
// the CLI uses (updates and a query on the connector workflow).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Database } from '../../db';
import { connect, connectorStatus, disableConnector, disableTemplate, enableTemplate, reconnect } from '../../src/client/connectors';
import { ConnectorStore } from '../../src/connector/store';
import { startSandbox, type Sandbox } from '../../src/sim';
import { scheduleIds } from '../../src/workflows/ids';
import { openDatabase, sql } from '../../db';
import { migrateDatabase } from '../../db/migrate';
import { createTestEnv, createTestWorker, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';

describe('connector', () => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let sandbox: Sandbox;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('connector');
  const ring = testKeyRing();

  beforeAll(async () => {
    env = await createTestEnv();
    database = await openDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 200 }, rateLimit: false } });
    worker = await createTestWorker(env, database, taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await sandbox?.stop();
    await database?.close();
    await env?.teardown();
  });
  afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

  it('activates: zone, authentication, resource, permissions, UDFs, vendor company, distributor', async () => {
    const view = await connect(env.client, taskQueue, ring, sandbox.connectRequest('good'));
    expect(view.checks.map((c) => [c.check, c.ok])).toEqual([
      ['zone', true], ['authentication', true], ['resource', true], ['permissions', true], ['udfs', true], ['vendor', true], ['billing', true], ['distributor', true],
    ]);
    expect(view.status).toBe('connected');
    expect(view.checks.find((c) => c.check === 'udfs')!.message).toMatch(/Created product UDFs/);
    const stored = await new ConnectorStore(database, ring).get('good');
    expect(stored.status).toBe('connected');
    expect(stored.settings.vendorCompanyId).toBe(sandbox.vendorCompanyId);
    expect(stored.settings.productSync.billingCodeId).toBe(sandbox.billingCodeId);
    // Credentials are sealed at rest.
    const raw = JSON.stringify(await database.query(sql`select * from connectors`));
    expect(raw).not.toContain(sandbox.connectRequest('x').autotask.secret);
    expect(raw).not.toContain(sandbox.connectRequest('x').distributor.clientSecret);
  });

  it('reports Authentication Failed with what to fix, and keeps the check results', async () => {
    const request = sandbox.connectRequest('badsecret');
    request.autotask.secret = 'wrong-secret';
    const view = await connect(env.client, taskQueue, ring, request);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/^Authentication failed/);
    expect(view.statusMessage).toMatch(/no extra spaces/);
    expect(view.statusMessage).not.toContain('wrong-secret');
    expect(view.checks.at(-1)).toMatchObject({ ok: false });
  });

  it('reports Permission Denied naming the entity and action', async () => {
    sandbox.autotask.addUser({ username: 'limited@sandbox.local', secret: 'Limited-1', integrationCode: 'LIMITED', resourceEmail: 'limited-admin@sandbox.local', permissions: { PurchaseOrders: { create: false } } });
    const request = sandbox.connectRequest('limited');
    request.email = 'limited-admin@sandbox.local';
    request.autotask = { username: 'limited@sandbox.local', secret: 'Limited-1', integrationCode: 'LIMITED' };
    const view = await connect(env.client, taskQueue, ring, request);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/Permission denied: the API user cannot create PurchaseOrders/);
  });

  it('refuses an e-mail that is not an active resource', async () => {
    const request = sandbox.connectRequest('noresource');
    request.email = 'nobody@nowhere.example';
    const view = await connect(env.client, taskQueue, ring, request);
    expect(view.status).toBe('error');
    expect(view.statusMessage).toMatch(/nobody@nowhere.example does not belong to any Autotask resource/);
  });

  it('enables templates one by one on schedules, in the recommended order', async () => {
    const before = await connectorStatus(env.client, 'good');
    expect(Object.values(before!.templates).every((t) => !t.enabled)).toBe(true);
    await expect(enableTemplate(env.client, 'good', 'submit-order')).rejects.toThrow(/Product Sync/);

    await enableTemplate(env.client, 'good', 'product-sync');
    const schedule = await env.client.schedule.getHandle(scheduleIds.template('good', 'product-sync')).describe();
    expect(schedule.state.paused).toBe(false);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }] });
    const status = await connectorStatus(env.client, 'good');
    expect(status!.templates['product-sync'].enabled).toBe(true);
    expect(status!.schedules['product-sync']?.nextRun).toBeInstanceOf(Date);

    await disableTemplate(env.client, 'good', 'product-sync');
    expect((await env.client.schedule.getHandle(scheduleIds.template('good', 'product-sync')).describe()).state.paused).toBe(true);
  });

  it('disables and reconnects', async () => {
    await enableTemplate(env.client, 'good', 'product-sync');
    const disabled = await disableConnector(env.client, 'good');
    expect(disabled.status).toBe('disabled');
    expect((await env.client.schedule.getHandle(scheduleIds.template('good', 'product-sync')).describe()).state.paused).toBe(true);
    await expect(enableTemplate(env.client, 'good', 'get-order-status')).rejects.toThrow(/disabled/);
    const back = await reconnect(env.client, 'good');
    expect(back.status).toBe('connected');
    expect((await env.client.schedule.getHandle(scheduleIds.template('good', 'product-sync')).describe()).state.paused).toBe(false);
  });
});
