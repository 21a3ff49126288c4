// `npm run bench -- export --companies 20000 --contracts 40000 [--contacts-per-company 1.5] [--changed 0.01] [--no-check-contract]`:
// the customer export's first full pass, then an incremental pass after a share of companies,
// contacts and contracts changed. It runs the pass's activities in the order customerExportWorkflow
// calls them (plan, company pages with their customers' contacts, changed contacts on an incremental
// pass, contract pages, finish) against the Autotask simulator and the webhook target's receiving
// simulator, and prints Autotask requests (target: about ceil(n/500) reads per entity for the full
// pass — Contacts per page of 500 companies, by `companyID in […]` — and only the changed records'
// pages after), documents delivered, duplicates received (0) and elapsed time.
import { openDatabase } from '../db';
import { migrateDatabase } from '../db/migrate';
import { createExportActivities } from '../src/activities/export';
import { newest } from '../src/activities/export/pass';
import { simNow } from '../src/autotask/sim/dates';
import { connectInput } from '../src/client/connectors';
import { ConnectorClientCache } from '../src/connector/clients';
import { ConnectorStore } from '../src/connector/store';
import { generateKeySpec, parseKeyRing } from '../src/crypto/keys';
import { startSandbox } from '../src/sim';
import { seededRandom } from '../src/sim/kit/random';
import { contractChecking, numberArg } from './args';

const DAY = 86_400_000;

