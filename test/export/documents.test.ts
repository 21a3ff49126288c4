// The export documents and their hashes, without Autotask or Temporal.
import { contractData, customerData, DEFAULT_VENDOR, documentHash, isActiveCustomer } from '../../src/exports/documents';
import { CUSTOMERS_TOO_WARNING, exportSettingsSchema, syncTypeWarning } from '../../src/exports/settings';
import { signDelivery, verifyDelivery } from '../../src/exports/webhook/signature';

const settings = exportSettingsSchema.parse({});
const company = {
  id: 7, companyName: ' Contoso ', companyType: 1, isActive: true, phone: '+1 555', alternatePhone1: '', fax: '+1 556', address1: '1 Way', city: 'Redmond',
  webAddress: 'contoso.example', userDefinedFields: [{ name: 'Billing Email', value: 'ap@contoso.example' }, { name: 'Notes', value: 'not an e-mail' }],
};

describe('export documents', () => {
  it('builds the customer document from the record, leaving out what it lacks', () => {
    const d = customerData(company);
    expect(d).toMatchObject({ autotaskCompanyId: 7, name: 'Contoso', emails: ['ap@contoso.example'], websites: ['contoso.example'] });
    expect(d.phones).toEqual([{ type: 'main', number: '+1 555' }, { type: 'fax', number: '+1 556' }]);
    expect(d.address).toMatchObject({ street1: '1 Way', city: 'Redmond', street2: null });
    expect(customerData({ ...company, address1: null, webAddress: null }).address).toBeNull();
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
