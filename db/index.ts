// One schema, two drivers: postgres.js when DATABASE_URL is set, PGlite (embedded, under .data/) otherwise.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { ConfigError, redactUrl } from '../src/config';
import * as schema from './schema';

export { schema };
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** Schema the tables live in (search_path); `public` unless DATABASE_SCHEMA says otherwise. */
  schemaName: string;
  /** Runs raw SQL and returns its rows whatever the driver. */
  query<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /**
   * Runs one raw statement in a transaction that first takes the transaction lock `name`: statements
   * under one name run one at a time, and each sees what the earlier ones wrote (a lone statement's
   * snapshot is taken before any lock inside it). PGlite runs every statement one at a time anyway.
   */
  queryLocked<T = Record<string, unknown>>(name: string, statement: SQL): Promise<T[]>;
  /** Runs `fn` while holding a cluster-wide lock named `name` (PostgreSQL advisory lock; PGlite is single-process). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * PostgreSQL: calls `onMessage` with each NOTIFY on `channel` (sent by any process, this one included),
   * over a connection of its own. Absent on PGlite, which only one process can open.
   */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<void>;
  /** PGlite: bytes of its WebAssembly memory (PostgreSQL's whole heap; it grows and never shrinks). */
  embeddedMemoryBytes?(): number | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  url?: string;
  /** PGlite data directory, or `memory://`. */
  dataDir?: string;
  /** PostgreSQL schema to use (created if missing). */
  schemaName?: string;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** PGlite: how often it vacuums and analyzes itself (default 5 minutes). */
  maintenanceMs?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir ?? 'memory://', options.maintenanceMs ?? PGLITE_MAINTENANCE_MS);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const schemaName = options.schemaName ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schemaName)) throw new ConfigError('DATABASE_SCHEMA', 'must be a lower-case SQL identifier');
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => undefined,
    connection: { search_path: schemaName, application_name: 'autotask-bridge' },
    connect_timeout: 10,
  });
  try {
    await client.unsafe(`create schema if not exists "${schemaName}"`);
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => undefined);
    throw new ConfigError('DATABASE_URL', `cannot connect to ${redactUrl(url)} (${describe(err)})`);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  const dialect = new PgDialect();
  return {
    db,
    driver: 'postgres',
    schemaName,
    // Prepared once per connection. drizzle sends its statements unnamed, and postgres.js then asks the
    // server for their parameter types before every execution: two round trips a statement instead of
    // one. `query`'s texts are fixed, so the per-connection statement cache stays small (Product Sync's
    // page statements are named, so prepared too). `?prepare=false` on DATABASE_URL (PgBouncer in
    // transaction mode) turns preparing off.
    query: async <T>(statement: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      return (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
    },
    queryLocked: async <T>(name: string, statement: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      return (await client.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${name}))`;
        return tx.unsafe(text, params as never[], { prepare: true });
      })) as unknown as T[];
    },
    exclusive: async (name, fn) => {
      const connection = await client.reserve();
      try {
        await connection`select pg_advisory_lock(hashtext(${name}))`;
        try {
          return await fn();
        } finally {
          await connection`select pg_advisory_unlock(hashtext(${name}))`;
        }
      } finally {
        connection.release();
      }
    },
    listen: async (channel, onMessage) => {
      await client.listen(channel, onMessage);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * PostgreSQL's shared buffers inside PGlite's WebAssembly memory. PostgreSQL's default (128 MB) makes
 * that memory 189 MB and resident as the cache fills; the data directory is read through Node's file
 * system (and the OS page cache), so 16 MB keeps the memory at its 128 MB floor (bench: README,
 * "The embedded database").
 */
const PGLITE_SHARED_BUFFERS = '16MB';

/**
 * Runs initdb for a new PGlite data directory in a short-lived child process. In-process, PGlite
 * initialises through a second instance whose ~430 MB (its WebAssembly memory and the data directory
 * copied through memory) stay referenced for the life of the process; a child returns them at exit.
 */
async function initPgliteDir(dataDir: string): Promise<void> {
  const entry = pathToFileURL(require.resolve('@electric-sql/pglite')).href;
  const script = `import(${JSON.stringify(entry)}).then(({ PGlite }) => PGlite.create(${JSON.stringify(dataDir)})).then((db) => db.close()).catch((err) => { console.error(err?.message ?? err); process.exit(1); })`;
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim() || `initdb exited ${code}`))));
  });
}

/** How often the embedded database vacuums and analyzes itself (what autovacuum does in PostgreSQL). */
const PGLITE_MAINTENANCE_MS = 5 * 60_000;

async function openPglite(dataDir: string, maintenanceMs: number): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const onDisk = !dataDir.startsWith('memory://');
  if (onDisk) fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  let client: InstanceType<typeof PGlite>;
  try {
    if (onDisk && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      // Best effort: should the child fail, PGlite.create below runs initdb in-process as before.
      await initPgliteDir(path.resolve(dataDir)).catch(() => undefined);
    }
    client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
  } catch (err) {
    throw new ConfigError('BRIDGE_DATA_DIR', `cannot open the embedded database at ${dataDir} (${describe(err)})`);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  const query = async <T>(statement: SQL) => ((await db.execute(statement)) as unknown as { rows: T[] }).rows;
  // PGlite runs no autovacuum: without this, rows updated by every daily sync would never be reclaimed
  // and the planner would never see the tables' sizes.
  const maintenance = setInterval(() => void client.exec('VACUUM ANALYZE').catch(() => undefined), maintenanceMs);
  maintenance.unref();
  return {
    db,
    driver: 'pglite',
    schemaName: 'public',
    query,
    queryLocked: (_name, statement) => query(statement),
    exclusive: (_name, fn) => fn(),
    embeddedMemoryBytes: () => (client as unknown as { mod?: { wasmMemory?: { buffer: ArrayBuffer } } }).mod?.wasmMemory?.buffer.byteLength,
    close: async () => {
      clearInterval(maintenance);
      await client.close();
    },
  };
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}

export { sql };
