// Product Sync's catalog activities on a saved, connected connector, for tests that call them directly
// (MockActivityEnvironment). The distributor adapter returned is the instance the activities use
// (cached per integration), so a test can wrap its calls.
import type { Database } from '../../db';
import { createCatalogActivities } from '../../src/activities/catalog';
import { ConnectorClientCache } from '../../src/connector/clients';
import { ProductSyncStore } from '../../src/product-sync/store';
import type { Sandbox } from '../../src/sim';
import { saveConnectedConnector } from './connector';
import { testKeyRing } from './temporal';

export async function catalogActivities(database: Database, sandbox: Sandbox, connectorId: string, settings: Record<string, unknown> = {}, integrationId = 'ingram') {
  const connectors = await saveConnectedConnector(database, testKeyRing(), sandbox, connectorId, settings);
  const clients = new ConnectorClientCache(connectors, false);
  const sync = new ProductSyncStore(database);
  const activities = createCatalogActivities({ clients, connectors, sync });
  const { distributor } = await clients.distributor(connectorId, integrationId);
  return { activities, sync, clients, connectors, distributor };
}
