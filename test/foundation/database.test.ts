import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, sql } from '../../db';
import { migrateDatabase, migrationsFolder } from '../../db/migrate';
import { TEST_DATABASE_URL, testDatabases } from '../helpers/db';

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

describe('statements on PostgreSQL', () => {
  const prepared = async (url: string) => {
    // One connection, so the statements and pg_prepared_statements share a session.
    const database = await openDatabase({ url, maxConnections: 1 });
    try {
      for (let i = 0; i < 2; i++) await database.query(sql`select ${i}::int as n, ${'x'}::text as t`);
      const [row] = await database.query<{ n: number }>(sql`select count(*)::int as n from pg_prepared_statements where statement like '%::int as n, %'`);
      return row.n;
    } finally {
      await database.close();
    }
  };

  it('prepares raw statements once per connection, unless DATABASE_URL says prepare=false (PgBouncer)', async () => {
    expect(await prepared(TEST_DATABASE_URL)).toBe(1);
    expect(await prepared(`${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}prepare=false`)).toBe(0);
  });
});
