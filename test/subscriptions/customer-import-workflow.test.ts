// Customer import through Temporal, as `autotask-bridge customers …` runs it: the client starts the short
// customer-import workflow and the worker's activities import into the CloudBlue simulator. The admin
// password rides in the workflow input: history holds it only encrypted, and no log or result has it.
import { temporal } from '@temporalio/proto';
import { eq } from 'drizzle-orm';
import { actionLog } from '../../db/schema/action-log';
import { importAllCustomers, importCandidates, importCustomer } from '../../src/client/customer-import';
import { printBulk, printOutcome } from '../../src/commands/customers';
import { importExternalId } from '../../src/subscriptions/import';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { customerImportWorkflowId } from '../../src/workflows/customer-import';
import { useEngine } from '../helpers/engine';

const C = 'import-wf';
const scope = { connectorId: C, integrationId: 'cloudblue' };
const PASSWORD = 'Zq9!unique-Pw-4711';

describe('customer import workflow', () => {
  const engine = useEngine({
    sandbox: { integrations: ['cloudblue'], ingram: false, tdSynnex: false, pax8: false, cloudblue: { subscriptions: 0, rateLimit: false } },
    worker: true,
  });

  it('imports one company with access details (password never in clear), then Import All finds it and lists the rest', async () => {
    await engine.connect(C);
    const at = engine.sandbox.autotask;
    const owner = at.store.table('Resources').ids[0];
    const [company] = at.seed('Companies', [
      { companyName: 'Blue Sky Group', companyType: 1, isActive: true, phone: '+44 1329 555 010', ownerResourceID: owner, address1: '1 High Street', city: 'Fareham', postalCode: 'PO16 8UX', countryID: 236 },
    ]);
    // No e-mail in Autotask: the operator gives it, with the CloudBlue login and password.
    at.seed('Contacts', [{ companyID: company, firstName: 'Jane', lastName: 'Doe', phone: '+44 1329 555 011', isActive: 1, primaryContact: true }]);
    const { client, taskQueue } = engine;

    const before = await importCandidates(client, taskQueue, scope, { search: 'Blue Sky' });
    expect(before).toEqual([{ companyId: company, name: 'Blue Sky Group', marketplaceCustomerId: null, missing: ['administrative contact e-mail'] }]);

    const outcome = await importCustomer(client, taskQueue, scope, company, { adminEmail: 'jane@bluesky.example', login: 'bluesky-admin', password: PASSWORD });
    expect(outcome).toMatchObject({ status: 'created', companyId: company, integrationId: 'cloudblue' });
    const customer = engine.sandbox.cloudblue.market.customers.get(outcome.marketplaceCustomerId!);
    expect(customer).toMatchObject({ externalId: importExternalId(company), name: 'Blue Sky Group' });
    expect(await new SubscriptionStore(engine.database).customerMapping(scope, outcome.marketplaceCustomerId!)).toMatchObject({ companyId: company, mappedBy: 'import' });
    const lines: string[] = [];
    expect(printOutcome(outcome, (l) => lines.push(l))).toBe(true);
    expect(lines[0]).toMatch(/imported into cloudblue as customer/);

    // History: the input (with the password) is there, encrypted by the payload codec.
    const history = await client.workflow.getHandle(customerImportWorkflowId(C, 'cloudblue', company)).fetchHistory();
    const started = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!;
    expect(Buffer.from(started.input!.payloads![0].metadata!.encoding!).toString()).toBe('binary/encrypted');
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(raw.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(raw.includes(Buffer.from('bluesky-admin'))).toBe(false);
    const logs = await engine.database.db.select().from(actionLog).where(eq(actionLog.connectorId, C));
    expect(logs.some((l) => l.kind === 'subscription.customer.import')).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(PASSWORD);
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);

    // Import All: ours already (nothing created), the sandbox's Contoso skipped with what it lacks.
    const bulk = await importAllCustomers(client, taskQueue, scope);
    expect(bulk.imported).toEqual([expect.objectContaining({ companyId: company, status: 'existing', marketplaceCustomerId: outcome.marketplaceCustomerId })]);
    expect(bulk.skipped).toEqual([expect.objectContaining({ companyId: engine.sandbox.customerCompanyId, missing: expect.arrayContaining(['administrative contact e-mail']) })]);
    expect([...engine.sandbox.cloudblue.market.customers.values()].filter((c) => c.externalId === importExternalId(company))).toHaveLength(1);
    const printed: string[] = [];
    printBulk(bulk, (l) => printed.push(l));
    expect(printed.join('\n')).toMatch(/0 imported, 1 already there, 1 skipped[\s\S]*Contoso Ltd .*administrative contact e-mail \(--admin-email\)/);
  });

  it('an unknown company fails with the reason, not a generic workflow error', async () => {
    await engine.connect(`${C}-2`);
    await expect(importCustomer(engine.client, engine.taskQueue, { connectorId: `${C}-2`, integrationId: 'cloudblue' }, 999_999)).rejects.toThrow(/Customer import failed: Autotask company 999999 does not exist/);
  });
});
