// A worker in its own process, for the crash test to SIGKILL. Wired like the engine's worker.
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../db';
import { memoryLimiter } from '../../src/autotask/limits';
import { connectTemporal, createClient, createDataConverter } from '../../src/client/connection';
import { installTemporalLogger } from '../../src/runtime/temporal-logger';
import { createWorker } from '../../src/worker';
import { testKeyRing } from '../helpers/temporal';

async function main(): Promise<void> {
  installTemporalLogger();
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const taskQueue = process.env.CRASH_TASK_QUEUE!;
  const database = await openDatabase({ url: process.env.CRASH_DATABASE_URL!, schemaName: process.env.CRASH_DATABASE_SCHEMA! });
  const ring = testKeyRing();
  const client = createClient(await connectTemporal(address), 'default', ring);
  const worker = await createWorker({
    connection: await NativeConnection.connect({ address }),
    namespace: 'default',
    taskQueue,
    dataConverter: createDataConverter(ring),
    deps: { database, ring, temporal: client, taskQueue, limiter: memoryLimiter() },
    workflowBundlePath: process.env.CRASH_BUNDLE,
    // A killed worker's workflow tasks move to the next worker quickly.
    stickyQueueScheduleToStartTimeout: '1 second',
  });
  process.stdout.write('worker ready\n');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
