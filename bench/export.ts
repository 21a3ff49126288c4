// `npm run bench -- export --companies 20000 --contracts 40000 [--changed 0.01] [--no-check-contract]`:
// the customer export's first full pass, then an incremental pass after a share of companies and
// contracts changed. It runs the pass's activities in the order customerExportWorkflow calls them
// (plan, company pages, contract pages, finish) against the Autotask simulator and the webhook
// target's receiving simulator, and prints Autotask requests (target: about ceil(n/500) reads for the
// full pass, only the changed records' pages after), documents delivered, duplicates received (0)
// and elapsed time.
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
      const totals = { read: 0, delivered: 0, unchanged: 0, dead: 0 };
      const add = (c: typeof totals) => Object.keys(totals).forEach((k) => (totals[k as keyof typeof totals] += c[k as keyof typeof totals]));
      for (let more = true; more;) {
        const page = await act.exportCompaniesPage({ ...scope, since: plan.companiesSince, afterId, full: plan.full });
        add(page.counts);
        afterId = page.lastId;
        more = page.more;
        companiesSeen = newest([page.maxSeen], companiesSeen);
      }
      afterId = -1;
      for (let more = plan.syncContracts; more;) {
        const page = await act.exportContractsPage({ ...scope, since: plan.contractsSince, afterId });
        add(page.counts);
        afterId = page.lastId;
        more = page.more;
        contractsSeen = newest([page.maxSeen], contractsSeen);
      }
      await act.finishExportPass({ ...scope, full: plan.full, settingsHash: plan.settingsHash, companiesSeen, contractsSeen, summary: 'bench' });
      const counts = Object.fromEntries([...sandbox.autotask.sim.counts].filter(([k]) => !k.includes('/__')));
      const reads = Object.entries(counts).filter(([k]) => /\/(Companies|Contracts)\/query$/.test(k)).reduce((n, [, v]) => n + v, 0);
      return {
        full: plan.full,
        autotaskRequests: Object.values(counts).reduce((n, v) => n + v, 0),
        autotaskReads: reads,
        byEndpoint: counts,
        recordsRead: totals.read,
        documentsDelivered: sandbox.webhook.documents().length - delivered0,
        unchanged: totals.unchanged,
        deadLettered: totals.dead,
        duplicatesReceived: sandbox.webhook.duplicates(),
        elapsedMs: Date.now() - started,
      };
    };

    const first = await pass(false);
    // A share of the records changes in Autotask (what a user's edits do: the field and its change date).
    const changedCompanies = Math.round(companies * changedShare);
    const changedContracts = Math.round(contracts * changedShare);
    for (let i = 0; i < changedCompanies; i++) {
      const c = sandbox.autotask.store.get('Companies', companyIds[Math.floor(random() * companyIds.length)])!;
      c.phone = `+1 777 ${i}`;
      c.lastTrackedModifiedDateTime = simNow();
    }
    for (let i = 0; i < changedContracts; i++) {
      const k = sandbox.autotask.store.get('Contracts', contractIds[Math.floor(random() * contractIds.length)])!;
      k.estimatedCost = 1 + i;
      k.lastModifiedDateTime = simNow();
    }
    const incremental = await pass(false);
    return {
      companies, contracts, changedCompanies, changedContracts,
      target: { fullPassReads: Math.ceil(companies / 500) + Math.ceil(contracts / 500), incrementalReads: Math.ceil(changedCompanies / 500) + Math.ceil(changedContracts / 500) },
      fullPass: first,
      incrementalPass: incremental,
      violations: sandbox.takeViolations(),
    };
  } finally {
    await database.close();
    await sandbox.stop();
  }
}
