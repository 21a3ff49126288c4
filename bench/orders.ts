// `npm run bench -- orders --pos 500 [--distributor ingram|td-synnex] [--ms-per-step 300] [--no-check-contract] [--latency-ms 0]`:
// the Submit Order scan starts one lifecycle workflow per PO; every order is validated, submitted to
// the distributor's simulator exactly once and tracked until shipped on the simulator's fast clock, with
// write-back to the Autotask simulator. Own Temporal dev server, in-memory PGlite, sandbox, worker.
// `autotaskRequestsPerOrder` (target ≤ 5, issue 16) and `autotaskPerOrderByStep`: Autotask requests by the
// activity that made them (scan, validate, each poll's write-back), per order.
import { Context } from '@temporalio/activity';
import { NativeConnection } from '@temporalio/worker';
import { inArray, sql } from 'drizzle-orm';
import { openDatabase } from '../db';
import { migrateDatabase } from '../db/migrate';
import { productLinks } from '../db/schema/catalog';
import { orderLinks } from '../db/schema/orders';
import { memoryLimiter } from '../src/autotask/limits';
import { connectTemporal, createClient, createDataConverter } from '../src/client/connection';
import { connectInput } from '../src/client/connectors';
import { mergeSettings } from '../src/connector/settings';
import { ConnectorStore } from '../src/connector/store';
import { submitStatusSetting } from '../src/connector/submit-status';
import { generateKeySpec, parseKeyRing } from '../src/crypto/keys';
import { startSandbox } from '../src/sim';
import { seedSandboxPurchaseOrders } from '../src/sim/sandbox-orders';
import { startDevServer } from '../src/runtime/temporal-dev-server';
import { installTemporalLogger } from '../src/runtime/temporal-logger';
import { createWorker } from '../src/worker';
import { submitOrderTemplate } from '../src/templates/submit-order';
import { workflowIds } from '../src/workflows/ids';
import { integrationKind } from '../src/integrations/registry';
import { clientPoNumber } from '../src/orders/client-po';
import { requestObserver } from '../src/http/observe';
import { contractChecking, flag, numberArg, stringArg } from './args';

