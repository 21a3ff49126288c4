// The export documents and their hashes, the export settings, the polling schedule and cursors,
// without Autotask or Temporal.
import { nextCursor } from '../../src/activities/export/pass';
import { parseSettings } from '../../src/connector/settings';
import { contractData, customerData, customerEmails, DEFAULT_VENDOR, documentHash, isActiveCustomer } from '../../src/exports/documents';
import { CUSTOMERS_TOO_WARNING, exportSettingsSchema, pollingText, syncTypeWarning } from '../../src/exports/settings';
import { signDelivery, verifyDelivery } from '../../src/exports/webhook/signature';
import { integrationProblems } from '../../src/integrations/registry';
import { customerExportTemplate } from '../../src/templates/customer-export';
import { webhookExportIntegration } from '../../src/exports/webhook/definition';

const settings = exportSettingsSchema.parse({});
const company = {
  id: 7, companyName: ' Contoso ', companyType: 1, isActive: true, phone: '+1 555', alternatePhone1: '', fax: '+1 556', address1: '1 Way', city: 'Redmond',
  webAddress: 'contoso.example', userDefinedFields: [{ name: 'Billing Email', value: 'ap@contoso.example' }, { name: 'Notes', value: 'not an e-mail' }, { name: 'Sales Rep', value: 'rep@msp.example' }],
};
const contacts = [
  { id: 30, companyID: 7, emailAddress: 'zoe@contoso.example', emailAddress2: 'ZOE@contoso.example', isActive: 1, primaryContact: false },
  { id: 31, companyID: 7, emailAddress: 'gone@contoso.example', isActive: 0, primaryContact: false },
  { id: 32, companyID: 7, emailAddress: 'not mail', emailAddress3: 'amy@contoso.example', isActive: 1, primaryContact: true },
  { id: 33, companyID: 8, emailAddress: 'other@fabrikam.example', isActive: 1, primaryContact: true },
];

