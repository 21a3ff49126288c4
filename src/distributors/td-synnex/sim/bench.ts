// For the benchmarks: the adapter's catalog walk over a simulated price file of `skus` lines, page by
// page as Product Sync runs it (fetchProductPage, then price and availability for the page's SKUs).
// The file is streamed: memory must not grow with the file (peak RSS at 100k SKUs within 1.2× of 20k).
import { TdSynnexAdapter } from '../adapter';
import { startTdSynnexSim } from './index';

export interface CatalogBenchOptions {
  skus: number;
  /** Lines per page (default: the setting's default). */
  pageSize?: number;
  /** Price and availability per page (from the file while it is fresh; default true). */
  withPna?: boolean;
  /** Backdate the file so that P&A goes through the XML call. */
  fileAgeHours?: number;
  seed?: number;
  /** Every XML exchange checked against the simulator's schemas (default true; the checker's memory is per request, not per line). */
  checkContract?: boolean;
}

export interface CatalogBenchResult {
  skus: number;
  pages: number;
  /** FTP logins + FTP transfers + XML calls. */
  requests: number;
  elapsedMs: number;
  peakRssMb: number;
  items: number;
  invalid: number;
  fileBytes: number;
  requestsByKind: { ftpLogins: number; ftpTransfers: number; xml: number };
  contractViolations?: string[];
}

export async function runTdSynnexCatalogBench(options: CatalogBenchOptions): Promise<CatalogBenchResult> {
  const sim = await startTdSynnexSim({ catalog: { skus: options.skus, seed: options.seed ?? 42 }, checkContract: options.checkContract ?? true, writeFile: false });
  try {
    const file = await sim.writeFile({ ageHours: options.fileAgeHours });
    const adapter = new TdSynnexAdapter(sim.settings({ pageSize: options.pageSize, maxFileAgeHours: 36 }), sim.secrets, 'bench');
    let peak = process.memoryUsage().rss;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const started = Date.now();
    let pages = 0;
    let items = 0;
    let invalid = 0;
    try {
      let cursor: string | null = null;
      do {
        const page = await adapter.fetchProductPage(cursor);
        pages++;
        items += page.items.length;
        invalid += page.invalid.length;
        if (options.withPna ?? true) await adapter.priceAndAvailability(page.items.map((p) => p.distributorSku));
        cursor = page.nextCursor;
        peak = Math.max(peak, process.memoryUsage().rss);
      } while (cursor);
    } finally {
      clearInterval(sample);
      adapter.close();
    }
    const elapsedMs = Date.now() - started;
    const r = sim.requests();
    return {
      skus: options.skus, pages, requests: r.ftpLogins + r.ftpTransfers + r.xml, elapsedMs, peakRssMb: Math.round(peak / 1e6),
      items, invalid, fileBytes: file.bytes, requestsByKind: r,
      contractViolations: (options.checkContract ?? true) ? sim.takeViolations() : undefined,
    };
  } finally {
    await sim.stop();
  }
}