export async function run(args: string[]): Promise<object> {
  const pos = numberArg(args, 'pos', 500);
  const msPerStep = numberArg(args, 'ms-per-step', 300);
  const skuCount = numberArg(args, 'skus', 60);
  const checkContract = contractChecking(args);
  const kind = stringArg(args, 'distributor', 'ingram');
  installTemporalLogger();
  const server = await startDevServer({ headless: true, port: 0 });
  const database = await openDatabase({ dataDir: 'memory://' });
  const sandbox = await startSandbox({
    autotask: { hourlyLimit: 100_000_000, checkContract, latencyMs: numberArg(args, 'latency-ms', 0) },
    ingram: { catalog: { skus: 2_000, seed: 7 }, rateLimit: false, msPerStep, checkContract },
    tdSynnex: { catalog: { skus: 2_000, seed: 7 }, msPerStep, checkContract },
    pax8: false,
    cloudblue: false,
    integrations: [kind],
  });
  const distributor = sandbox.simulators.get(kind)?.distributor;
  if (!distributor) throw new Error(`--distributor ${kind}: no distributor simulator of that kind`);
  const connection = await connectTemporal(server.address);
  try {
    await migrateDatabase(database);
    const ring = parseKeyRing(generateKeySpec('bench'));
    const client = createClient(connection, 'default', ring);
    const connectorId = 'bench';
    const taskQueue = 'bench-orders';

    // A connected connector, and the product links Product Sync would have written.
    const store = new ConnectorStore(database, ring);
    await store.save({ connectorId, ...connectInput(ring, sandbox.connectRequest(connectorId, {})) });
    const saved = await store.get(connectorId);
    await store.updateSettings(connectorId, mergeSettings(saved.settings, {
      orders: {
        pollSeconds: { initial: (msPerStep * 2) / 1000, max: (msPerStep * 8) / 1000, backoff: 2 }, trackUntil: 'shipped', maxStartsPerScan: Math.max(1000, pos),
        // The seeded POs are New (1): confirmed as an operator would.
        submitStatus: submitStatusSetting([{ value: 1, label: 'New' }], { at: new Date().toISOString(), by: 'bench' }),
      },
    }));
    await store.setVendorCompany(connectorId, kind, sandbox.vendorCompanyId, integrationKind(kind).label);
    await store.setStatus(connectorId, 'connected', undefined, []);
    await store.setIntegrationStatus(connectorId, kind, 'connected', undefined, []);
    const skus = distributor.orderableSkus(skuCount).map((s) => s.sku);
    const productIds = sandbox.autotask.seed('Products', skus.map((sku) => ({ name: `Bench ${sku}`, sku, isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId, unitCost: 10, billingType: 1 })));
    await database.db.insert(productLinks).values(skus.map((sku, i) => ({ connectorId, integrationId: kind, distributorSku: sku, autotaskProductId: productIds[i] })));
    const poIds = seedSandboxPurchaseOrders(sandbox, { count: pos, productIds });

    const worker = await createWorker({
      connection: await NativeConnection.connect({ address: server.address }), namespace: 'default', taskQueue, dataConverter: createDataConverter(ring),
      deps: { database, ring, temporal: client, taskQueue, limiter: memoryLimiter() }, maxConcurrentActivityTaskExecutions: 200,
    });
    sandbox.autotask.sim.counts.clear();
    distributor.resetRequests();
    // Autotask requests by the activity that made them (the step): the worker runs in this process.
    const bySteps: Record<string, number> = {};
    const unsubscribe = requestObserver.subscribe({
      request(e) {
        if (e.vendor !== 'autotask') return;
        let step = 'outside an activity';
        try {
          step = Context.current().info.activityType;
        } catch {
          // not in an activity
        }
        bySteps[step] = (bySteps[step] ?? 0) + 1;
      },
    });
    const submitsBefore = distributor.submits();

    const started = Date.now();
    const result = await worker.runUntil(async () => {
      const scan = await client.workflow.execute('orderScanWorkflow', { workflowId: submitOrderTemplate.workflowId(connectorId, kind), taskQueue, args: [{ connectorId, integrationId: kind, trigger: 'manual' }] });
      const scanMs = Date.now() - started;
      let shipped = 0;
      const deadline = Date.now() + 15 * 60_000;
      while (Date.now() < deadline) {
        const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(orderLinks).where(inArray(orderLinks.state, ['shipped', 'delivered', 'closed']));
        shipped = row.n;
        if (shipped >= pos) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const elapsedMs = Date.now() - started;
      // (A poll can find an order already delivered: the simulator's clock may take several steps between polls.)
      // Wait for every workflow to close before reading histories.
      await Promise.all(poIds.map((id) => client.workflow.getHandle(workflowIds.order(connectorId, id)).result().catch(() => undefined)));
      const events: number[] = [];
      for (const id of poIds) events.push((await client.workflow.getHandle(workflowIds.order(connectorId, id)).fetchHistory()).events?.length ?? 0);
      return { scan, scanMs, shipped, elapsedMs, events };
    });
    unsubscribe();

    const ordersPerPo = poIds.map((id) => distributor.ordersFor(clientPoNumber(id)).length);
    const submits = distributor.submits() - submitsBefore;
    const byEndpoint = distributor.requests();
    const autotaskRequests = sandbox.autotask.sim.totalRequests();
    const distributorRequests = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
    const ev = [...result.events].sort((a, b) => a - b);
    const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      pos,
      msPerStep,
      shipped: result.shipped,
      allShipped: result.shipped === pos,
      elapsedMs: result.elapsedMs,
      scanMs: result.scanMs,
      ordersPerSec: round((result.shipped / result.elapsedMs) * 1000),
      distributor: kind,
      distributorOrders: ordersPerPo.reduce((a, b) => a + b, 0),
      distributorSubmits: submits,
      submitsPerPo: round(submits / pos, 3),
      posSplitIntoSeveralOrders: ordersPerPo.filter((n) => n > 1).length,
      autotaskRequests,
      autotaskRequestsPerOrder: round(autotaskRequests / pos, 2),
      autotaskRequestsPerOrderTarget: 5,
      autotaskPerOrderByStep: Object.fromEntries(Object.entries(bySteps).sort().map(([k, v]) => [k, round(v / pos, 2)])),
      autotaskByEndpoint: sandbox.autotask.sim.countsObject(),
      distributorRequests,
      distributorRequestsPerOrder: round(distributorRequests / pos, 2),
      distributorByEndpoint: byEndpoint,
      historyEventsPerOrder: { mean: round(ev.reduce((a, b) => a + b, 0) / Math.max(1, ev.length)), p50: ev[Math.floor(ev.length / 2)], max: ev.at(-1), target: 200 },
      contractViolations: sandbox.takeViolations().length,
      checkContract,
    };
  } finally {
    await connection.close();
    await sandbox.stop();
    await database.close();
    await server.stop();
  }
}
