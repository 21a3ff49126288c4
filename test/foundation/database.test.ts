import fs from 'node:fs';
import path from 'node:path';
import { sql } from '../../db';
import { migrateDatabase, migrationsFolder } from '../../db/migrate';
import { testDatabases } from '../helpers/db';

describe.each(testDatabases())('migrations on $driver', ({ open }) => {
  it('apply at start-up and are safe to run again, also concurrently', async () => {
    const database = await open();
    try {
      await Promise.all([migrateDatabase(database), migrateDatabase(database)]);
      await migrateDatabase(database);
      const tables = await database.query<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = ${database.schemaName} order by 1`,
      );
      expect(tables.map((t) => t.table_name)).toContain('action_log');
      const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
      const applied = await database.query<{ n: number }>(
        sql.raw(`select count(*)::int as n from "${database.schemaName === 'public' ? 'drizzle' : database.schemaName}"."__drizzle_migrations"`),
      );
      expect(applied[0].n).toBe(journal.entries.length);
    } finally {
      await database.close();
    }
  });
});
