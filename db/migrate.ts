// Applies the committed drizzle-kit migrations. Safe to run twice and from several workers at once.
import path from 'node:path';
import type { Database } from './index';

export const migrationsFolder = path.join(__dirname, 'migrations');

const running = new WeakMap<Database, Promise<void>>();

export function migrateDatabase(database: Database): Promise<void> {
  // Calls on one handle queue behind each other (PGlite has one connection and no advisory lock to wait on).
  const next = (running.get(database) ?? Promise.resolve()).catch(() => undefined).then(() => runMigrations(database));
  running.set(database, next);
  return next;
}

async function runMigrations(database: Database): Promise<void> {
  const config = { migrationsFolder, migrationsSchema: database.schemaName === 'public' ? 'drizzle' : database.schemaName };
  if (database.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, config);
    return;
  }
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  // Several workers may start together: one migrates, the others wait and then find nothing to do.
  await database.exclusive('autotask-bridge:migrate', () => migrate(database.db as never, config));
}
