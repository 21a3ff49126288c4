// The customer export end to end: real dev server, worker and activities, the Autotask simulator and
// the webhook export target's receiving simulator; the Autotask webhook receiver where a test needs it.
import { createAutotaskClient } from '../../src/autotask/client';
import { memoryLimiter } from '../../src/autotask/limits';
import { SANDBOX_AUTOTASK_USER } from '../../src/sim';
import { sign } from '../../src/autotask/sim/rules/contracts-webhooks';
import { contractSim } from '../../src/autotask/sim/rules/contracts';
import { ExportStore } from '../../src/exports/store';
import { startExportReceiver, type ExportReceiver } from '../../src/exports/receiver';
import { DEFAULT_VENDOR } from '../../src/exports/documents';
import { upsertTemplateSchedule } from '../../src/client/schedules';
import { parseSettings } from '../../src/connector/settings';
import { customerExportTemplate } from '../../src/templates/customer-export';
import { scheduleIds } from '../../src/workflows/ids';
import { exportWorkflowIds, type ExportRetryResult, type ExportStatus } from '../../src/workflows/messages/export';
import { useEngine } from '../helpers/engine';
import { testKeyRing } from '../helpers/temporal';
import { EXPORT_SANDBOX, connectExport, docsOf, runExport, seedCompany, seedContract, uiClient } from './helpers';

jest.setTimeout(90_000);

