// Customer import (seed 004 "Importing Customers", issue 14): Autotask customers into CloudBlue and Pax8
// over real HTTP to their simulators — Import All takes complete profiles only and says why it skipped
// the others, importing twice makes one customer, a create whose answer was lost is not repeated, and
// imported customers are mapped. The profile rules themselves are tested pure at the end.
import type { Database } from '../../db';
import { importActivities } from '../../src/activities/subscriptions/import';
import { ConnectorClientCache } from '../../src/connector/clients';
import { startSandbox, type Sandbox } from '../../src/sim';
import { buildNewCustomer, importExternalId, passwordProblem, profileProblems } from '../../src/subscriptions/import';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { saveConnectedConnector } from '../helpers/connector';
import { testDatabases } from '../helpers/db';
import { testKeyRing } from '../helpers/temporal';

const CONNECTOR = 'imports';
const KINDS = ['cloudblue', 'pax8'] as const;
type Kind = (typeof KINDS)[number];
/** Autotask ids of the simulator's Countries table (src/autotask/sim/rules/countries.ts). */
const GB = 236;
const US = 237;

interface Setup {
  database: Database;
  sandbox: Sandbox;
  subscriptions: SubscriptionStore;
  activities: ReturnType<typeof importActivities>;
  /** Seeded Autotask company ids. */
  ids: { complete: number; noAddress: number; noEmail: number; vendor: number; inactive: number; contoso: number };
}

async function setUp(driver: ReturnType<typeof testDatabases>[number]): Promise<Setup> {
  const database = await driver.open();
  const sandbox = await startSandbox({
    integrations: [...KINDS], ingram: false, tdSynnex: false,
    cloudblue: { subscriptions: 0, rateLimit: false }, pax8: { rateLimit: false },
  });
  const connectors = await saveConnectedConnector(database, testKeyRing(), sandbox, CONNECTOR);
  const subscriptions = new SubscriptionStore(database);
  const activities = importActivities({ clients: new ConnectorClientCache(connectors, false), connectors, subscriptions, notifier: { notify: async () => undefined } });
  const at = sandbox.autotask;
  const owner = at.store.table('Resources').ids[0];
  const company = (name: string, extra: Record<string, unknown>) => ({ companyName: name, companyType: 1, isActive: true, phone: '+44 1329 555 010', ownerResourceID: owner, ...extra });
  const [complete, noAddress, noEmail, vendor, inactive] = at.seed('Companies', [
    company('Blue Sky Group', { address1: '1 High Street', city: 'Fareham', postalCode: 'PO16 8UX', countryID: GB, webAddress: 'bluesky.example' }),
    company('Albany Apple Store', { countryID: US }),
    company('A1 Facilities Management', { address1: '5 Main St', city: 'Albany', state: 'NY', postalCode: '12207', countryID: US }),
    company('Widget Distribution', { companyType: 7, address1: '9 Dock Rd', city: 'Leeds', postalCode: 'LS1 1AA', countryID: GB }),
    company('Gone Ltd', { isActive: false, address1: '2 Old Rd', city: 'York', postalCode: 'YO1 7HH', countryID: GB }),
  ]);
  at.seed('Contacts', [
    { companyID: complete, firstName: 'Jane', lastName: 'Doe', emailAddress: 'jane@bluesky.example', phone: '+44 1329 555 011', isActive: 1, primaryContact: true },
    { companyID: complete, firstName: 'Old', lastName: 'Contact', emailAddress: 'old@bluesky.example', isActive: 0, primaryContact: false },
    { companyID: noEmail, firstName: 'Al', lastName: 'Smith', phone: '+1 518 555 0100', isActive: 1, primaryContact: true },
    { companyID: vendor, firstName: 'Vic', lastName: 'Vendor', emailAddress: 'vic@widget.example', isActive: 1, primaryContact: true },
    { companyID: inactive, firstName: 'Ina', lastName: 'Gone', emailAddress: 'ina@gone.example', isActive: 1, primaryContact: true },
  ]);
  return { database, sandbox, subscriptions, activities, ids: { complete, noAddress, noEmail, vendor, inactive, contoso: sandbox.customerCompanyId } };
}

