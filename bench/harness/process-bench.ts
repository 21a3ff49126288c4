// What a bench with worker processes (chaos, parallel) starts with: a dev server and a client, a key
// the children get too, PostgreSQL (a schema per run, dropped after), and a prebuilt workflow bundle.
import os from 'node:os';
import path from 'node:path';
import { openDatabase, sql, type Database } from '../../db';
import { migrateDatabase } from '../../db/migrate';
import { connectTemporal, createClient } from '../../src/client/connection';
import { generateKeySpec, parseKeyRing } from '../../src/crypto/keys';
import { startDevServer } from '../../src/runtime/temporal-dev-server';
import { buildWorkflowBundleFile } from '../../src/worker';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function startProcessBench(name: string) {
  const server = await startDevServer({ headless: true, port: 0 });
  const connection = await connectTemporal(server.address);
  const keySpec = generateKeySpec('bench');
  const ring = parseKeyRing(keySpec);
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const bundlePath = await buildWorkflowBundleFile(path.join(os.tmpdir(), `bench-${name}-workflows-${process.pid}.js`));
  const stamp = Date.now().toString(36);
  return {
    server, keySpec, ring, databaseUrl, bundlePath, stamp,
    client: createClient(connection, 'default', ring),
    /** A migrated schema of its own for one run. */
    openSchema: async (run: string): Promise<Database> => {
      const database = await openDatabase({ url: databaseUrl, schemaName: `bench_${name}_${stamp}_${run.replace(/-/g, '_')}`, maxConnections: 5 });
      await migrateDatabase(database);
      return database;
    },
    dropSchema: async (database: Database): Promise<void> => {
      await database.query(sql.raw(`drop schema if exists "${database.schemaName}" cascade`))
        .catch((err: Error) => process.stderr.write(`[${name}] could not drop schema ${database.schemaName}: ${err.message}\n`));
      await database.close();
    },
    stop: async (): Promise<void> => {
      await connection.close();
      await server.stop();
    },
  };
}