export async function run(args: string[]) {
  const companies = numberArg(args, 'companies', 20_000);
  const contracts = numberArg(args, 'contracts', 40_000);
  const contactsPerCompany = numberArg(args, 'contacts-per-company', 1.5);
  const changedShare = numberArg(args, 'changed', 0.01);
  const random = seededRandom(7);
  const sandbox = await startSandbox({
    autotask: { hourlyLimit: 1_000_000_000, checkContract: contractChecking(args), threadLimit: 1000 },
    ingram: false, tdSynnex: false, pax8: false, cloudblue: false, integrations: ['webhook'],
  });
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateDatabase(database);
    const ring = parseKeyRing(generateKeySpec('bench'));
    const connectors = new ConnectorStore(database, ring);
    const connectorId = 'bench';
    const request = sandbox.connectRequest(connectorId, {}, ['webhook']);
    await connectors.save({ connectorId, ...connectInput(ring, request) });
    const clients = new ConnectorClientCache(connectors, false);
    const act = createExportActivities({ clients, connectors, database, ring });
    const scope = { connectorId, integrationId: 'webhook' };

    // Change dates spread over the past year, as a real database's are.
    const when = (i: number, n: number) => new Date(Date.now() - 400 * DAY + Math.floor((i / n) * 390 * DAY)).toISOString();
    const owner = sandbox.autotask.records('Resources')[0]?.id ?? null;
    sandbox.autotask.addUdf('Contracts', 'Vendor');
    const companyIds = sandbox.autotask.seed('Companies', Array.from({ length: companies }, (_, i) => ({
      companyName: `Customer ${i}`, companyType: random() < 0.9 ? 1 : 2, isActive: random() < 0.95, phone: `+1 555 ${i}`, ownerResourceID: owner,
      address1: random() < 0.7 ? `${i} Main St` : null, city: 'Springfield', webAddress: random() < 0.5 ? `c${i}.example` : null, lastTrackedModifiedDateTime: when(i, companies),
    })));
    // 0..2×contactsPerCompany contacts per company (uniform), ~90% active, the first one primary.
    const contactRows: Array<Record<string, unknown>> = [];
    companyIds.forEach((companyID, i) => {
      const n = Math.floor(random() * (2 * contactsPerCompany + 1));
      for (let j = 0; j < n; j++) {
        contactRows.push({
          companyID, firstName: `First${j}`, lastName: `Last${i}`, isActive: random() < 0.9 ? 1 : 0, primaryContact: j === 0,
          emailAddress: random() < 0.8 ? `p${j}@c${i}.example` : null, emailAddress2: random() < 0.1 ? `billing@c${i}.example` : null,
          lastModifiedDate: when(i, companies),
        });
      }
    });
    const contactIds = sandbox.autotask.seed('Contacts', contactRows);
    const contractIds = sandbox.autotask.seed('Contracts', Array.from({ length: contracts }, (_, i) => ({
      companyID: companyIds[Math.floor(random() * companyIds.length)], contractName: `Contract ${i}`, contractType: 1, status: 1,
      startDate: '2026-01-01T00:00:00Z', endDate: '2026-12-31T00:00:00Z', timeReportingRequiresStartAndStopTimes: 0, estimatedCost: Math.round(random() * 100_000) / 100,
      lastModifiedDateTime: when(i, contracts), userDefinedFields: random() < 0.3 ? [{ name: 'Vendor', value: 'Microsoft' }] : [],
    })));

    const pass = async (full: boolean) => {
      sandbox.autotask.sim.counts.clear();
      const delivered0 = sandbox.webhook.documents().length;
      const started = Date.now();
      const plan = await act.beginExportPass({ ...scope, full });
      let companiesSeen: string | null = null;
      let contractsSeen: string | null = null;
      let afterId = -1;
      const phases: Record<string, number> = { companyPages: 0, contactPages: 0, contractPages: 0 };
      const totals = { read: 0, delivered: 0, unchanged: 0, dead: 0 };
      const add = (c: typeof totals) => Object.keys(totals).forEach((k) => (totals[k as keyof typeof totals] += c[k as keyof typeof totals]));
      for (let more = true; more;) {
        const page = await act.exportCompaniesPage({ ...scope, since: plan.companiesSince, afterId, full: plan.full });
        add(page.counts);
        afterId = page.lastId;
        more = page.more;
        companiesSeen = newest([page.maxSeen], companiesSeen);
        phases.companyPages++;
      }
      afterId = -1;
      for (let more = plan.syncCustomers && !plan.full && !!plan.companiesSince; more;) {
        const page = await act.exportContactChangesPage({ ...scope, since: plan.companiesSince!, afterId });
        add(page.counts);
        afterId = page.lastId;
        more = page.more;
        companiesSeen = newest([page.maxSeen], companiesSeen);
        phases.contactPages++;
      }
      afterId = -1;
      for (let more = plan.syncContracts; more;) {
        const page = await act.exportContractsPage({ ...scope, since: plan.contractsSince, afterId });
        add(page.counts);
        afterId = page.lastId;
        more = page.more;
        contractsSeen = newest([page.maxSeen], contractsSeen);
        phases.contractPages++;
      }
      await act.finishExportPass({ ...scope, full: plan.full, settingsHash: plan.settingsHash, companiesSeen, contractsSeen, summary: 'bench', startedAt: plan.startedAt });
      const counts = Object.fromEntries([...sandbox.autotask.sim.counts].filter(([k]) => !k.includes('/__')));
      const readsOf = (entity: string) => Object.entries(counts).filter(([k]) => k.endsWith(`/${entity}/query`)).reduce((n, [, v]) => n + v, 0);
      const readsBy = { Companies: readsOf('Companies'), Contacts: readsOf('Contacts'), Contracts: readsOf('Contracts') };
      return {
        full: plan.full,
        autotaskRequests: Object.values(counts).reduce((n, v) => n + v, 0),
        autotaskReads: readsBy.Companies + readsBy.Contacts + readsBy.Contracts,
        readsByEntity: readsBy,
        pages: phases,
        byEndpoint: counts,
        recordsRead: totals.read,
        documentsDelivered: sandbox.webhook.documents().length - delivered0,
        unchanged: totals.unchanged,
        deadLettered: totals.dead,
        duplicatesReceived: sandbox.webhook.duplicates(),
        elapsedMs: Date.now() - started,
      };
    };

    // What the full pass's Contacts reads should be: per page of 500 companies, ceil(active contacts of its active customers / 500).
    // Every company of the simulator (the sandbox's own too), in the id order the pass pages them.
    const allCompanyIds = [...sandbox.autotask.store.table('Companies').ids].sort((a, b) => a - b);
    const customerIds = new Set(allCompanyIds.filter((id) => { const c = sandbox.autotask.store.get('Companies', id)!; return c.companyType === 1 && c.isActive === true; }));
    const activeContacts = new Map<number, number>();
    for (const id of sandbox.autotask.store.table('Contacts').ids) {
      const k = sandbox.autotask.store.get('Contacts', id)!;
      if (k.isActive === 1 && customerIds.has(k.companyID as number)) activeContacts.set(k.companyID as number, (activeContacts.get(k.companyID as number) ?? 0) + 1);
    }
    /** Contacts reads for one batch of companies: none without customers, else ceil(their active contacts / 500), at least one. */
    const contactReads = (ids: number[]) => (ids.some((id) => customerIds.has(id)) ? Math.max(1, Math.ceil(ids.reduce((n, id) => n + (customerIds.has(id) ? (activeContacts.get(id) ?? 0) : 0), 0) / 500)) : 0);
    let contactReadsTarget = 0;
    for (let i = 0; i < allCompanyIds.length; i += 500) contactReadsTarget += contactReads(allCompanyIds.slice(i, i + 500));

    const first = await pass(false);
    // A share of the records changes in Autotask (what a user's edits do: the field and its change date).
    const changedCompanies = Math.round(companies * changedShare);
    const changedContracts = Math.round(contracts * changedShare);
    const touchedCompanies = new Set<number>();
    for (let i = 0; i < changedCompanies; i++) {
      const c = sandbox.autotask.store.get('Companies', companyIds[Math.floor(random() * companyIds.length)])!;
      touchedCompanies.add(c.id);
      c.phone = `+1 777 ${i}`;
      c.lastTrackedModifiedDateTime = simNow();
    }
    for (let i = 0; i < changedContracts; i++) {
      const k = sandbox.autotask.store.get('Contracts', contractIds[Math.floor(random() * contractIds.length)])!;
      k.estimatedCost = 1 + i;
      k.lastModifiedDateTime = simNow();
    }
    // Contacts change too (an e-mail address edited), stamped as Autotask stamps them.
    const changedContacts = Math.round(contactIds.length * changedShare);
    const contactCompanies = new Set<number>();
    for (let i = 0; i < changedContacts; i++) {
      const k = sandbox.autotask.store.get('Contacts', contactIds[Math.floor(random() * contactIds.length)])!;
      contactCompanies.add(k.companyID as number);
      k.emailAddress = `changed${i}@example.com`;
      k.lastModifiedDate = simNow();
    }
    const incremental = await pass(false);
    return {
      companies, contacts: contactIds.length, contracts, changedCompanies, changedContacts, changedContracts,
      target: {
        fullPassReads: { Companies: Math.ceil(allCompanyIds.length / 500), Contacts: contactReadsTarget, Contracts: Math.ceil(sandbox.autotask.store.table('Contracts').ids.length / 500) },
        // Changed companies (and their customers' contacts), changed contacts (their companies not changed themselves, and
        // those companies' contacts; one page while there are at most 500 changed contacts), changed contracts.
        incrementalReads: {
          Companies: Math.ceil(touchedCompanies.size / 500) + Math.ceil(changedContacts / 500),
          Contacts: contactReads([...touchedCompanies]) + Math.ceil(changedContacts / 500) + contactReads([...contactCompanies].filter((id) => !touchedCompanies.has(id))),
          Contracts: Math.ceil(changedContracts / 500),
        },
      },
      fullPass: first,
      incrementalPass: incremental,
      violations: sandbox.takeViolations(),
    };
  } finally {
    await database.close();
    await sandbox.stop();
  }
}