describe('export documents', () => {
  it('builds the customer document from the record, leaving out what it lacks', () => {
    const d = customerData(company);
    expect(d).toMatchObject({ autotaskCompanyId: 7, name: 'Contoso', emails: [], websites: ['contoso.example'] });
    expect(d.phones).toEqual([{ type: 'main', number: '+1 555' }, { type: 'fax', number: '+1 556' }]);
    expect(d.address).toMatchObject({ street1: '1 Way', city: 'Redmond', street2: null });
    expect(customerData({ ...company, address1: null, webAddress: null }).address).toBeNull();
  });

  it("takes e-mail addresses from the company's active contacts (primary first, no repeats), and from named company UDFs only", () => {
    expect(customerData(company, contacts).emails).toEqual(['amy@contoso.example', 'zoe@contoso.example']);
    // Named UDFs follow the contacts; other UDFs that look like addresses (a sales rep's) are not the customer's.
    expect(customerData(company, contacts, { emailUdfs: ['billing email'] }).emails).toEqual(['amy@contoso.example', 'zoe@contoso.example', 'ap@contoso.example']);
    expect(customerEmails(company, [], ['Billing Email', 'Notes'])).toEqual(['ap@contoso.example']);
    // Contact order does not matter (the hash stays), a deactivated contact's address goes.
    expect(customerData(company, [...contacts].reverse())).toEqual(customerData(company, contacts));
    expect(customerData(company, contacts.map((c) => (c.id === 30 ? { ...c, isActive: 0 } : c))).emails).toEqual(['amy@contoso.example']);
  });

  it('reads the customer type it is given, not a fixed id', () => {
    expect(isActiveCustomer(company, 1)).toBe(true);
    expect(isActiveCustomer(company, 5)).toBe(false);
    expect(isActiveCustomer({ ...company, isActive: false }, 1)).toBe(false);
  });

  it('takes the vendor from the contract when present, else MSP Managed Services', () => {
    const with_ = contractData({ id: 3, companyID: 7, contractName: 'M365', estimatedCost: 120, userDefinedFields: [{ name: 'vendor', value: 'Microsoft' }] }, 'Contoso', settings);
    expect(with_).toEqual({ autotaskContractId: 3, autotaskCompanyId: 7, companyName: 'Contoso', vendorName: 'Microsoft', contractName: 'M365', overallCost: 120 });
    expect(contractData({ id: 4, companyID: 7, contractName: 'Managed', estimatedCost: null }, 'Contoso', settings)).toMatchObject({ vendorName: DEFAULT_VENDOR, overallCost: null });
  });

  it('hashes content, not property order, and changes with any synced field', () => {
    const a = { type: 'customer.upserted' as const, customer: customerData(company) };
    const reordered = { customer: { ...a.customer }, type: a.type };
    expect(documentHash(reordered)).toBe(documentHash(a));
    expect(documentHash({ type: 'customer.upserted', customer: customerData({ ...company, phone: '+1 999' }) })).not.toBe(documentHash(a));
  });

  it('polls on the export target\'s pollMinutes (default 15, validated), shown as a sentence', async () => {
    expect(settings.pollMinutes).toBe(15);
    const target = { url: 'https://receiver.example/hooks' };
    const secrets = { signingSecret: 'a-signing-secret-of-16+' };
    expect(integrationProblems('webhook', { ...target, pollMinutes: 30 }, secrets)).toEqual([]);
    for (const bad of [2, 1441, 7.5, '15']) expect(integrationProblems('webhook', { ...target, pollMinutes: bad }, secrets)).toEqual([expect.stringMatching(/^pollMinutes: /)]);
    const connector = parseSettings({});
    expect(customerExportTemplate.schedule(connector, { ...target, pollMinutes: 30 })).toMatchObject({ everyMinutes: 30 });
    expect(customerExportTemplate.schedule(connector, target)).toMatchObject({ everyMinutes: 15 });
    expect(customerExportTemplate.schedule(connector)).toMatchObject({ everyMinutes: 15 });
    expect(pollingText({ pollMinutes: 30 })).toBe('polling every 30 minutes');
    // `status` shows it with the target's checks.
    const check = webhookExportIntegration.checks.find((c) => c.name === 'sync-types')!;
    await expect(check.run({ settings: exportSettingsSchema.parse({ pollMinutes: 30 }) } as never)).resolves.toBe('Syncing Active Customers, polling every 30 minutes');
  });

  it('never moves a cursor past the start of the pass that read it', () => {
    const started = '2026-03-01T10:00:00.000Z';
    expect(nextCursor('2026-03-01T09:59:00.000', '2026-02-01T00:00:00.000', started)).toBe('2026-03-01T09:59:00.000');
    // A record changed during the pass (after its page) must stay ahead of the cursor.
    expect(nextCursor('2026-03-01T10:20:00.000', '2026-02-01T00:00:00.000', started)).toBe(started);
    expect(nextCursor(null, '2026-02-01T00:00:00.000', started)).toBe('2026-02-01T00:00:00.000');
    expect(nextCursor('2026-03-01T10:20:00.000', null, undefined)).toBe('2026-03-01T10:20:00.000');
  });

  it('warns when contracts are on but customers are off', () => {
    expect(syncTypeWarning({ syncCustomers: false, syncContracts: true })).toBe(CUSTOMERS_TOO_WARNING);
    expect(syncTypeWarning({ syncCustomers: true, syncContracts: true })).toBeUndefined();
  });

  it('signs deliveries with HMAC-SHA256 over timestamp and raw body', () => {
    const now = 1_800_000_000;
    const sig = signDelivery('s3cret-s3cret-s3cret', '{"a":1}', now);
    expect(verifyDelivery('s3cret-s3cret-s3cret', '{"a":1}', sig, now)).toBe(true);
    expect(verifyDelivery('s3cret-s3cret-s3cret', '{"a":2}', sig, now)).toBe(false);
    expect(verifyDelivery('other-secret-value!!', '{"a":1}', sig, now)).toBe(false);
    expect(verifyDelivery('s3cret-s3cret-s3cret', '{"a":1}', sig, now + 3600)).toBe(false);
    expect(verifyDelivery('s3cret-s3cret-s3cret', '{"a":1}', undefined, now)).toBe(false);
  });
});