/** The marketplace's customers carrying one of our external ids. */
function ours(sandbox: Sandbox, kind: Kind): Array<{ id: string; externalId: string }> {
  const all = kind === 'cloudblue' ? [...sandbox.cloudblue.market.customers.values()] : sandbox.pax8.market.companies;
  return all.filter((c) => c.externalId?.startsWith('autotask-company-')).map((c) => ({ id: c.id, externalId: c.externalId! }));
}

describe.each(testDatabases())('customer import on $driver', (driver) => {
  let t: Setup;
  beforeEach(async () => {
    t = await setUp(driver);
  });
  afterEach(async () => {
    const violations = t.sandbox.takeViolations();
    await t.sandbox.stop();
    await t.database.close();
    if (violations.length) throw new Error(`contract violations:\n${violations.join('\n')}`);
  });

  describe.each(KINDS)('into %s', (kind) => {
    const scope = { connectorId: CONNECTOR, integrationId: kind };

    it('Import All imports complete profiles only, maps them, and lists the skipped ones with what is missing', async () => {
      const r = await t.activities.importCustomers({ ...scope, all: true });
      expect(r.imported.map((o) => [o.companyId, o.status])).toEqual([[t.ids.complete, 'created']]);
      const skipped = Object.fromEntries(r.skipped.map((s) => [s.companyId, s.missing]));
      // Vendors and inactive companies are not customers to import; Contoso (the sandbox's) has no contact.
      expect(Object.keys(skipped).map(Number).sort()).toEqual([t.ids.contoso, t.ids.noAddress, t.ids.noEmail].sort((a, b) => a - b));
      expect(skipped[t.ids.noAddress]).toEqual(expect.arrayContaining(['street address', 'city', 'postal code', 'administrative contact first name', 'administrative contact e-mail']));
      expect(skipped[t.ids.noEmail]).toEqual(['administrative contact e-mail']);
      expect(skipped[t.ids.contoso]).toEqual(expect.arrayContaining(['administrative contact first name', 'administrative contact last name', 'administrative contact e-mail']));

      const created = ours(t.sandbox, kind);
      expect(created).toEqual([{ id: r.imported[0].marketplaceCustomerId, externalId: importExternalId(t.ids.complete) }]);
      const mapping = await t.subscriptions.customerMapping(scope, created[0].id);
      expect(mapping).toMatchObject({ companyId: t.ids.complete, companyName: 'Blue Sky Group', mappedBy: 'import', marketplaceName: 'Blue Sky Group' });
    });

    it('importing twice makes one customer (one company, one external id), singly or in bulk', async () => {
      const first = await t.activities.importCustomer({ ...scope, companyId: t.ids.complete, by: 'test' });
      expect(first).toMatchObject({ status: 'created', missing: [] });
      const again = await t.activities.importCustomer({ ...scope, companyId: t.ids.complete, by: 'test' });
      expect(again).toMatchObject({ status: 'existing', marketplaceCustomerId: first.marketplaceCustomerId });
      const bulk = await t.activities.importCustomers({ ...scope, all: true });
      expect(bulk.imported).toEqual([expect.objectContaining({ companyId: t.ids.complete, status: 'existing', marketplaceCustomerId: first.marketplaceCustomerId })]);
      expect(ours(t.sandbox, kind)).toHaveLength(1);
    });

    it('an incomplete company is imported once the operator gives what is missing', async () => {
      const bare = await t.activities.importCustomer({ ...scope, companyId: t.ids.noEmail, by: 'test' });
      expect(bare).toMatchObject({ status: 'incomplete', marketplaceCustomerId: null, missing: ['administrative contact e-mail'] });
      expect(ours(t.sandbox, kind)).toHaveLength(0);

      const done = await t.activities.importCustomer({ ...scope, companyId: t.ids.noEmail, by: 'test', profile: { adminEmail: 'al@a1fm.example', notificationEmail: 'billing@a1fm.example' } });
      expect(done.status).toBe('created');
      const customer = kind === 'cloudblue' ? t.sandbox.cloudblue.market.customers.get(done.marketplaceCustomerId!)! : t.sandbox.pax8.market.company(done.marketplaceCustomerId!)!;
      const admin = 'contactPersons' in customer ? customer.contactPersons[0] : customer.contacts[0];
      expect(admin).toMatchObject({ firstName: 'Al', lastName: 'Smith', email: 'al@a1fm.example' });
      expect(await t.subscriptions.customerMapping(scope, done.marketplaceCustomerId!)).toMatchObject({ companyId: t.ids.noEmail, mappedBy: 'import' });
    });

    it('a create whose answer was lost is found by the external id, not repeated', async () => {
      const server = kind === 'cloudblue' ? t.sandbox.cloudblue.server : t.sandbox.pax8.server;
      const create = kind === 'cloudblue' ? 'POST /customers' : 'POST /v1/companies';
      // The marketplace creates the customer, then the connection drops before the answer.
      server.faults.script.push({ match: create, action: 'reset', when: 'after' });
      const outcome = await t.activities.importCustomer({ ...scope, companyId: t.ids.complete, by: 'test' });
      expect(server.injected.get('reset-after')).toBe(1);
      expect(outcome.status).toBe('created');
      expect(ours(t.sandbox, kind)).toEqual([{ id: outcome.marketplaceCustomerId, externalId: importExternalId(t.ids.complete) }]);
      expect(await t.subscriptions.customerMapping(scope, outcome.marketplaceCustomerId!)).toMatchObject({ companyId: t.ids.complete, mappedBy: 'import' });
      // A retried activity (the worker died after the lost answer) finds it too.
      const retried = await t.activities.importCustomer({ ...scope, companyId: t.ids.complete, by: 'test' });
      expect(retried).toMatchObject({ status: 'existing', marketplaceCustomerId: outcome.marketplaceCustomerId });
      const posts = [...server.counts].filter(([k]) => k.startsWith('POST') && /customers|companies/.test(k)).reduce((n, [, v]) => n + v, 0);
      expect(posts).toBe(1);
      expect(ours(t.sandbox, kind)).toHaveLength(1);
    });

    it('does not import a company already mapped to another marketplace customer', async () => {
      await t.subscriptions.saveCustomerMapping({ ...scope, marketplaceCustomerId: 'existing-1', marketplaceName: 'Blue Sky (old)', companyId: t.ids.complete, companyName: 'Blue Sky Group', mappedBy: 'operator' });
      const outcome = await t.activities.importCustomer({ ...scope, companyId: t.ids.complete, by: 'test' });
      expect(outcome).toMatchObject({ status: 'mapped_elsewhere', marketplaceCustomerId: 'existing-1' });
      const bulk = await t.activities.importCustomers({ ...scope, all: true });
      expect(bulk.imported).toEqual([]);
      expect(bulk.skipped.find((s) => s.companyId === t.ids.complete)?.reason).toMatch(/existing-1/);
      expect(ours(t.sandbox, kind)).toHaveLength(0);
    });
  });

  it('lists the wizard candidates: active customers only, first ones or by search, with what each lacks', async () => {
    const scope = { connectorId: CONNECTOR, integrationId: 'cloudblue' };
    const all = await t.activities.importCandidates(scope);
    expect(all.candidates.map((c) => c.companyId)).toEqual([t.ids.contoso, t.ids.complete, t.ids.noAddress, t.ids.noEmail]);
    expect(all.candidates.find((c) => c.companyId === t.ids.complete)).toMatchObject({ missing: [], marketplaceCustomerId: null });
    expect(all.candidates.find((c) => c.companyId === t.ids.noEmail)?.missing).toEqual(['administrative contact e-mail']);
    expect((await t.activities.importCandidates({ ...scope, limit: 2 })).candidates).toHaveLength(2);

    const found = await t.activities.importCandidates({ ...scope, search: 'sky' });
    expect(found.candidates.map((c) => c.name)).toEqual(['Blue Sky Group']);
    const imported = await t.activities.importCustomer({ ...scope, companyId: t.ids.complete, by: 'test' });
    expect((await t.activities.importCandidates({ ...scope, search: 'sky' })).candidates[0].marketplaceCustomerId).toBe(imported.marketplaceCustomerId);
  });

  it('with several marketplaces, says which one it imported into and keeps their mappings apart', async () => {
    await expect(t.activities.importCandidates({ connectorId: CONNECTOR })).rejects.toThrow(/cloudblue|pax8|integration/i);
    const a = await t.activities.importCustomer({ connectorId: CONNECTOR, integrationId: 'cloudblue', companyId: t.ids.complete, by: 'test' });
    const b = await t.activities.importCustomer({ connectorId: CONNECTOR, integrationId: 'pax8', companyId: t.ids.complete, by: 'test' });
    expect([a.integrationId, a.status, b.integrationId, b.status]).toEqual(['cloudblue', 'created', 'pax8', 'created']);
  });
});

