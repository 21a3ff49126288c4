// Every database test runs twice: on embedded PGlite and on real PostgreSQL (a fresh schema per
// test file, dropped afterwards). TEST_DATABASE_URL overrides the local default.
import { openDatabase, sql, type Database } from '../../db';
import { migrateDatabase } from '../../db/migrate';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  driver: 'pglite' | 'postgres';
  /** Opens a migrated database (unless `migrate: false` was asked); call `close()` when done. */
  open(): Promise<Database>;
}

let counter = 0;

export function testDatabases({ migrate = true }: { migrate?: boolean } = {}): TestDatabase[] {
  return [
    { driver: 'pglite', open: () => openTest({ dataDir: 'memory://' }, migrate) },
    {
      driver: 'postgres',
      open: () => openTest({ url: TEST_DATABASE_URL, schemaName: `t_${process.pid}_${Date.now().toString(36)}_${counter++}` }, migrate, true),
    },
  ];
}

async function openTest(options: Parameters<typeof openDatabase>[0], migrate: boolean, dropOnClose = false): Promise<Database> {
  const database = await openDatabase({ ...options, maxConnections: 5 });
  if (migrate) await migrateDatabase(database);
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
