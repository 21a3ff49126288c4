// One Autotask client per connector and one client/adapter per integration, built from their stored
// (sealed) credentials and cached until the row changes. Activities get them from here.
import { createAutotaskClient, type AutotaskClient, type AutotaskClientOptions } from '../autotask/client';
import type { ApiLimiter } from '../autotask/limits';
import type { DistributorAdapter } from '../distributors/adapter';
import { BridgeError } from '../failures';
import type { IntegrationRole } from '../integrations/definition';
import { integrationKind } from '../integrations/registry';
import type { MarketplaceAdapter } from '../marketplaces/adapter';
import type { Connector, ConnectorStore, Integration } from './store';

export interface ConnectorClients {
  connector: Connector;
  autotask: AutotaskClient;
}

export interface IntegrationClient<C = unknown> {
  integration: Integration;
  client: C;
}

export interface DistributorClients extends ConnectorClients {
  integration: Integration;
  distributor: DistributorAdapter;
  /** The distributor as an Autotask vendor company (found at activation). */
  vendorCompanyId?: number;
  vendorName: string;
}

/** Transport options every connector's Autotask client gets (the worker's choice, not the connector's). */
export type AutotaskTransportOptions = Pick<AutotaskClientOptions, 'timeoutMs' | 'retry' | 'maxRateLimitWaitMs'>;

export class ConnectorClientCache {
  private readonly autotask = new Map<string, { stamp: number; clients: Promise<ConnectorClients> }>();
  private readonly integrations = new Map<string, { stamp: number; client: Promise<unknown> }>();

  constructor(private readonly store: ConnectorStore, private readonly limiter: ApiLimiter | false, private readonly transport: AutotaskTransportOptions = {}) {}

  async get(connectorId: string): Promise<ConnectorClients> {
    const connector = await this.store.get(connectorId);
    const stamp = connector.updatedAt.getTime();
    const cached = this.autotask.get(connectorId);
    if (cached && cached.stamp === stamp) return cached.clients;
    const clients = this.buildAutotask(connector);
    this.autotask.set(connectorId, { stamp, clients });
    clients.catch(() => this.autotask.delete(connectorId));
    return clients;
  }

  /** The integration's client (adapter), built by its kind's definition. */
  async integration<C>(connectorId: string, integrationId: string): Promise<IntegrationClient<C>> {
    return this.clientFor<C>(await this.store.integration(connectorId, integrationId));
  }

  private async clientFor<C>(integration: Integration): Promise<IntegrationClient<C>> {
    const key = `${integration.connectorId}\u0000${integration.id}`;
    const stamp = integration.updatedAt.getTime();
    let cached = this.integrations.get(key);
    if (!cached || cached.stamp !== stamp) {
      const client = this.buildIntegration(integration);
      cached = { stamp, client };
      this.integrations.set(key, cached);
      client.catch(() => this.integrations.delete(key));
    }
    return { integration, client: (await cached.client) as C };
  }

  /** The connector's integration of `role`: the given id, or the only one of that role. */
  async resolve(connectorId: string, role: IntegrationRole, integrationId?: string): Promise<Integration> {
    if (integrationId) {
      const found = await this.store.integration(connectorId, integrationId);
      if (found.role !== role) throw new BridgeError('settings', `Integration "${integrationId}" of connector ${connectorId} is a ${found.role}, not a ${role}`, { source: integrationId });
      return found;
    }
    const all = (await this.store.integrations(connectorId)).filter((i) => i.role === role);
    if (all.length === 1) return all[0];
    throw new BridgeError(
      'settings',
      all.length ? `Connector ${connectorId} has several ${role}s (${all.map((i) => i.id).join(', ')}): say which with --integration` : `Connector ${connectorId} has no ${role}: add one with \`autotask-bridge integrations add\``,
      { source: 'engine' },
    );
  }

  /** Autotask plus one distributor: what Product Sync and the order templates work with. */
  async distributor(connectorId: string, integrationId?: string): Promise<DistributorClients> {
    const integration = await this.resolve(connectorId, 'distributor', integrationId);
    const [base, { client }] = await Promise.all([this.get(connectorId), this.clientFor<DistributorAdapter>(integration)]);
    const label = integrationKind(integration.kind).label;
    return { ...base, integration, distributor: client, vendorCompanyId: integration.vendorCompanyId, vendorName: integration.vendorCompanyName ?? label };
  }

  async marketplace(connectorId: string, integrationId?: string): Promise<ConnectorClients & { integration: Integration; marketplace: MarketplaceAdapter }> {
    const integration = await this.resolve(connectorId, 'marketplace', integrationId);
    const [base, { client }] = await Promise.all([this.get(connectorId), this.clientFor<MarketplaceAdapter>(integration)]);
    return { ...base, integration, marketplace: client };
  }

  forget(connectorId: string): void {
    this.autotask.delete(connectorId);
    for (const key of this.integrations.keys()) if (key.startsWith(`${connectorId}\u0000`)) this.integrations.delete(key);
  }

  private async buildAutotask(connector: Connector): Promise<ConnectorClients> {
    const credentials = await this.store.autotaskCredentials(connector.id);
    const autotask = createAutotaskClient({ ...this.transport, credentials, zoneUrl: connector.zoneUrl, discoveryUrl: connector.discoveryUrl, limiter: this.limiter });
    return { connector, autotask };
  }

  private async buildIntegration(integration: Integration): Promise<unknown> {
    const definition = integrationKind(integration.kind);
    const secrets = await this.store.integrationSecrets(integration.connectorId, integration.id);
    const settings = definition.settingsSchema.parse(integration.settings);
    return definition.create(settings, secrets, { source: integration.id });
  }
}
