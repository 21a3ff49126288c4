// A worker in its own process, for the chaos run to SIGKILL (bench/harness/chaos-run.ts). Wired
// like the engine's worker; prints READY, then the retries and non-2xx answers its clients saw
// (`TALLY {json}`), so a kill loses at most the last half second of them.
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../db';
import { memoryLimiter, type LimitSettings } from '../../src/autotask/limits';
import { postgresLimiter } from '../../src/autotask/limits-pg';
import { connectTemporal, createClient, createDataConverter } from '../../src/client/connection';
import { parseKeyRing } from '../../src/crypto/keys';
import { installTemporalLogger } from '../../src/runtime/temporal-logger';
import { createWorker } from '../../src/worker';
import { RequestTally, TALLY_EVERY_MS } from './chaos-run';

async function main(): Promise<void> {
  installTemporalLogger();
  const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
  const address = env('CHAOS_TEMPORAL_ADDRESS');
  const taskQueue = env('CHAOS_TASK_QUEUE');
  const ring = parseKeyRing(env('CHAOS_KEY_SPEC'));
  const database = await openDatabase({ url: env('CHAOS_DATABASE_URL'), schemaName: env('CHAOS_DATABASE_SCHEMA'), maxConnections: 5 });
  const client = createClient(await connectTemporal(address), 'default', ring);
  // CHAOS_LIMITER_STORE=postgres: the engine's limiter, shared by every worker on the database (bench/parallel.ts runs several).
  const limitSettings = JSON.parse(env('CHAOS_LIMITER')) as Partial<LimitSettings>;
  const limiter = process.env.CHAOS_LIMITER_STORE === 'postgres' ? postgresLimiter(database, limitSettings) : memoryLimiter(limitSettings);
  const tally = new RequestTally();
  tally.listen();
  let last = '';
  setInterval(() => {
    const line = JSON.stringify(tally);
    if (line !== last) process.stdout.write(`TALLY ${(last = line)}\n`);
  }, TALLY_EVERY_MS).unref();
  const worker = await createWorker({
    connection: await NativeConnection.connect({ address }),
    namespace: 'default',
    taskQueue,
    dataConverter: createDataConverter(ring),
    workflowBundlePath: env('CHAOS_BUNDLE'),
    deps: { database, ring, temporal: client, taskQueue, limiter, autotask: JSON.parse(env('CHAOS_AUTOTASK')) },
    // A killed worker's workflow tasks move to the next worker quickly.
    stickyQueueScheduleToStartTimeout: '1 second',
  });
  process.stdout.write('READY\n');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
