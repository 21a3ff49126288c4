// One Autotask client and one distributor adapter per connector, built from its stored (sealed)
// credentials and cached until the connector changes. Activities get them from here.
import { createAutotaskClient, type AutotaskClient } from '../autotask/client';
import type { ApiLimiter } from '../autotask/limits';
import type { DistributorAdapter } from '../distributors/adapter';
import { createDistributorAdapter, type DistributorConfigInput } from '../distributors/registry';
import type { Connector, ConnectorStore } from './store';

export interface ConnectorClients {
  connector: Connector;
  autotask: AutotaskClient;
  distributor: DistributorAdapter;
}

export class ConnectorClientCache {
  private readonly cache = new Map<string, { stamp: number; clients: Promise<ConnectorClients> }>();

  constructor(private readonly store: ConnectorStore, private readonly limiter: ApiLimiter | false) {}

  async get(connectorId: string): Promise<ConnectorClients> {
    const connector = await this.store.get(connectorId);
    const stamp = connector.updatedAt.getTime();
    const cached = this.cache.get(connectorId);
    if (cached && cached.stamp === stamp) return cached.clients;
    const clients = this.build(connector);
    this.cache.set(connectorId, { stamp, clients });
    clients.catch(() => this.cache.delete(connectorId));
    return clients;
  }

  forget(connectorId: string): void {
    this.cache.delete(connectorId);
  }

  private async build(connector: Connector): Promise<ConnectorClients> {
    const credentials = await this.store.autotaskCredentials(connector.id);
    const secrets = await this.store.distributorSecrets(connector.id);
    const autotask = createAutotaskClient({
      credentials,
      zoneUrl: connector.zoneUrl,
      discoveryUrl: connector.discoveryUrl,
      limiter: this.limiter,
    });
    const distributor = createDistributorAdapter({ ...connector.distributorSettings, ...secrets, kind: connector.distributorKind } as DistributorConfigInput);
    return { connector, autotask, distributor };
  }
}
