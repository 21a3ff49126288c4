// The embedded database's memory choices (db/index.ts): a new data directory is initialised in a child
// process, so initdb's memory is not kept by the engine's process, and PostgreSQL's shared buffers are
// small (the data is read through the file system).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, sql } from '../../db';

const MB = 1024 * 1024;

describe('embedded database (PGlite on disk)', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-pglite-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a new data directory without keeping initdb in memory, and reopens it with its data', async () => {
    const dataDir = path.join(dir, 'pglite');
    const before = process.memoryUsage().external;
    const database = await openDatabase({ dataDir });
    try {
      // In-process initdb keeps ~430 MB beside the 128 MB WebAssembly memory; a child keeps none.
      expect((process.memoryUsage().external - before) / MB).toBeLessThan(250);
      expect(database.embeddedMemoryBytes!()! / MB).toBe(128);
      const [row] = await database.query<{ shared_buffers: string }>(sql`show shared_buffers`);
      expect(row.shared_buffers).toBe('16MB');
      await database.query(sql`create table kept (v text)`);
      await database.query(sql`insert into kept values ('still here')`);
    } finally {
      await database.close();
    }
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    const reopened = await openDatabase({ dataDir });
    try {
      expect(await reopened.query(sql`select v from kept`)).toEqual([{ v: 'still here' }]);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('vacuums and analyzes itself, as autovacuum would: the planner learns table sizes', async () => {
    const database = await openDatabase({ dataDir: 'memory://', maintenanceMs: 200 });
    try {
      await database.query(sql`create table grown (id int primary key, v int)`);
      await database.query(sql`insert into grown select g, 0 from generate_series(1, 5000) g`);
      await database.query(sql`update grown set v = 1`);
      const stats = async () => (await database.query<{ tuples: number; vacuums: number }>(sql`
        select c.reltuples::int as tuples, coalesce(s.vacuum_count, 0)::int as vacuums
        from pg_class c left join pg_stat_user_tables s on s.relid = c.oid where c.relname = 'grown'`))[0];
      expect(await stats()).toEqual({ tuples: -1, vacuums: 0 }); // never analyzed
      let now = await stats();
      for (let i = 0; i < 100 && now.vacuums === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        now = await stats();
      }
      expect(now.tuples).toBe(5000);
      expect(now.vacuums).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  }, 60_000);
});
