// createActivities(deps): the one place activities get their clients and database.
import type { Client } from '@temporalio/client';
import type { Database } from '../../db';
import type { ApiLimiter } from '../autotask/limits';
import type { AutotaskTransportOptions } from '../connector/clients';
import { ConnectorClientCache } from '../connector/clients';
import { ConnectorStore } from '../connector/store';
import type { KeyRing } from '../crypto/keys';
import { ProductSyncStore } from '../product-sync/store';
import { createCatalogActivities } from './catalog';
import { createConnectorActivities } from './connector';
import { createEngineActivities } from './engine';
import { createOrderActivities } from './orders';

export interface ActivityDeps {
  database: Database;
  ring: KeyRing;
  temporal: Client;
  taskQueue: string;
  /** Autotask request limits shared by every worker (PostgreSQL-backed); `false` turns them off. */
  limiter: ApiLimiter | false;
  /** Autotask transport options for every connector (e.g. a shorter timeout on the simulators). */
  autotask?: AutotaskTransportOptions;
}

export function createActivities(deps: ActivityDeps) {
  const store = new ConnectorStore(deps.database, deps.ring);
  const clients = new ConnectorClientCache(store, deps.limiter, deps.autotask);
  return {
    ...createEngineActivities(deps),
    ...createCatalogActivities({ clients, connectors: store, sync: new ProductSyncStore(deps.database) }),
    ...createConnectorActivities({ store, clients, temporal: deps.temporal, taskQueue: deps.taskQueue }),
    ...createOrderActivities({ clients, connectorStore: store, database: deps.database, temporal: deps.temporal, taskQueue: deps.taskQueue }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
