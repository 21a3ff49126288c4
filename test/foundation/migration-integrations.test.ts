// A database from before integrations existed (migration 0004: one distributor per connector) is
// migrated: its distributor becomes the connector's first integration, its product links and
// template rows follow, and Product Sync still runs on it without creating a product twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Database } from '../../db';
import { migrateDatabase, migrationsFolder } from '../../db/migrate';
import { memoryLimiter } from '../../src/autotask/limits';
import { ConnectorStore } from '../../src/connector/store';
import { sealString } from '../../src/crypto/aes-gcm';
import { testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';
import { testKeyRing } from '../helpers/temporal';

/** The committed migrations up to and including `lastTag`, as a folder drizzle can apply. */
function migrationsUpTo(lastTag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-migrations-'));
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
  const last = journal.entries.findIndex((e: { tag: string }) => e.tag === lastTag);
  journal.entries = journal.entries.slice(0, last + 1);
  fs.mkdirSync(path.join(dir, 'meta'));
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

async function migrateTo(database: Database, folder: string): Promise<void> {
  const config = { migrationsFolder: folder, migrationsSchema: database.schemaName === 'public' ? 'drizzle' : database.schemaName };
  if (database.driver === 'pglite') await (await import('drizzle-orm/pglite/migrator')).migrate(database.db as never, config);
  else await (await import('drizzle-orm/postgres-js/migrator')).migrate(database.db as never, config);
}

describe.each(testDatabases({ migrate: false }))('migration to integrations on $driver', (db) => {
  const engine = useEngine({
    database: db,
    sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 120, seed: 5 }, rateLimit: false } },
    worker: { limiter: memoryLimiter() },
  });
  const ring = testKeyRing();

  it('moves the distributor into integrations and still syncs', async () => {
    const { database, sandbox, client, taskQueue } = engine;
    await migrateTo(database, migrationsUpTo('0004_product_links_mpn_index'));
    const request = sandbox.connectRequest('legacy');
    const ingram = request.integrations![0];
    const settings = { vendorCompanyId: sandbox.vendorCompanyId, vendorCompanyName: 'Ingram Micro', productSync: { billingCodeId: sandbox.billingCodeId } };
    await database.query(sql`insert into connectors (id, name, status, autotask_email, autotask_credentials, autotask_discovery_url, distributor_kind, distributor_settings, distributor_credentials, settings)
      values ('legacy', 'Legacy', 'connected', ${request.email}, ${sealString(ring, JSON.stringify(request.autotask))}, ${request.discoveryUrl}, 'ingram',
              ${JSON.stringify(ingram.settings)}::jsonb, ${sealString(ring, JSON.stringify(ingram.secrets))}, ${JSON.stringify(settings)}::jsonb)`);
    await database.query(sql`insert into connector_templates (connector_id, template, enabled, last_completed_at) values ('legacy', 'product-sync', true, now())`);
    // A product the old engine had already created and linked.
    const sku = sandbox.ingram.catalog.product(0, 0).sku;
    const [productId] = sandbox.autotask.seed('Products', [{ name: 'Linked before the upgrade', sku, isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId }]);
    await database.query(sql`insert into product_links (connector_id, distributor_sku, autotask_product_id, is_active) values ('legacy', ${sku}, ${productId}, true)`);
    const udfs = ['Distributor Availability', 'Distributor Promo Price', 'Distributor Promo End Date', 'Distributor SKU'];
    for (const name of udfs) sandbox.autotask.addUdf('Products', name);

    await migrateDatabase(database);

    const store = new ConnectorStore(database, ring);
    const [integration] = await store.integrations('legacy');
    expect(integration).toMatchObject({ id: 'ingram', kind: 'ingram', role: 'distributor', vendorCompanyId: sandbox.vendorCompanyId, vendorCompanyName: 'Ingram Micro' });
    expect(await store.integrationSecrets('legacy', 'ingram')).toEqual(ingram.secrets);
    expect((await store.get('legacy')).settings).not.toHaveProperty('vendorCompanyId');
    expect(await database.query(sql`select integration_id, distributor_sku from product_links`)).toEqual([{ integration_id: 'ingram', distributor_sku: sku }]);
    expect(await database.query(sql`select template, integration_id from connector_templates`)).toEqual([{ template: 'product-sync', integration_id: 'ingram' }]);
    await migrateDatabase(database); // safe to run twice

    const result = await client.workflow.execute('productSyncWorkflow', { workflowId: `migrated-${taskQueue}`, taskQueue, args: [{ connectorId: 'legacy' }] });
    expect(result).toMatchObject({ status: 'completed', integrationId: 'ingram' });
    expect(result.counters.processed).toBe(sandbox.ingram.catalog.expectedSkus().length);
    // The product linked before the upgrade was updated in place, never created again.
    expect([...sandbox.autotask.store.table('Products').rows.values()].filter((p) => p.sku === sku).map((p) => p.id)).toEqual([productId]);
  });
});