describe('profileProblems / buildNewCustomer', () => {
  const company = { id: 42, companyName: 'Blue Sky Group', companyType: 1, isActive: true, phone: '+44 1329 555 010', address1: '1 High Street', address2: 'Unit 4', city: 'Fareham', postalCode: 'PO16 8UX', webAddress: 'bluesky.example' };
  const contact = { firstName: 'Jane', lastName: 'Doe', emailAddress: 'jane@bluesky.example', phone: null, mobilePhone: '+44 7700 900123' };

  it('a complete profile has no problems and builds the customer with our external id', () => {
    expect(profileProblems(company, contact, { kind: 'pax8', countryCode: 'gb', customerTypeId: 1 })).toEqual([]);
    expect(buildNewCustomer(company, contact, { kind: 'pax8', countryCode: 'gb' })).toEqual({
      externalId: 'autotask-company-42', name: 'Blue Sky Group', email: 'jane@bluesky.example', phone: '+44 1329 555 010',
      contact: { firstName: 'Jane', lastName: 'Doe', email: 'jane@bluesky.example', phone: '+44 7700 900123' },
      address: { line1: '1 High Street, Unit 4', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' },
      extra: { notificationEmail: 'jane@bluesky.example', website: 'https://bluesky.example' },
    });
  });

  it('says what is missing or wrong, and the operator\'s answers fill it', () => {
    const bare = { id: 7, companyName: 'Bare', companyType: 1, isActive: true };
    expect(profileProblems(bare, null, { kind: 'cloudblue', countryCode: null, customerTypeId: 1 })).toEqual([
      'street address', 'city', 'postal code', 'country', 'phone', 'administrative contact first name', 'administrative contact last name',
      'administrative contact e-mail', 'administrative contact phone',
    ]);
    expect(profileProblems({ ...company, isActive: false, companyType: 3 }, { ...contact, emailAddress: 'not-mail' }, { kind: 'pax8', countryCode: 'Britain', customerTypeId: 1 })).toEqual([
      'the company is inactive in Autotask', 'the company is not of type Customer in Autotask', 'country (BRITAIN is not an ISO 3166-1 alpha-2 code)',
      'administrative contact e-mail (not-mail is not an e-mail address)',
    ]);
    const answered = profileProblems(company, null, { kind: 'cloudblue', countryCode: null, profile: { adminFirstName: 'Max', adminLastName: 'Power', adminEmail: 'max@bluesky.example', countryCode: 'GB' } });
    expect(answered).toEqual([]);
  });

  it('access details: CloudBlue takes a login with a strong password, Pax8 none', () => {
    const cb = (profile: object) => profileProblems(company, contact, { kind: 'cloudblue', countryCode: 'GB', profile });
    expect(cb({ login: 'bluesky-admin', password: 'S3cure!pw' })).toEqual([]);
    expect(cb({ login: 'bluesky-admin' })).toEqual(['access password']);
    expect(cb({ password: 'S3cure!pw' })).toEqual(['access login']);
    expect(cb({ login: 'ab', password: 'S3cure!pw' })[0]).toMatch(/^access login/);
    expect(cb({ login: 'bluesky-admin', password: 'weakpass' })).toEqual(['access password needs an upper-case letter, a digit, a special character']);
    expect(passwordProblem('Sh0rt!')).toMatch(/at least 7 characters/);
    expect(profileProblems(company, contact, { kind: 'pax8', countryCode: 'GB', profile: { login: 'x', password: 'y' } })).toEqual(['access details: pax8 takes no customer login or password (leave them out)']);
    const built = buildNewCustomer(company, contact, { kind: 'cloudblue', countryCode: 'GB', profile: { login: 'bluesky-admin', password: 'S3cure!pw' } });
    expect(built.extra).toMatchObject({ login: 'bluesky-admin', password: 'S3cure!pw' });
  });
});
