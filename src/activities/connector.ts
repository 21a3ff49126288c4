// Connector activation checks and bookkeeping. Each check returns what it found, or fails with a
// message that tells the operator what to fix (the seeds' "Authentication Failed / Permission
// Denied / Network Issues" cases).
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { ConnectorStatus, TemplateName } from '../../db/schema/connectors';
import { AutotaskError } from '../autotask/errors';
import { f } from '../autotask/query';
import type { ConnectorClientCache } from '../connector/clients';
import { mergeSettings } from '../connector/settings';
import type { ConnectorStore, SaveConnectorInput } from '../connector/store';
import { upsertTemplateSchedule } from '../client/schedules';
import { DistributorError } from '../distributors/errors';

/** What every template needs from the API user, per entity. */
export const REQUIRED_ACCESS: Record<string, Array<'query' | 'create' | 'update'>> = {
  Products: ['query', 'create', 'update'],
  ProductVendors: ['query', 'create', 'update'],
  Companies: ['query'],
  Resources: ['query'],
  BillingCodes: ['query'],
  UserDefinedFieldDefinitions: ['query'],
  PurchaseOrders: ['query', 'create', 'update'],
  PurchaseOrderItems: ['query', 'create', 'update'],
  PurchaseOrderItemReceiving: ['create'],
  Opportunities: ['query'],
  Quotes: ['query'],
  QuoteItems: ['query'],
};

const DISTRIBUTOR_NAMES: Record<string, string> = { ingram: 'Ingram Micro' };

export interface ConnectorActivityDeps {
  store: ConnectorStore;
  clients: ConnectorClientCache;
  temporal: Client;
  taskQueue: string;
}

/** Turns an API failure into the message an operator acts on. Retryable failures stay retryable. */
function explain(err: unknown, what: string): never {
  if (err instanceof AutotaskError) {
    switch (err.kind) {
      case 'auth':
        throw ApplicationFailure.nonRetryable(
          `Authentication failed: Autotask rejected the API user (${err.message}). Check UserName, Secret and tracking identifier (ApiIntegrationCode) exactly as generated, with no extra spaces, and that the API user is active.`,
          'auth',
        );
      case 'permission':
        throw ApplicationFailure.nonRetryable(`Permission denied while ${what}: ${err.message}. Give the API user's security level access to it.`, 'permission');
      case 'validation':
      case 'not_found':
        throw ApplicationFailure.nonRetryable(`${what}: ${err.message}`, err.kind);
      default:
        throw ApplicationFailure.retryable(`Network issue while ${what}: ${err.message}`, err.kind);
    }
  }
  if (err instanceof DistributorError) {
    if (err.kind === 'auth') throw ApplicationFailure.nonRetryable(`Authentication failed at the distributor: ${err.message}. Check the distributor client id and secret.`, 'auth');
    if (err.retryable) throw ApplicationFailure.retryable(`Network issue while ${what}: ${err.message}`, err.kind);
    throw ApplicationFailure.nonRetryable(`${what}: ${err.message}`, err.kind);
  }
  if (err instanceof ApplicationFailure) throw err;
  throw ApplicationFailure.retryable(`Network issue while ${what}: ${(err as Error)?.message ?? String(err)}`, 'transient');
}

