// Recurring-service contracts, companies and company webhooks: the client against the simulator
// over real HTTP, contract checks on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { f } from '../../src/autotask';
import { parseWebhookDelivery, verifyWebhookSignature } from '../../src/autotask/contracts';
import type { AutotaskSim } from '../../src/autotask/sim';
import { contractSim } from '../../src/autotask/sim/rules/contracts';
import { COMPANY_WEBHOOK_FIELDS } from '../../src/autotask/sim/rules/contracts-webhooks';
import { clientFor, raw, startSim, USER } from './helpers';

const V = '/atservicesrest/V1.0';
let at: AutotaskSim;
let client: ReturnType<typeof clientFor>;
let resourceId: number;
let recurringCode: number;
let laborCode: number;

beforeAll(async () => {
  at = await startSim();
});
afterAll(() => at.stop());
beforeEach(() => {
  at.reset();
  resourceId = at.addUser(USER).resourceId!;
  [recurringCode, laborCode] = at.seed('BillingCodes', [
    { name: 'Recurring', useType: 4, isActive: true },
    { name: 'Labor', useType: 1, isActive: true },
  ]);
  client = clientFor(at);
});
afterEach(() => {
  expect(at.sim.takeViolations()).toEqual([]);
});

async function caught(p: Promise<unknown>): Promise<Error & { kind?: string; details?: string[] }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

async function company(name = 'Contoso'): Promise<number> {
  return client.companies.create({ companyName: name, companyType: 1, phone: '555-0100', ownerResourceID: resourceId, address1: '1 Main St', city: 'Springfield', webAddress: 'https://contoso.example' });
}

async function recurringContract(companyID: number, extra: Record<string, unknown> = {}): Promise<number> {
  return client.contracts.create({
    companyID, contractName: 'Cloud', contractType: 7, contractPeriodType: 2, status: 1,
    startDate: '2024-01-01T00:00:00Z', endDate: '2024-12-31T00:00:00Z', timeReportingRequiresStartAndStopTimes: 0, ...extra,
  });
}

async function service(name = 'M365 E3', unitPrice = 30): Promise<number> {
  return client.services.create({ name, unitPrice, unitCost: 20, periodType: 2, billingCodeID: recurringCode });
}

describe('Contracts', () => {
  it('needs an existing company and, for recurring service, a period type that cannot change later', async () => {
    const c = await company();
    expect((await caught(recurringContract(9999))).message).toMatch(/does not reference an existing entity for companyID/);
    expect((await caught(recurringContract(c, { contractPeriodType: null }))).message).toMatch(/contractPeriodType/);
    const id = await recurringContract(c);
    await client.contracts.update({ id, contractName: 'Cloud 2024' });
    const err = await caught(client.contracts.update({ id, contractPeriodType: 5 }));
    expect(err.message).toMatch(/contractPeriodType cannot be changed/);
    expect(await client.contracts.get(id)).toMatchObject({ contractName: 'Cloud 2024', contractPeriodType: 2, contractType: 7 });
    const fields = await client.metadata.fields('Contracts');
    expect(fields.find((x) => x.name === 'contractType')?.picklistValues?.find((p) => p.label === 'Recurring Service')?.value).toBe('7');
  });
});

describe('Services and ContractServices', () => {
  it('creates services only on an active recurring-contract billing code and hides costs without permission', async () => {
    expect((await caught(client.services.create({ name: 'X', unitPrice: 1, periodType: 2, billingCodeID: laborCode }))).message).toMatch(/Recurring Contract/);
    const id = await service();
    expect((await client.services.get(id))?.unitCost).toBe(20);
    contractSim(at.store).hideCosts(USER.username);
    await client.services.update({ id, unitCost: 1, unitPrice: 35 });
    contractSim(at.store).hideCosts(USER.username, false);
    expect(await client.services.get(id)).toMatchObject({ unitCost: 20, unitPrice: 35 });
  });

  it('adds services only to recurring-service contracts, and allows only adjustedPrice and invoiceDescription later', async () => {
    const c = await company();
    const tm = await client.contracts.create({ companyID: c, contractName: 'T&M', contractType: 1, status: 1, startDate: '2024-01-01T00:00:00Z', endDate: '2024-12-31T00:00:00Z', timeReportingRequiresStartAndStopTimes: 0 });
    const svc = await service();
    expect((await caught(client.contractServices.create(tm, { serviceID: svc }))).message).toMatch(/Recurring Service contract/);
    const contract = await recurringContract(c);
    const csId = await client.contractServices.create(contract, { serviceID: svc });
    expect(await client.contractServices.get(csId)).toMatchObject({ unitPrice: 30, contractID: contract });
    await client.contractServices.update(contract, { id: csId, adjustedPrice: 27.5, invoiceDescription: 'Microsoft 365 E3' });
    expect(await client.contractServices.get(csId)).toMatchObject({ adjustedPrice: 27.5, internalCurrencyAdjustedPrice: 27.5, invoiceDescription: 'Microsoft 365 E3' });
    const err = await caught(client.contractServices.update(contract, { id: csId, unitPrice: 1 }));
    expect(err.message).toMatch(/unitPrice is read-only/);
    // No units on the entity: the spec's model has none, and neither does the record.
    expect(Object.keys((await client.contractServices.get(csId))!)).not.toContain('units');
  });
});

