// `npm run bench -- distributor-catalog --skus 20000 [--page-size 100] [--no-check-contract] [--rate-limit]`
// Starts the Ingram simulator, walks the whole catalog through the adapter and fetches price and
// availability for every SKU. Contract checking is on unless `--no-check-contract`; the 60 GET/min limit is off
// unless `--rate-limit`.
// `--distributor td-synnex [--page-size 250] [--file-age-hours 48]`: the same walk over TD SYNNEX's price
// file (streamed over FTP; prices from the file, or from EC Express XML when the file is older than 36 h),
// with the peak RSS of this process — run 20k and 100k in separate processes to compare them.
import { IngramAdapter } from '../src/distributors/ingram/adapter';
import { startIngramSim } from '../src/distributors/ingram/sim';
import { runTdSynnexCatalogBench } from '../src/distributors/td-synnex/sim/bench';
import { contractChecking, flag, numberArg, stringArg } from './args';

export async function run(args: string[]): Promise<object> {
  const skus = numberArg(args, 'skus', 20_000);
  const distributor = stringArg(args, 'distributor', 'ingram');
  if (distributor === 'td-synnex') {
    const fileAgeHours = args.includes('--file-age-hours') ? numberArg(args, 'file-age-hours', 0) : undefined;
    const pageSize = args.includes('--page-size') ? numberArg(args, 'page-size', 0) : undefined;
    const r = await runTdSynnexCatalogBench({ skus, pageSize, fileAgeHours, seed: numberArg(args, 'seed', 42), checkContract: contractChecking(args) });
    return { scenario: 'distributor-catalog', distributor, ...r, skusPerSecond: Math.round((r.items / r.elapsedMs) * 1000) };
  }
  if (distributor !== 'ingram') throw new Error(`--distributor ${distributor}: ingram or td-synnex`);
  const pageSize = numberArg(args, 'page-size', 100);
  const checkContract = contractChecking(args);
  const rateLimited = flag(args, 'rate-limit');
  const sim = await startIngramSim({ catalog: { skus, seed: numberArg(args, 'seed', 42) }, checkContract, rateLimit: rateLimited ? {} : false });
  try {
    const adapter = new IngramAdapter(sim.adapterSettings({ pageSize, maxRateLimitWaitMs: 120_000 }));
    const started = Date.now();
    let listed = 0;
    let priced = 0;
    let notFound = 0;
    let withIssues = 0;
    let pages = 0;
    for await (const page of adapter.listProducts()) {
      pages++;
      listed += page.items.length;
      const ids = page.items.map((p) => p.distributorSku);
      // The adapter batches to 50; the page's batches run side by side.
      const chunks = [];
      for (let i = 0; i < ids.length; i += 50) chunks.push(adapter.priceAndAvailability(ids.slice(i, i + 50)));
      for (const result of (await Promise.all(chunks)).flat()) {
        priced++;
        if (result.status === 'not_found') notFound++;
        if (result.issues.length) withIssues++;
      }
    }
    const elapsedMs = Date.now() - started;
    return {
      scenario: 'distributor-catalog',
      distributor: 'ingram',
      skus,
      pageSize,
      contractChecking: checkContract ? 'on' : 'off (--no-check-contract)',
      rateLimit: rateLimited ? '60 GET/min per endpoint' : 'off',
      pages,
      listed,
      priced,
      notFound,
      pricedWithIssues: withIssues,
      requestsByEndpoint: sim.server.countsObject(),
      totalRequests: sim.server.totalRequests(),
      elapsedMs,
      skusPerSecond: Math.round((listed / elapsedMs) * 1000),
      violations: checkContract ? sim.takeViolations().length : undefined,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    };
  } finally {
    await sim.stop();
  }
}