describe('customer export', () => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });
  let n = 0;
  const receivers: ExportReceiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  async function setup(settings: Record<string, unknown> = {}) {
    const sandbox = await engine.startSandbox(EXPORT_SANDBOX);
    const C = `export-${++n}-${Date.now().toString(36)}`;
    sandbox.autotask.addUdf('Contracts', 'Vendor');
    await connectExport(engine.database, sandbox, C, settings);
    return { sandbox, C, run: (o: { full?: boolean } = {}) => runExport(engine.client, engine.taskQueue, C, o) };
  }

  async function receiver() {
    const r = await startExportReceiver({ database: engine.database, ring: testKeyRing(), client: engine.client, taskQueue: engine.taskQueue, quietMs: 1500 });
    receivers.push(r);
    return r;
  }

  it('exports active customers and their contracts, with and without vendor, and never re-sends an unchanged record', async () => {
    const { sandbox, run } = await setup();
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd', address1: '1 Main St', city: 'Leeds', webAddress: 'alpha.example' });
    const inactive = seedCompany(sandbox, { companyName: 'Sleepy Co', isActive: false });
    const lead = seedCompany(sandbox, { companyName: 'Maybe Inc', companyType: 2 });
    const k1 = seedContract(sandbox, { companyID: a, contractName: 'Microsoft 365', estimatedCost: 420.5, userDefinedFields: [{ name: 'Vendor', value: 'Microsoft' }] });
    const k2 = seedContract(sandbox, { companyID: a, contractName: 'Managed Services', estimatedCost: 1000 });
    const k3 = seedContract(sandbox, { companyID: lead, contractName: 'Trial', estimatedCost: 5 });

    const first = await run();
    expect(first.full).toBe(true);
    expect(docsOf(sandbox, 'customer', a)).toHaveLength(1);
    expect(docsOf(sandbox, 'customer', a)[0]).toMatchObject({ type: 'customer.upserted', version: 1, customer: { name: 'Alpha Ltd', address: { street1: '1 Main St', city: 'Leeds' }, websites: ['alpha.example'] } });
    expect(docsOf(sandbox, 'customer', inactive)).toHaveLength(0);
    expect(docsOf(sandbox, 'customer', lead)).toHaveLength(0);
    expect(docsOf(sandbox, 'contract', k1)[0]).toMatchObject({ type: 'contract.upserted', contract: { companyName: 'Alpha Ltd', vendorName: 'Microsoft', contractName: 'Microsoft 365', overallCost: 420.5 } });
    expect(docsOf(sandbox, 'contract', k2)[0]).toMatchObject({ contract: { vendorName: DEFAULT_VENDOR, overallCost: 1000 } });
    expect(docsOf(sandbox, 'contract', k3)).toHaveLength(0);
    // Alpha and the sandbox's own customer (Contoso).
    expect(first.customers.delivered).toBe(2);
    expect(first.contracts.delivered).toBe(2);

    const total = sandbox.webhook.documents().length;
    const again = await run();
    expect(again.full).toBe(false);
    const forced = await run({ full: true });
    expect(forced.customers.unchanged + forced.contracts.unchanged).toBe(4);
    expect(again.customers.delivered + again.contracts.delivered + forced.customers.delivered + forced.contracts.delivered).toBe(0);
    expect(sandbox.webhook.documents()).toHaveLength(total);
    expect(sandbox.webhook.duplicates()).toBe(0);
  });

  it('polling picks up changes made while no webhook arrived: inactive → active, a rename reaching the contracts, a deactivation', async () => {
    const { sandbox, run } = await setup();
    const ui = uiClient(sandbox);
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd' });
    const b = seedCompany(sandbox, { companyName: 'Bravo Ltd', isActive: false });
    const k = seedContract(sandbox, { companyID: a, contractName: 'Backup', estimatedCost: 10 });
    await run();
    expect(docsOf(sandbox, 'customer', b)).toHaveLength(0);

    await ui.companies.update({ id: b, isActive: true });
    await ui.companies.update({ id: a, companyName: 'Alpha Group' });
    const pass = await run();
    expect(pass.full).toBe(false);
    expect(docsOf(sandbox, 'customer', b)).toEqual([expect.objectContaining({ type: 'customer.upserted', version: 1, customer: expect.objectContaining({ name: 'Bravo Ltd' }) })]);
    expect(docsOf(sandbox, 'contract', k).map((d) => d.type === 'contract.upserted' && d.contract.companyName)).toEqual(['Alpha Ltd', 'Alpha Group']);

    await ui.companies.update({ id: a, isActive: false });
    await run();
    await run();
    expect(docsOf(sandbox, 'customer', a).map((d) => d.type)).toEqual(['customer.upserted', 'customer.upserted', 'customer.deactivated']);
    expect(sandbox.webhook.duplicates()).toBe(0);
  });

  it("exports the active contacts' e-mail addresses, read once per page of companies, and an incremental pass notices a contact change", async () => {
    const { sandbox, run } = await setup();
    const ui = uiClient(sandbox);
    // Records last changed an hour ago, and a newer one (a lead) that sets the cursor: later passes read the customers again only for what changes.
    const now = new Date(Date.now() - 3_600_000).toISOString();
    const [a, b, lead] = [
      seedCompany(sandbox, { companyName: 'Alpha Ltd', lastTrackedModifiedDateTime: now }), seedCompany(sandbox, { companyName: 'Bravo Ltd', lastTrackedModifiedDateTime: now }),
      seedCompany(sandbox, { companyName: 'Maybe Inc', companyType: 2, lastTrackedModifiedDateTime: now }),
    ];
    seedCompany(sandbox, { companyName: 'Newer Lead', companyType: 2, lastTrackedModifiedDateTime: new Date(Date.now() - 600_000).toISOString() });
    const [jane, old] = sandbox.autotask.seed('Contacts', [
      { companyID: a, firstName: 'Jane', lastName: 'Doe', emailAddress: 'jane@alpha.example', emailAddress2: 'ap@alpha.example', isActive: 1, primaryContact: false, lastModifiedDate: now },
      { companyID: a, firstName: 'Old', lastName: 'Timer', emailAddress: 'old@alpha.example', isActive: 0, primaryContact: false, lastModifiedDate: now },
      { companyID: a, firstName: 'Max', lastName: 'Boss', emailAddress: 'max@alpha.example', isActive: 1, primaryContact: true, lastModifiedDate: now },
      { companyID: b, firstName: 'Bo', lastName: 'Bravo', emailAddress: 'bo@bravo.example', isActive: 1, primaryContact: true, lastModifiedDate: now },
      { companyID: lead, firstName: 'Lea', lastName: 'Lead', emailAddress: 'lea@maybe.example', isActive: 1, primaryContact: true, lastModifiedDate: now },
    ]);
    sandbox.autotask.sim.counts.clear();
    await run();
    expect(docsOf(sandbox, 'customer', a)[0]).toMatchObject({ customer: { emails: ['max@alpha.example', 'jane@alpha.example', 'ap@alpha.example'] } });
    expect(docsOf(sandbox, 'customer', b)[0]).toMatchObject({ customer: { emails: ['bo@bravo.example'] } });
    // One page of companies: one Contacts query for all its customers (not one per company).
    expect(sandbox.autotask.sim.counts.get('POST /V1.0/Contacts/query')).toBe(1);

    // Contacts change in the UI (no company webhook fires for them): the next pass notices both.
    await ui.contacts.update(a, { id: jane, emailAddress: 'jane.doe@alpha.example' });
    await ui.contacts.update(a, { id: old, isActive: 1 });
    const pass = await run();
    expect(pass.full).toBe(false);
    // Alpha was read again for its contacts (the lead for its own change date), Bravo was not.
    expect(pass.customers.read).toBe(2);
    expect(docsOf(sandbox, 'customer', a).map((d) => d.type === 'customer.upserted' && d.customer.emails)).toEqual([
      ['max@alpha.example', 'jane@alpha.example', 'ap@alpha.example'],
      ['max@alpha.example', 'jane.doe@alpha.example', 'ap@alpha.example', 'old@alpha.example'],
    ]);
    expect(docsOf(sandbox, 'customer', b)).toHaveLength(1);
    expect(docsOf(sandbox, 'customer', lead)).toHaveLength(0);
    // Nothing changed since: nothing sent.
    const quiet = await run();
    expect(quiet.customers.delivered).toBe(0);
    expect(sandbox.webhook.duplicates()).toBe(0);
  });

  it('polls on the target\'s pollMinutes: the schedule is made from the integration\'s settings', async () => {
    const C = `export-schedule-${Date.now().toString(36)}`;
    const scheduleId = scheduleIds.template(C, customerExportTemplate.name, 'webhook');
    const base = { connectorId: C, integrationId: 'webhook', template: customerExportTemplate, settings: parseSettings({}), taskQueue: engine.taskQueue, paused: true, note: 'test' };
    const every = async () => (await engine.client.schedule.getHandle(scheduleId).describe()).spec.intervals?.[0]?.every;
    try {
      await upsertTemplateSchedule(engine.client, { ...base, integrationSettings: { url: 'https://x.example', pollMinutes: 30 } });
      expect(await every()).toBe(30 * 60_000);
      // The target's settings changed (integrations add again): the schedule follows.
      await upsertTemplateSchedule(engine.client, { ...base, integrationSettings: { url: 'https://x.example', pollMinutes: 60 } });
      expect(await every()).toBe(60 * 60_000);
      await upsertTemplateSchedule(engine.client, { ...base, integrationSettings: undefined });
      expect(await every()).toBe(15 * 60_000);
    } finally {
      await engine.client.schedule.getHandle(scheduleId).delete();
    }
  });

  it('says so when contracts are on but customers are off, and exports only contracts', async () => {
    const { sandbox, run } = await setup({ syncCustomers: false, syncContracts: true });
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd' });
    const k = seedContract(sandbox, { companyID: a, contractName: 'Backup', estimatedCost: 10 });
    const result = await run();
    expect(result.warning).toMatch(/enable Active Customers too so the profile is complete/);
    expect(docsOf(sandbox, 'customer', a)).toHaveLength(0);
    expect(docsOf(sandbox, 'contract', k)).toHaveLength(1);
  });

  it('dead-letters what the target refuses, and `export retry` delivers it once the target is back', async () => {
    const { sandbox, C, run } = await setup({ pollMinutes: 30 });
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd' });
    const k = seedContract(sandbox, { companyID: a, contractName: 'Backup', estimatedCost: 10 });
    sandbox.webhook.setFaults({ errorRate: 1, errorStatus: 503 });
    const failed = await run();
    const contoso = sandbox.customerCompanyId;
    expect(failed.customers.dead + failed.contracts.dead).toBe(3);
    expect(sandbox.webhook.documents()).toHaveLength(0);

    const status = (await engine.client.workflow.execute('customerExportCommandWorkflow', {
      taskQueue: engine.taskQueue, workflowId: `test-export-status/${C}`, args: [{ connectorId: C, command: 'status' }],
    })) as ExportStatus;
    expect(status.deadLetters.map((d) => `${d.kind}:${d.recordId}`).sort()).toEqual([`contract:${k}`, `customer:${a}`, `customer:${contoso}`].sort());
    expect(status.deadLetters[0].error).toMatch(/503/);
    expect(status.pollMinutes).toBe(30);

    // A later pass does not resend dead letters by itself (nothing changed).
    sandbox.webhook.setFaults({ errorRate: 0 });
    const quiet = await run();
    expect(quiet.customers.delivered + quiet.contracts.delivered).toBe(0);

    const retried = (await engine.client.workflow.execute('customerExportCommandWorkflow', {
      taskQueue: engine.taskQueue, workflowId: `test-export-retry/${C}`, args: [{ connectorId: C, command: 'retry', all: true }],
    })) as ExportRetryResult;
    expect(retried).toMatchObject({ tried: 3, delivered: 3, dead: 0 });
    expect(docsOf(sandbox, 'customer', a)).toHaveLength(1);
    expect(docsOf(sandbox, 'contract', k)).toHaveLength(1);
    const rows = await new ExportStore(engine.database).deadLetters({ connectorId: C, integrationId: 'webhook' });
    expect(rows).toHaveLength(0);
  });

  it('receiver: a good signature starts the export; a bad or missing one (Deactivated included) is 401 and nothing happens', async () => {
    const r = await receiver();
    const { sandbox, C, run } = await setup({ receiverUrl: r.url });
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd' });
    const first = await run();
    expect(first.webhook).toMatch(/created CompanyWebhook/);
    const hook = sandbox.autotask.records('CompanyWebhooks')[0];
    const secret = String(hook.secretKey);
    const url = `${r.url}/autotask/webhook/${C}/webhook`;
    const deactivation = `${r.url}/autotask/deactivated/${C}/webhook`;
    const body = (action: string, id: number) => JSON.stringify({ Action: action, Guid: 'g', EntityType: 'Company', Id: id, Fields: {}, EventTime: new Date().toISOString(), SequenceNumber: 1, PersonID: 1 });
    const post = (to: string, b: string, signature?: string) => fetch(to, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'X-Hook-Signature': signature } : {}) }, body: b });
    const companyWorkflow = (id: number) => engine.client.workflow.getHandle(exportWorkflowIds.company(C, 'webhook', id));
    const exists = async (id: number) => companyWorkflow(id).describe().then(() => true, () => false);

    expect((await post(url, body('Update', 999_001))).status).toBe(401);
    expect((await post(url, body('Update', 999_002), sign('wrong-secret', body('Update', 999_002)))).status).toBe(401);
    expect((await post(url, body('Update', 999_003), sign(secret, body('Update', 999_004)))).status).toBe(401);
    expect((await post(deactivation, body('Deactivated', hook.id))).status).toBe(401);
    expect((await post(deactivation, body('Deactivated', hook.id), sign('wrong-secret', body('Deactivated', hook.id)))).status).toBe(401);
    for (const id of [999_001, 999_002, 999_003]) expect(await exists(id)).toBe(false);
    const store = new ExportStore(engine.database);
    expect((await store.target({ connectorId: C, integrationId: 'webhook' }))?.webhookDeactivatedAt).toBeNull();
    expect(r.counts.unauthorized).toBe(5);

    sandbox.autotask.store.get('Companies', a)!.phone = '+44 1000';
    const good = body('Update', a);
    expect((await post(url, good, sign(secret, good))).status).toBe(200);
    expect(await companyWorkflow(a).result()).toEqual({ events: 1, exports: 1 });
    expect(docsOf(sandbox, 'customer', a).at(-1)).toMatchObject({ version: 2, customer: { phones: [{ type: 'main', number: '+44 1000' }] } });

    const off = body('Deactivated', hook.id);
    expect((await post(deactivation, off, sign(secret, off))).status).toBe(200);
    expect((await store.target({ connectorId: C, integrationId: 'webhook' }))?.webhookDeactivatedAt).toBeInstanceOf(Date);
    // The next pass re-enables a webhook Autotask turned off.
    hook.isActive = false;
    expect((await run()).webhook).toMatch(/re-enabled CompanyWebhook/);
    expect(sandbox.autotask.records('CompanyWebhooks')[0].isActive).toBe(true);
  });

  it('polling picks up a change made while the receiver was down (Autotask gave up delivering it)', async () => {
    const r = await receiver();
    const { sandbox, C, run } = await setup({ receiverUrl: r.url });
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd' });
    const b = seedCompany(sandbox, { companyName: 'Bravo Ltd', isActive: false });
    expect((await run()).webhook).toMatch(/created CompanyWebhook/);
    const sim = contractSim(sandbox.autotask.store);
    sim.webhookTiming({ retryDelayMs: 20, attempts: 2 });
    const before = sim.deliveries().length;
    await r.close();

    const ui = uiClient(sandbox);
    await ui.companies.update({ id: b, isActive: true });
    await ui.companies.update({ id: a, phone: '+44 2000' });
    await sim.idle();
    const attempts = sim.deliveries().slice(before);
    expect(attempts).toHaveLength(4);
    expect(attempts.every((d) => !d.ok)).toBe(true);
    expect(r.counts.accepted ?? 0).toBe(0);
    expect(docsOf(sandbox, 'customer', b)).toHaveLength(0);

    const pass = await run();
    expect(pass.full).toBe(false);
    expect(docsOf(sandbox, 'customer', b)).toEqual([expect.objectContaining({ type: 'customer.upserted', version: 1, customer: expect.objectContaining({ name: 'Bravo Ltd' }) })]);
    expect(docsOf(sandbox, 'customer', a).at(-1)).toMatchObject({ version: 2, customer: { phones: [{ type: 'main', number: '+44 2000' }] } });
    const companyWorkflow = engine.client.workflow.getHandle(exportWorkflowIds.company(C, 'webhook', b));
    expect(await companyWorkflow.describe().then(() => true, () => false)).toBe(false);
    expect(sandbox.webhook.duplicates()).toBe(0);
  });

  it('a burst of 50 updates to one company through Autotask webhooks is one export', async () => {
    const r = await receiver();
    const { sandbox, C, run } = await setup({ receiverUrl: r.url });
    const a = seedCompany(sandbox, { companyName: 'Alpha Ltd' });
    await run();
    expect(sandbox.autotask.records('CompanyWebhookExcludedResources')).toHaveLength(1);
    const ui = uiClient(sandbox);
    for (let i = 1; i <= 50; i++) await ui.companies.update({ id: a, phone: `+1 555 ${String(i).padStart(4, '0')}` });
    await contractSim(sandbox.autotask.store).idle();
    expect(r.counts.accepted).toBe(50);
    const result = await engine.client.workflow.getHandle(exportWorkflowIds.company(C, 'webhook', a)).result();
    expect(result).toEqual({ events: 50, exports: 1 });
    const docs = docsOf(sandbox, 'customer', a);
    expect(docs).toHaveLength(2);
    expect(docs[1]).toMatchObject({ version: 2, customer: { phones: [{ type: 'main', number: '+1 555 0050' }] } });

    // Our own API user's writes do not echo back (it is excluded from the webhook).
    const sim = contractSim(sandbox.autotask.store);
    const before = sim.deliveries().length;
    const own = createAutotaskClient({ credentials: { username: SANDBOX_AUTOTASK_USER.username, secret: SANDBOX_AUTOTASK_USER.secret, integrationCode: SANDBOX_AUTOTASK_USER.integrationCode }, discoveryUrl: sandbox.autotask.discoveryUrl, limiter: false });
    await own.companies.update({ id: a, phone: '+1 555 9999' });
    await ui.companies.update({ id: a, fax: '+1 555 8888' });
    await sim.idle();
    expect(sim.deliveries().slice(before).map((d) => JSON.parse(d.body).Fields)).toEqual([{ fax: '+1 555 8888' }]);
    expect(await engine.client.workflow.getHandle(exportWorkflowIds.company(C, 'webhook', a)).result()).toEqual({ events: 1, exports: 1 });
  });
});
