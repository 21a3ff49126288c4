// A worker in its own process, for the crash test: `tsx test/orders/worker-child.ts`. With
// ORDER_CHILD_HANG_AFTER_SUBMIT=1 the submit activity prints SUBMITTED once the distributor has
// the order and then never returns — the parent kills this process with SIGKILL right there.
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../db';
import { createActivities } from '../../src/activities';
import { connectTemporal, createClient, createDataConverter } from '../../src/client/connection';
import { createWorker } from '../../src/worker';
import { testKeyRing } from '../helpers/temporal';

async function main(): Promise<void> {
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const taskQueue = process.env.ORDER_CHILD_TASK_QUEUE!;
  const database = await openDatabase({ url: process.env.ORDER_CHILD_DATABASE_URL!, schemaName: process.env.ORDER_CHILD_SCHEMA, maxConnections: 3 });
  const ring = testKeyRing();
  const client = createClient(await connectTemporal(address), 'default', ring);
  const deps = { database, ring, temporal: client, taskQueue, limiter: false as const };
  const activities: Record<string, (...args: any[]) => Promise<unknown>> = createActivities(deps);
  if (process.env.ORDER_CHILD_HANG_AFTER_SUBMIT) {
    const submit = activities.submitDistributorOrder;
    activities.submitDistributorOrder = async (...args) => {
      await submit(...args);
      process.stdout.write('SUBMITTED\n');
      return new Promise(() => undefined);
    };
  }
  const worker = await createWorker({
    connection: await NativeConnection.connect({ address }), namespace: 'default', taskQueue, dataConverter: createDataConverter(ring), deps, activities,
  });
  process.stdout.write('READY\n');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
