// `npm run bench -- chaos [--skus 5000 --pos 100 --subscriptions 30 --companies 500 --seed 1 --kills 3 --latency-ms 0 --real-limits --no-check-contract]`:
// Product Sync and orders through to shipped, CloudBlue subscriptions synced to Autotask contracts
// and the customer export (a full pass, then an incremental one), first fault-free, then with every simulator injecting
// ~5% 5xx, 2% 429 with Retry-After, 1% resets and 1% timeouts (half after the write) and the worker
// SIGKILLed `--kills` times; compares the simulators' final states (bench/harness/chaos-run.ts).
// Worker processes need PostgreSQL: DATABASE_URL, else the test default; a schema per run, dropped.
import { installTemporalLogger } from '../src/runtime/temporal-logger';
import { stateDifferences } from '../src/sim/chaos';
import { contractChecking, flag, numberArg } from './args';
import { startProcessBench } from './harness/process-bench';
import { REAL_LIMITS, runChaos, type ChaosRunReport } from './harness/chaos-run';


export async function run(args: string[]): Promise<object> {
  installTemporalLogger();
  const skus = numberArg(args, 'skus', 5000);
  const pos = numberArg(args, 'pos', 100);
  const subscriptions = numberArg(args, 'subscriptions', 30);
  const companies = numberArg(args, 'companies', 500);
  const seed = numberArg(args, 'seed', 1);
  const kills = numberArg(args, 'kills', 3);
  const limits = flag(args, 'real-limits') ? REAL_LIMITS : false;
  // The simulators answer in about a millisecond, real APIs in tens to hundreds: with latency the
  // faults' fixed costs (Retry-After, timeouts, a killed worker's heartbeat timeout) weigh as they would.
  const latencyMs = args.includes('--latency-ms') ? numberArg(args, 'latency-ms', 0) : undefined;
  const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);
  const { server, keySpec, ring, client, databaseUrl, bundlePath, stamp, openSchema, dropSchema, stop } = await startProcessBench('chaos');
  const once = async (name: string, faults: boolean, runKills: number): Promise<ChaosRunReport> => {
    const database = await openSchema(name);
    try {
      log(`${name}: ${skus} SKUs, ${pos} POs, ${subscriptions} subscriptions, ${companies} companies, seed ${seed}${faults ? `, faults, ${runKills} SIGKILLs` : ''}`);
      return await runChaos({
        name: `${name}-${stamp}`, skus, pos, subscriptions, companies, seed, faults, limits, kills: runKills, latencyMs, client, database, ring,
        worker: { kind: 'child', address: server.address, keySpec, databaseUrl, bundlePath },
        checkContract: contractChecking(args),
        log: (line) => log(`${name}: ${line}`),
      });
    } finally {
      await dropSchema(database);
    }
  };
  try {
    const reference = await once('fault-free', false, 0);
    const chaos = await once('chaos', true, kills);
    const differences = stateDifferences(chaos.state, reference.state);
    const ratio = (a: number, b: number) => Math.round((a / Math.max(1, b)) * 100) / 100;
    return {
      scenario: 'chaos',
      skus, pos, subscriptions, companies, seed, kills, latencyMs: latencyMs ?? 0, realLimits: !!limits,
      completed: chaos.completed && reference.completed,
      duplicates: chaos.duplicates,
      differences: differences.length,
      differenceSamples: differences.slice(0, 10),
      elapsed: {
        faultFreeMs: reference.elapsedMs,
        chaosMs: chaos.elapsedMs,
        ratio: ratio(chaos.elapsedMs, reference.elapsedMs),
        target: 3,
        productSyncMs: { faultFree: reference.productSync.elapsedMs, chaos: chaos.productSync.elapsedMs },
        ordersMs: { faultFree: reference.orders.elapsedMs, chaos: chaos.orders.elapsedMs },
        subscriptionsMs: { faultFree: reference.subscriptions?.elapsedMs ?? 0, chaos: chaos.subscriptions?.elapsedMs ?? 0 },
        exportMs: { faultFree: reference.export?.elapsedMs ?? 0, chaos: chaos.export?.elapsedMs ?? 0 },
      },
      retries: chaos.retries,
      activityRetries: chaos.activityRetries,
      activityFailures: chaos.activityFailures,
      injected: chaos.injected,
      nonSuccessAnswers: chaos.responses,
      requestsPerRecord: { faultFree: reference.requests.perRecord, chaos: chaos.requests.perRecord, ratio: ratio(chaos.requests.perRecord, reference.requests.perRecord) },
      requests: { faultFree: reference.requests, chaos: chaos.requests },
      killsDone: chaos.kills,
      productSync: { faultFree: reference.productSync, chaos: chaos.productSync },
      orders: { faultFree: reference.orders.states, chaos: chaos.orders.states, errors: chaos.orders.errors.slice(0, 10) },
      subscriptionTasks: { faultFree: reference.subscriptions?.tasks ?? {}, chaos: chaos.subscriptions?.tasks ?? {}, marketplaceOrders: chaos.subscriptions?.orders ?? {}, notSynced: chaos.subscriptions?.notSynced.slice(0, 10) ?? [] },
      export: {
        faultFree: reference.export && { documents: reference.export.documents, full: reference.export.full?.summary ?? null, incremental: reference.export.incremental?.summary ?? null },
        chaos: chaos.export && { documents: chaos.export.documents, repeatedDeliveries: chaos.export.repeatedDeliveries, full: chaos.export.full?.summary ?? null, incremental: chaos.export.incremental?.summary ?? null },
      },
      autotaskLimits: { faultFree: reference.autotaskLimits, chaos: chaos.autotaskLimits },
      problems: { faultFree: reference.problems, chaos: chaos.problems },
      contractViolations: { faultFree: reference.contractViolations.length, chaos: chaos.contractViolations.length, samples: chaos.contractViolations.slice(0, 5) },
    };
  } finally {
    await stop();
  }
}
