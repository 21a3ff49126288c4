// Records a workflow history for the replay suite: `npx tsx scripts/record-history.ts <scenario>`
// (scenarios in test/replay/scenarios.ts). Runs on a throw-away dev server and in-memory database,
// encrypted with the fixed test key, and writes test/histories/<scenario>.json.
import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { openDatabase } from '../db';
import { migrateDatabase } from '../db/migrate';
import { connectTemporal, createClient, createDataConverter } from '../src/client/connection';
import { startDevServer } from '../src/runtime/temporal-dev-server';
import { createWorker } from '../src/worker';
import { installTemporalLogger } from '../src/runtime/temporal-logger';
import { scenarios } from '../test/replay/scenarios';
import { testKeyRing } from '../test/helpers/temporal';

async function main(): Promise<void> {
  const name = process.argv[2];
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`usage: record-history.ts <${Object.keys(scenarios).join('|')}>`);
  installTemporalLogger();
  const server = await startDevServer({ headless: true, port: 0 });
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateDatabase(database);
    const ring = testKeyRing();
    const connection = await connectTemporal(server.address);
    const client = createClient(connection, 'default', ring);
    const taskQueue = `record-${name}`;
    const worker = await createWorker({
      connection: await NativeConnection.connect({ address: server.address }),
      namespace: 'default', taskQueue, dataConverter: createDataConverter(ring), deps: { database, ring, temporal: client, taskQueue, limiter: false },
    });
    const workflowId = await worker.runUntil(scenario({ client, taskQueue, database }));
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const out = path.join(__dirname, '..', 'test', 'histories', `${name}.json`);
    fs.writeFileSync(out, historyToJSON(history));
    console.log(`wrote ${out} (${history.events?.length} events)`);
    await connection.close();
  } finally {
    await database.close();
    await server.stop();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
