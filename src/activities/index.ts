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
import { createExportActivities } from './export';
import { keptAlive } from './heartbeat';
import { createOrderActivities } from './orders';
import { createSubscriptionActivities } from './subscriptions';
import { createNotifier } from '../notifications';
import { SubscriptionStore } from '../subscriptions/store';

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
  const subscriptions = new SubscriptionStore(deps.database);
  return {
    ...createEngineActivities(deps),
    // Kept alive: workflows give these a short heartbeatTimeout, so a dead worker is noticed in seconds.
    ...keptAlive(createCatalogActivities({ clients, connectors: store, sync: new ProductSyncStore(deps.database) })),
    ...createConnectorActivities({ store, clients, temporal: deps.temporal, taskQueue: deps.taskQueue }),
    ...keptAlive(createOrderActivities({ clients, connectorStore: store, database: deps.database, temporal: deps.temporal, taskQueue: deps.taskQueue })),
    ...keptAlive(createSubscriptionActivities({ clients, connectors: store, subscriptions, notifier: createNotifier({ connectors: store, subscriptions }) })),
    ...keptAlive(createExportActivities({ clients, connectors: store, database: deps.database, ring: deps.ring })),
  };
}

export type Activities = ReturnType<typeof createActivities>;
