// `npm run bench -- catalog --skus 20000 [--distributor ingram|td-synnex]`: Product Sync of the sandbox catalog in three phases —
// initial (everything created), no change (nothing written), after one simulated day (only changes
// written) — with a real dev server, the real worker and the shared PostgreSQL-style limiter.
// Simulators run in a child process, without contract checks, so the worker's RSS is its own.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase, sql } from '../db';
import { migrateDatabase } from '../db/migrate';
import { postgresLimiter } from '../src/autotask/limits-pg';
import { memoryLimiter } from '../src/autotask/limits';
import { connect } from '../src/client/connectors';
import { connectTemporal, createClient, createDataConverter } from '../src/client/connection';
import { parseKeyRing, generateKeySpec } from '../src/crypto/keys';
import { startDevServer } from '../src/runtime/temporal-dev-server';
import { installTemporalLogger } from '../src/runtime/temporal-logger';
import { buildWorkflowBundleFile, createWorker } from '../src/worker';
import type { ProductSyncResult } from '../src/workflows/product-sync';
import { contractChecking, numberArg, stringArg } from './args';

type Counts = Record<string, number>;

async function admin(base: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}/__admin${p}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.status === 204 ? undefined : res.json();
}

export async function run(args: string[]): Promise<object> {
  installTemporalLogger();
  const skus = numberArg(args, 'skus', 20_000);
  const distributorKind = stringArg(args, 'distributor', 'ingram');
  // The deployed limiter is PostgreSQL-backed; `--limiter memory|off` shows what it costs.
  const limiterArg = args.includes('--limiter') ? args[args.indexOf('--limiter') + 1] : 'postgres';
  const checkContract = contractChecking(args);
  const server = await startDevServer({ headless: true, port: 0 });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '_sandbox-process.ts'), String(skus), distributorKind, checkContract ? 'check' : 'no-check'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise<{ connectRequest: any; autotask: string; distributor: string }>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, schemaName: `bench_${Date.now().toString(36)}` } : { dataDir: 'memory://' });
  await migrateDatabase(database);
  const ring = parseKeyRing(generateKeySpec());
  const connection = await connectTemporal(server.address);
  const client = createClient(connection, 'default', ring);
  const taskQueue = 'bench-catalog';
  const worker = await createWorker({
    workflowBundlePath: await buildWorkflowBundleFile(path.join(os.tmpdir(), `bench-workflows-${process.pid}.js`)),
    connection: await NativeConnection.connect({ address: server.address }),
    namespace: 'default',
    taskQueue,
    dataConverter: createDataConverter(ring),
    deps: { database, ring, temporal: client, taskQueue, limiter: limiterArg === 'off' ? false : limiterArg === 'memory' ? memoryLimiter() : postgresLimiter(database) },
  });

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    return await worker.runUntil(async () => {
      const view = await connect(client, taskQueue, ring, { ...info.connectRequest, settings: { productSync: { ...info.connectRequest.settings.productSync, selection: { limit: Math.max(skus * 2, 20_000) } } } });
      if (view.status !== 'connected') throw new Error(`sandbox connector: ${view.statusMessage}`);
      const phase = async (name: string) => {
        await admin(info.autotask, '/counts/reset', {});
        await admin(info.distributor, '/counts/reset', {});
        peakRss = process.memoryUsage().rss;
        const started = Date.now();
        const result = (await client.workflow.execute('productSyncWorkflow', { workflowId: `bench-${name}-${Date.now()}`, taskQueue, args: [{ connectorId: 'bench' }] })) as ProductSyncResult;
        const elapsedMs = Date.now() - started;
        const autotask = (await admin(info.autotask, '/counts')) as Counts;
        const distributor = (await admin(info.distributor, '/counts')) as Counts;
        const writes = Object.entries(autotask).filter(([k]) => /^(POST|PATCH|PUT) /.test(k) && !k.includes('/query')).reduce((n, [, v]) => n + v, 0);
        const reads = Object.entries(autotask).filter(([k]) => k.includes('/query')).reduce((n, [, v]) => n + v, 0);
        const changed = result.counters.created + result.counters.updated + result.counters.deactivated + result.counters.adopted;
        return {
          phase: name,
          elapsedMs,
          skusPerSecond: Math.round((result.counters.processed / elapsedMs) * 1000),
          counters: result.counters,
          pages: result.pages,
          autotaskRequests: { total: Object.values(autotask).reduce((a, b) => a + b, 0), writes, queries: reads, byEndpoint: autotask },
          writesPerChangedSku: changed ? Math.round((writes / changed) * 100) / 100 : 0,
          distributorRequests: { total: Object.values(distributor).reduce((a, b) => a + b, 0), byEndpoint: distributor },
          peakWorkerRssMb: Math.round(peakRss / 1024 / 1024),
        };
      };
      const initial = await phase('initial');
      const noChange = await phase('no-change');
      await admin(info.distributor, '/catalog/day', { advance: 1 });
      const afterDay = await phase('after-one-day');
      const violations = checkContract ? [...((await admin(info.autotask, '/violations')) as string[]), ...((await admin(info.distributor, '/violations')) as string[])] : undefined;
      return {
        scenario: 'catalog', distributor: distributorKind, skus, database: database.driver, limiter: limiterArg,
        contractChecking: checkContract ? 'on' : 'off (--no-check-contract)', contractViolations: violations?.length, violationSamples: violations?.slice(0, 5),
        phases: [initial, noChange, afterDay],
      };
    });
  } finally {
    clearInterval(sampler);
    child.stdin!.end();
    if (database.driver === 'postgres') await database.query(sql.raw(`drop schema if exists "${database.schemaName}" cascade`));
    await database.close();
    await connection.close();
    await server.stop();
  }
}