describe('ContractServiceAdjustments and ContractServiceUnits', () => {
  it('adds the service, splits units per period at each adjustment, and bills March prorated', async () => {
    const c = await company();
    const contract = await recurringContract(c);
    const svc = await service();
    await client.contractServiceAdjustments.create(contract, { serviceID: svc, unitChange: 10, effectiveDate: '2024-03-01T00:00:00Z', adjustedUnitPrice: 12, adjustedUnitCost: 8 });
    await client.contractServiceAdjustments.create(contract, { serviceID: svc, unitChange: 5, effectiveDate: '2024-03-16T00:00:00Z' });
    await client.contractServiceAdjustments.create(contract, { serviceID: svc, unitChange: -3, effectiveDate: '2024-04-11T00:00:00Z' });
    const services = await client.contractServices.forParent(contract);
    expect(services).toHaveLength(1);
    const units = await client.contractServiceUnits.query(f.eq('contractServiceID', services[0].id));
    // Rows come in id order; a split adds a row after the ones already there.
    const shown = units.items.map((u) => [u.startDate?.slice(0, 10), u.endDate?.slice(0, 10), u.units]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(shown.slice(0, 5)).toEqual([
      ['2024-03-01', '2024-03-16', 10],
      ['2024-03-16', '2024-03-31', 15],
      ['2024-04-01', '2024-04-11', 15],
      ['2024-04-11', '2024-04-30', 12],
      ['2024-05-01', '2024-05-31', 12],
    ]);
    expect(units.items).toHaveLength(12); // Mar and Apr split once each (4), May..Dec one row each (8)
    const viaParent = await raw(at, 'GET', `${V}/Contracts/${contract}/ServiceUnits`);
    expect(viaParent.body.items).toHaveLength(12);
    const march = contractSim(at.store).billedFor(contract, svc, '2024-03-10');
    expect(march).toMatchObject({ amount: 150.96, costAmount: 100.65, endUnits: 15, period: { start: '2024-03-01', end: '2024-03-31' } });
    expect(contractSim(at.store).billedFor(contract, svc, '2024-06-01').amount).toBe(144); // 12 units × 12
  });

  it('rejects a second adjustment on the same day with Autotask’s duplicate text, and dates outside the contract', async () => {
    const contract = await recurringContract(await company());
    const svc = await service();
    await client.contractServiceAdjustments.create(contract, { serviceID: svc, unitChange: 4, effectiveDate: '2024-02-01T00:00:00Z' });
    const dup = await caught(client.contractServiceAdjustments.create(contract, { serviceID: svc, unitChange: 1, effectiveDate: '2024-02-01T00:00:00Z' }));
    expect(dup.message).toMatch(/Attempt to insert duplicate data into contract_service_period/);
    const outside = await raw(at, 'POST', `${V}/Contracts/${contract}/ServiceAdjustments`, { contractID: contract, serviceID: svc, unitChange: 1, effectiveDate: '2025-02-01T00:00:00Z' });
    expect(outside.status).toBe(500);
    expect(outside.body.errors[0]).toMatch(/between the contract's start date/);
    expect(at.records('ContractServiceAdjustments')).toHaveLength(1);
  });

  it('cannot be queried or read back', async () => {
    const query = await raw(at, 'POST', `${V}/ContractServiceAdjustments/query`, { filter: [{ op: 'gte', field: 'id', value: 0 }] });
    expect(query.status).toBe(405);
    const get = await raw(at, 'GET', `${V}/ContractServiceAdjustments/1`);
    expect(get.status).toBe(405);
    // Neither operation exists in the spec: the client has no way to send them.
    expect(at.sim.takeViolations().every((v) => /no such operation in the spec/.test(v))).toBe(true);
    expect('query' in client.contractServiceAdjustments).toBe(false);
  });
});

describe('ContractCharges', () => {
  it('creates and queries charges through Contracts/{id}/Charges', async () => {
    const contract = await recurringContract(await company());
    const id = await client.contractCharges.create(contract, { name: 'Setup', chargeType: 1, status: 1, datePurchased: '2024-02-03T00:00:00Z', unitQuantity: 2, unitPrice: 50, unitCost: 30 });
    expect(await client.contractCharges.forParent(contract)).toEqual([expect.objectContaining({ id, billableAmount: 100, extendedCost: 60, isBilled: false })]);
    // Child writes go through the parent only; the root path has no POST (and the spec has no such operation).
    expect((await raw(at, 'POST', `${V}/ContractCharges`, { contractID: contract, name: 'x' })).status).toBe(405);
    const violations = at.sim.takeViolations();
    expect(violations.filter((v) => /V1\.0\/ContractCharges: no such operation/.test(v))).toHaveLength(1);
    expect(violations.filter((v) => !/no such operation/.test(v))).toEqual([]);
  });
});

describe('Companies and Contacts', () => {
  it('stamps lastTrackedModifiedDateTime so changed companies can be queried, and exposes what a customer export needs', async () => {
    const a = await company('A');
    const b = await company('B');
    const stamp = (await client.companies.get(b))!.lastTrackedModifiedDateTime!;
    await new Promise((r) => setTimeout(r, 5));
    await client.companies.update({ id: a, phone: '555-0199' });
    const changed = await client.companies.query(f.gt('lastTrackedModifiedDateTime', stamp));
    expect(changed.items.map((x) => x.id)).toEqual([a]);
    const contact = await client.contacts.create(a, { firstName: 'Ada', lastName: 'Lovelace', isActive: 1, emailAddress: 'ada@example.com', emailAddress2: 'ada2@example.com', mobilePhone: '555-0101', linkedInUrl: 'https://linkedin.example/ada' });
    expect(await client.contacts.get(contact)).toMatchObject({ emailAddress2: 'ada2@example.com', mobilePhone: '555-0101', linkedInUrl: 'https://linkedin.example/ada' });
    expect(await client.companies.get(a)).toMatchObject({ address1: '1 Main St', city: 'Springfield', phone: '555-0199', webAddress: 'https://contoso.example', isActive: true });
  });
});

describe('CompanyWebhooks', () => {
  let receiver: http.Server;
  let url: string;
  let status = 200;
  const got: Array<{ path: string; raw: string; signature?: string }> = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        got.push({ path: req.url ?? '', raw: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-hook-signature'] as string | undefined });
        res.statusCode = req.url === '/deactivated' ? 200 : status;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
  beforeEach(() => {
    got.length = 0;
    status = 200;
  });

  const fieldId = (name: string) => COMPANY_WEBHOOK_FIELDS.find(([, n]) => n === name)![0];
  const secretKey = 'wh-secret-0123456789';

  async function webhook(): Promise<number> {
    const id = await client.companyWebhooks.create({
      name: 'Bridge', webhookUrl: `${url}/hook`, deactivationUrl: `${url}/deactivated`, secretKey, isActive: true,
      isSubscribedToCreateEvents: true, isSubscribedToUpdateEvents: true, isSubscribedToDeleteEvents: true,
    });
    await client.companyWebhookFields.create(id, { fieldID: fieldId('companyName'), isSubscribedField: true, isDisplayAlwaysField: false });
    await client.companyWebhookFields.create(id, { fieldID: fieldId('phone'), isSubscribedField: true, isDisplayAlwaysField: false });
    await client.companyWebhookFields.create(id, { fieldID: fieldId('webAddress'), isSubscribedField: false, isDisplayAlwaysField: true });
    return id;
  }

  it('signs deliveries of subscribed changes; the signature verifies against the raw body', async () => {
    const id = await webhook();
    expect((await client.companyWebhooks.get(id))?.isReady).toBe(true);
    const fields = await client.metadata.fields('CompanyWebhookFields');
    expect(fields.find((x) => x.name === 'fieldID')?.picklistValues?.find((p) => p.label === 'phone')?.value).toBe(String(fieldId('phone')));
    const c = await company('Smith & Søn <Ltd> + Co');
    await client.companies.update({ id: c, city: 'Shelbyville' }); // not a subscribed field: no event
    await client.companies.update({ id: c, phone: '555-0142' });
    contractSim(at.store).deleteCompany(c);
    await contractSim(at.store).idle();
    expect(got.map((g) => g.path)).toEqual(['/hook', '/hook', '/hook']);
    for (const g of got) expect(verifyWebhookSignature(g.raw, g.signature, secretKey)).toBe(true);
    expect(verifyWebhookSignature(g0().raw, g0().signature, 'other-secret')).toBe(false);
    expect(verifyWebhookSignature(g0().raw.replace('Create', 'Update'), g0().signature, secretKey)).toBe(false);
    expect(verifyWebhookSignature(g0().raw, undefined, secretKey)).toBe(false);
    expect(g0().raw).toContain('Smith \\u0026 S\\u00F8n \\u003CLtd\\u003E \\u002B Co'); // Autotask's escaping, signed as sent
    const events = got.map((g) => parseWebhookDelivery(g.raw, g.signature, secretKey));
    expect(events.map((e) => e.Action)).toEqual(['Create', 'Update', 'Delete']);
    expect(events[0]).toMatchObject({ EntityType: 'Company', Id: c, PersonID: resourceId, SequenceNumber: 1, Fields: { companyName: 'Smith & Søn <Ltd> + Co', phone: '555-0100', webAddress: 'https://contoso.example' } });
    expect(events[1].Fields).toEqual({ phone: '555-0142', webAddress: 'https://contoso.example' });
    expect(events[2].SequenceNumber).toBe(3);
    expect(() => parseWebhookDelivery(g0().raw, 'sha1=AAAA', secretKey)).toThrow(/X-Hook-Signature/);
  });

  function g0() {
    return got[0];
  }

  it('skips changes made by an excluded resource', async () => {
    const id = await webhook();
    await client.companyWebhookExcludedResources.create(id, { resourceID: resourceId });
    const c = await company();
    await client.companies.update({ id: c, phone: '555-0143' });
    await contractSim(at.store).idle();
    expect(got).toEqual([]);
    const [excluded] = await client.companyWebhookExcludedResources.forParent(id);
    await client.companyWebhookExcludedResources.delete(id, excluded.id);
    await client.companies.update({ id: c, phone: '555-0144' });
    await contractSim(at.store).idle();
    expect(got).toHaveLength(1);
  });

  it('deactivates the webhook after 25 failed deliveries in a row and calls the deactivation URL', async () => {
    const sim = contractSim(at.store);
    sim.webhookTiming({ retryDelayMs: 1, attempts: 5 });
    const id = await webhook();
    const c = await company();
    await sim.idle();
    status = 500;
    for (let i = 0; i < 4; i++) await client.companies.update({ id: c, phone: `555-02${i}0` });
    await sim.idle();
    expect((await client.companyWebhooks.get(id))?.isActive).toBe(true); // 20 failed attempts so far
    await client.companies.update({ id: c, phone: '555-0299' });
    await sim.idle();
    expect((await client.companyWebhooks.get(id))?.isActive).toBe(false);
    const hooks = got.filter((g) => g.path === '/hook');
    expect(hooks).toHaveLength(1 + 25);
    const deactivation = got.filter((g) => g.path === '/deactivated');
    expect(deactivation).toHaveLength(1);
    expect(parseWebhookDelivery(deactivation[0].raw, deactivation[0].signature, secretKey)).toMatchObject({ Action: 'Deactivated', Id: id });
    await client.companies.update({ id: c, phone: '555-0300' });
    await sim.idle();
    expect(got.filter((g) => g.path === '/hook')).toHaveLength(26); // inactive: nothing more is sent
  });

  it('deletes a webhook (calling its deactivation URL) and its fields', async () => {
    const id = await webhook();
    const fields = await client.companyWebhookFields.forParent(id);
    await client.companyWebhookFields.delete(id, fields[0].id);
    expect(await client.companyWebhookFields.forParent(id)).toHaveLength(2);
    await client.companyWebhooks.delete(id);
    await contractSim(at.store).idle();
    expect(await client.companyWebhooks.get(id)).toBeNull();
    expect(got.map((g) => g.path)).toEqual(['/deactivated']);
  });
});
