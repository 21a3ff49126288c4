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
});
