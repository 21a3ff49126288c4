// `npm run bench -- autotask-read --n 100000 [--no-check-contract] [--page-size 500]`: seeds n products
// into the Autotask simulator and reads them all back through the client, id-walking 500 at a
// time with the deployment limiter on (PGlite in memory, or DATABASE_URL).
import { openDatabase } from '../db';
import { migrateDatabase } from '../db/migrate';
import { createAutotaskClient } from '../src/autotask/client';
import { postgresLimiter } from '../src/autotask/limits-pg';
import { startAutotaskSim } from '../src/autotask/sim';
import { contractChecking, flag, numberArg } from './args';

export async function run(args: string[]): Promise<object> {
  const n = numberArg(args, 'n', 100_000);
  const pageSize = numberArg(args, 'page-size', 500);
  const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: 'memory://' });
  await migrateDatabase(database);
  const at = await startAutotaskSim({ checkContract: contractChecking(args) });
  const user = { username: 'bench@example.com', secret: 'bench-secret', integrationCode: 'BENCH-CODE' };
  at.addUser({ ...user, resourceEmail: user.username });
  try {
    const seedStarted = Date.now();
    const table = at.store.table('Products');
    for (let i = 1; i <= n; i++) {
      at.store.insertFull('Products', {
        name: `Product ${i}`, sku: `SKU-${i}`, isActive: true, isSerialized: false, productBillingCodeID: 7, billingType: 1, periodType: 1,
        unitCost: 10 + (i % 13), unitPrice: 20 + (i % 13), manufacturerName: i % 2 ? 'Contoso' : 'Fabrikam',
      });
    }
    const seedMs = Date.now() - seedStarted;
    at.sim.counts.clear();

    const client = createAutotaskClient({ credentials: user, discoveryUrl: at.discoveryUrl, limiter: postgresLimiter(database) });
    const started = Date.now();
    let rows = 0;
    let pages = 0;
    let lastId = 0;
    for await (const page of client.products.pages({ pageSize })) {
      rows += page.items.length;
      pages++;
      lastId = page.lastId;
    }
    // The pager's ThresholdInformation check is fire-and-forget; let it land in the counts.
    await new Promise((r) => setTimeout(r, 50));
    const elapsedMs = Date.now() - started;
    return {
      n,
      driver: database.driver,
      rows,
      complete: rows === n && lastId === table.ids[table.ids.length - 1],
      pages,
      expectedQueryRequests: Math.ceil(n / pageSize),
      requestsByEndpoint: at.sim.countsObject(),
      totalRequests: at.sim.totalRequests(),
      threadRejections: at.limits.threadRejections,
      contractViolations: at.sim.takeViolations().length,
      seedMs,
      elapsedMs,
      rowsPerSec: Math.round((rows / Math.max(1, elapsedMs)) * 1000),
      msPerPage: Math.round((elapsedMs / Math.max(1, pages)) * 10) / 10,
    };
  } finally {
    await at.stop();
    await database.close();
  }
}
