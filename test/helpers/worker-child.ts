// A worker in its own process, for the crash tests: `node --import tsx test/helpers/worker-child.ts`.
// It stops dead where a crash hurts most, and the parent kills it with SIGKILL right there:
// - ORDER_CHILD_HANG_AFTER_SUBMIT=1: the submit activity prints SUBMITTED once the distributor has the
//   order, then never returns;
// - CHILD_HANG_AFTER_ADJUSTMENT=1: a ContractServiceAdjustment create prints SENT once Autotask has
//   answered with its id, then never returns (sent, not yet recorded as sent);
// - CHILD_MAX_ACTIVITIES=n: at most n activities at once (one: each kill lands on one write).
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../db';
import { createActivities } from '../../src/activities';
import { CreateOnlyChildResource } from '../../src/autotask/contracts';
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
  if (process.env.CHILD_HANG_AFTER_ADJUSTMENT) {
    const create = CreateOnlyChildResource.prototype.create;
    CreateOnlyChildResource.prototype.create = async function (this: CreateOnlyChildResource<never>, ...args: Parameters<typeof create>) {
      const id = await create.apply(this, args);
      process.stdout.write(`SENT ${id}\n`);
      return new Promise<number>(() => undefined);
    };
  }
  const worker = await createWorker({
    connection: await NativeConnection.connect({ address }), namespace: 'default', taskQueue, dataConverter: createDataConverter(ring), deps, activities,
    ...(process.env.CHILD_MAX_ACTIVITIES ? { maxConcurrentActivityTaskExecutions: Number(process.env.CHILD_MAX_ACTIVITIES) } : {}),
  });
  process.stdout.write('READY\n');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