export function createConnectorActivities({ store, clients, temporal, taskQueue }: ConnectorActivityDeps) {
  return {
    async saveConnector(input: SaveConnectorInput): Promise<void> {
      await store.save(input);
      clients.forget(input.connectorId);
    },

    async checkZone({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      try {
        const zone = await autotask.zone();
        return connector.zoneUrl ? `Using the configured zone ${zone.url}` : `Zone discovered: ${zone.url}`;
      } catch (err) {
        explain(err, 'discovering the Autotask zone');
      }
    },

    async checkAuthentication({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask } = await clients.get(connectorId);
      try {
        const t = await autotask.thresholdInformation();
        return `Authenticated; this database has used ${t.currentTimeframeRequestCount} of ${t.externalRequestThreshold} API requests in the current hour`;
      } catch (err) {
        explain(err, 'calling Autotask with the API user');
      }
    },

    async checkResource({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      let found;
      try {
        found = await autotask.resources.query(f.eq('email', connector.email), { maxRecords: 5 });
      } catch (err) {
        explain(err, 'looking up the connection e-mail among Autotask resources');
      }
      const active = found.items.find((r) => (r as { isActive?: boolean }).isActive !== false);
      if (!active) {
        const why = found.items.length ? 'belongs to an inactive resource' : 'does not belong to any Autotask resource';
        throw ApplicationFailure.nonRetryable(`The e-mail ${connector.email} ${why}: use the e-mail of an active resource (usually the administrator who created the API user)`, 'resource');
      }
      const r = active as { id: number; firstName?: string; lastName?: string };
      return `Resource ${r.id}${r.firstName || r.lastName ? ` (${[r.firstName, r.lastName].filter(Boolean).join(' ')})` : ''} is active`;
    },

    async checkPermissions({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask } = await clients.get(connectorId);
      const missing: string[] = [];
      for (const [entity, actions] of Object.entries(REQUIRED_ACCESS)) {
        let info;
        try {
          info = await autotask.metadata.info(entity);
        } catch (err) {
          if (err instanceof AutotaskError && err.kind === 'permission') {
            missing.push(`${entity} (no access at all)`);
            continue;
          }
          explain(err, `reading ${entity} permissions`);
        }
        const access = info as Record<string, unknown>;
        for (const action of actions) {
          const cap = action === 'query' ? 'canQuery' : action === 'create' ? 'canCreate' : 'canUpdate';
          const user = access[`userAccessFor${action[0].toUpperCase()}${action.slice(1)}`];
          if (access[cap] === false || user === 'None' || user === false) missing.push(`${action} ${entity}`);
        }
      }
      if (missing.length) {
        throw ApplicationFailure.nonRetryable(`Permission denied: the API user cannot ${missing.join(', ')}. Grant these in its security level (Admin > Resources/Users > Security Levels) and check its line-of-business assignments.`, 'permission');
      }
      return `The API user can do everything the templates need (${Object.keys(REQUIRED_ACCESS).length} entities checked)`;
    },

    async ensureUdfDefinitions({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const wanted = Object.values(connector.settings.productSync.udfs);
      try {
        const existing = new Set((await autotask.metadata.userDefinedFields('Products')).map((u) => u.name));
        const missing = wanted.filter((name) => !existing.has(name));
        const created: string[] = [];
        for (const name of missing) {
          try {
            await autotask.createUdfDefinition({ entity: 'Products', name, dataType: name.toLowerCase().includes('date') ? 'Date' : 'String', description: 'Written by autotask-bridge Product Sync' });
            created.push(name);
          } catch (err) {
            if (err instanceof AutotaskError && (err.kind === 'permission' || err.kind === 'validation')) {
              throw ApplicationFailure.nonRetryable(
                `Product user-defined fields are missing and could not be created (${err.message}): create ${missing.map((m) => `"${m}"`).join(', ')} on Products in Autotask, or give the API user access to UserDefinedFieldDefinitions`,
                'udfs',
              );
            }
            throw err;
          }
        }
        return created.length ? `Created product UDFs: ${created.join(', ')}` : `Product UDFs present: ${wanted.join(', ')}`;
      } catch (err) {
        explain(err, 'checking product user-defined fields');
      }
    },

    async ensureVendorCompany({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const name = connector.settings.vendorCompanyName ?? DISTRIBUTOR_NAMES[connector.distributorKind] ?? connector.distributorKind;
      try {
        if (connector.settings.vendorCompanyId) {
          const company = await autotask.companies.get(connector.settings.vendorCompanyId);
          if (company) return `Vendor company ${company.id} (${(company as { companyName?: string }).companyName ?? name})`;
        }
        const vendorType = await autotask.metadata.picklistValue('Companies', 'companyType', 'Vendor');
        const filters = [f.eq('companyName', name), ...(vendorType ? [f.eq('companyType', Number(vendorType))] : [])];
        const found = await autotask.companies.query(filters, { maxRecords: 1 });
        const company = found.items[0];
        if (!company) {
          throw ApplicationFailure.nonRetryable(`No vendor company named "${name}" in Autotask: create it (type Vendor) or set vendorCompanyId in the connector settings`, 'vendor');
        }
        await store.updateSettings(connectorId, mergeSettings(connector.settings, { vendorCompanyId: company.id, vendorCompanyName: name }));
        clients.forget(connectorId);
        return `Vendor company ${company.id} (${name})`;
      } catch (err) {
        explain(err, 'finding the distributor as an Autotask vendor company');
      }
    },

    async ensureBillingCode({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const configured = connector.settings.productSync.billingCodeId;
      try {
        if (configured) {
          const code = await autotask.billingCodes.get(configured);
          if (!code) throw ApplicationFailure.nonRetryable(`Billing code ${configured} (productSync.billingCodeId) does not exist in Autotask`, 'billing');
          return `Products use billing code ${code.id} (${code.name ?? ''})`;
        }
        // Products need a billing code: take the first active material cost code.
        const material = await autotask.metadata.picklistValue('BillingCodes', 'useType', 'Material Cost Code');
        const found = await autotask.billingCodes.query([f.eq('isActive', true), ...(material ? [f.eq('useType', Number(material))] : [])], { maxRecords: 1 });
        const code = found.items[0];
        if (!code) throw ApplicationFailure.nonRetryable('No active material cost code in Autotask for new products: create one or set productSync.billingCodeId', 'billing');
        await store.updateSettings(connectorId, mergeSettings(connector.settings, { productSync: { billingCodeId: code.id } }));
        clients.forget(connectorId);
        return `Products use billing code ${code.id} (${code.name ?? ''})`;
      } catch (err) {
        explain(err, 'finding a billing code for products');
      }
    },

    async checkDistributor({ connectorId }: { connectorId: string }): Promise<string> {
      const { distributor } = await clients.get(connectorId);
      try {
        const page = await distributor.fetchProductPage(null);
        return `${distributor.kind} catalog reachable (${page.totalRecords ?? page.items.length} products listed)`;
      } catch (err) {
        explain(err, `calling the ${distributor.kind} API`);
      }
    },

    async recordConnectorStatus(input: { connectorId: string; status: ConnectorStatus; statusMessage?: string; checks: Array<{ check: string; ok: boolean; message: string }> }): Promise<void> {
      await store.setStatus(input.connectorId, input.status, input.statusMessage, input.checks);
    },

    async setTemplateSchedule(input: { connectorId: string; template: TemplateName; enabled: boolean; paused: boolean }): Promise<void> {
      const connector = await store.get(input.connectorId);
      await upsertTemplateSchedule(temporal, {
        connectorId: input.connectorId,
        template: input.template,
        settings: connector.settings,
        taskQueue,
        paused: input.paused || !input.enabled,
        note: input.enabled ? (input.paused ? 'paused: connector not connected' : 'enabled') : 'disabled by an operator',
      });
      await store.setTemplate(input.connectorId, input.template, input.enabled);
    },

    async updateConnectorSettings({ connectorId, change }: { connectorId: string; change: Record<string, unknown> }): Promise<void> {
      const connector = await store.get(connectorId);
      let merged;
      try {
        merged = mergeSettings(connector.settings, change);
      } catch (err) {
        throw ApplicationFailure.nonRetryable(`Invalid settings: ${(err as Error).message}`, 'validation');
      }
      await store.updateSettings(connectorId, merged);
      clients.forget(connectorId);
    },
  };
}
