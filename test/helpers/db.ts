// Every database test runs twice: on embedded PGlite and on real PostgreSQL (a fresh schema per
// test file, dropped afterwards). TEST_DATABASE_URL overrides the local default.
import { openDatabase, sql, type Database } from '../../db';
import { migrateDatabase } from '../../db/migrate';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  driver: 'pglite' | 'postgres';
  /** Opens a migrated database; call `close()` (or `closeAll()`) when done. */
  open(): Promise<Database>;
}

let counter = 0;

export function testDatabases(): TestDatabase[] {
  return [
    { driver: 'pglite', open: () => openMigrated({ dataDir: 'memory://' }) },
    {
      driver: 'postgres',
      open: () => openMigrated({ url: TEST_DATABASE_URL, schemaName: `t_${process.pid}_${Date.now().toString(36)}_${counter++}` }, true),
    },
  ];
}

async function openMigrated(options: Parameters<typeof openDatabase>[0], dropOnClose = false): Promise<Database> {
  const database = await openDatabase({ ...options, maxConnections: 5 });
  await migrateDatabase(database);
  if (!dropOnClose) return database;
  const close = database.close;
  return {
    ...database,
    close: async () => {
      await database.query(sql.raw(`drop schema if exists "${database.schemaName}" cascade`));
      await close();
    },
  };
}
