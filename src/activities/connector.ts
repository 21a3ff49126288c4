// Connector activation checks and bookkeeping. Each check returns what it found or throws a
// classified failure (BridgeError); the connector workflow turns a failure into the message an
// operator acts on (`operatorMessage`). Integration checks come from each kind's definition.
import type { Client } from '@temporalio/client';
import type { ConnectorStatus } from '../../db/schema/connectors';
import { AutotaskError } from '../autotask/errors';
import { f } from '../autotask/query';
import { upsertTemplateSchedule } from '../client/schedules';
import type { ConnectorClientCache } from '../connector/clients';
import { describeSubmitStatus, mergeSettings, parseSettings, type SubmitStatus } from '../connector/settings';
import { activeStatusOptions, describeOptions, proposeSubmitStatus, resolveSubmitStatuses, staleSubmitStatuses, submitStatusSetting, type StatusOption } from '../connector/submit-status';
import type { CheckRecord, ConnectorStore, SaveConnectorInput } from '../connector/store';
import { BridgeError } from '../failures';
import type { IntegrationRole } from '../integrations/definition';
import { integrationKind } from '../integrations/registry';
import { findTemplate, requiredAccess } from '../templates';
import type { CheckOutcome, IntegrationInput, SubmitStatusRequest, SubmitStatusView } from '../workflows/messages/connector';

export interface ConnectorActivityDeps {
  store: ConnectorStore;
  clients: ConnectorClientCache;
  temporal: Client;
  taskQueue: string;
}

/** An integration as the connector workflow sees it (the workflow cannot read the registry's code). */
export interface IntegrationDescription {
  id: string;
  kind: string;
  role: IntegrationRole;
  label: string;
  checks: string[];
}

const fail = (kind: 'settings' | 'permission' | 'validation', message: string, source = 'autotask') => new BridgeError(kind, message, { source });

const HOW_TO_CONFIRM = '`autotask-bridge templates enable submit-order` or `autotask-bridge settings --submit-status <label>`';

/** The `submit-status` check: what Submit Order picks up, and whether an operator has confirmed it. */
function submitStatusCheck(status: SubmitStatus, options: StatusOption[]): CheckOutcome {
  const stale = staleSubmitStatuses(status, options);
  if (status.confirmed && status.values.length && !stale.length) {
    const how = [status.confirmedBy && `by ${status.confirmedBy}`, status.confirmedAt && `on ${status.confirmedAt}`].filter(Boolean).join(' ');
    return { message: `Submit Order picks up purchase orders in status ${describeSubmitStatus(status)} (confirmed${how ? ` ${how}` : ''})` };
  }
  if (status.confirmed && status.values.length) {
    return { warning: true, message: `The confirmed submit status ${stale.join(', ')} is not an active purchase order status of this database (active: ${describeOptions(options)}): choose again with \`autotask-bridge settings --submit-status <label>\`` };
  }
  if (status.values.length) {
    return { warning: true, message: `Proposed purchase order status ${describeSubmitStatus(status)} for Submit Order, chosen by its label (active: ${describeOptions(options)}); not confirmed: nothing is submitted until an operator confirms it with ${HOW_TO_CONFIRM}` };
  }
  return { warning: true, message: `No active purchase order status reads like "ready to order" (active: ${describeOptions(options)}): choose one with \`autotask-bridge settings --submit-status <label>\`; nothing is submitted until then` };
}

const sameStatus = (a: SubmitStatus, b: SubmitStatus) => JSON.stringify(a) === JSON.stringify(b);

export function createConnectorActivities({ store, clients, temporal, taskQueue }: ConnectorActivityDeps) {
  /** The database's active PurchaseOrders status values with their labels. */
  async function purchaseOrderStatuses(connectorId: string): Promise<StatusOption[]> {
    const { autotask } = await clients.get(connectorId);
    const field = await autotask.metadata.field('PurchaseOrders', 'status');
    const options = activeStatusOptions(field?.picklistValues ?? []);
    if (!options.length) throw fail('settings', 'Autotask lists no active purchase order status (PurchaseOrders.status picklist): check that the Inventory module is on and the API user can read purchase orders');
    return options;
  }

  /** Replaces the setting as a whole (a merge would keep an old confirmation). */
  async function saveSubmitStatus(connectorId: string, status: SubmitStatus): Promise<void> {
    const { settings } = await store.get(connectorId);
    await store.updateSettings(connectorId, parseSettings({ ...settings, orders: { ...settings.orders, submitStatus: status } }));
    clients.forget(connectorId);
  }

  /** POs of the connector's distributors' vendor companies in these statuses now (the first scan takes those not yet linked). */
  async function purchaseOrdersIn(connectorId: string, values: number[]): Promise<number> {
    const vendors = (await store.integrations(connectorId)).filter((i) => i.role === 'distributor' && i.vendorCompanyId).map((i) => i.vendorCompanyId!);
    if (!values.length || !vendors.length) return 0;
    const { autotask } = await clients.get(connectorId);
    return autotask.purchaseOrders.count([vendors.length === 1 ? f.eq('vendorID', vendors[0]) : f.in('vendorID', vendors), values.length === 1 ? f.eq('status', values[0]) : f.in('status', values)]);
  }

  return {
    async saveConnector(input: SaveConnectorInput): Promise<void> {
      await store.save(input);
      clients.forget(input.connectorId);
    },

    async saveIntegration({ connectorId, integration }: { connectorId: string; integration: IntegrationInput }): Promise<void> {
      await store.get(connectorId);
      await store.saveIntegration(connectorId, integration);
      clients.forget(connectorId);
    },

    async removeIntegration({ connectorId, integrationId }: { connectorId: string; integrationId: string }): Promise<boolean> {
      const removed = await store.removeIntegration(connectorId, integrationId);
      clients.forget(connectorId);
      return removed;
    },

    async describeIntegrations({ connectorId }: { connectorId: string }): Promise<IntegrationDescription[]> {
      return (await store.integrations(connectorId)).map((i) => {
        const d = integrationKind(i.kind);
        return { id: i.id, kind: i.kind, role: i.role, label: d.label, checks: d.checks.map((c) => c.name) };
      });
    },

    /** The integration a template run is for: the given one, or the connector's only one of that role. */
    async resolveIntegration({ connectorId, role, integrationId }: { connectorId: string; role: IntegrationRole; integrationId?: string }): Promise<string> {
      return (await clients.resolve(connectorId, role, integrationId || undefined)).id;
    },

    async checkZone({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const zone = await autotask.zone();
      return connector.zoneUrl ? `Using the configured zone ${zone.url}` : `Zone discovered: ${zone.url}`;
    },

    async checkAuthentication({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask } = await clients.get(connectorId);
      const t = await autotask.thresholdInformation();
      return `Authenticated; this database has used ${t.currentTimeframeRequestCount} of ${t.externalRequestThreshold} API requests in the current hour`;
    },

    async checkResource({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const found = await autotask.resources.query(f.eq('email', connector.email), { maxRecords: 5 });
      const active = found.items.find((r) => (r as { isActive?: boolean }).isActive !== false);
      if (!active) {
        const why = found.items.length ? 'belongs to an inactive resource' : 'does not belong to any Autotask resource';
        throw fail('settings', `The e-mail ${connector.email} ${why}: use the e-mail of an active resource (usually the administrator who created the API user)`);
      }
      const r = active as { id: number; firstName?: string; lastName?: string };
      return `Resource ${r.id}${r.firstName || r.lastName ? ` (${[r.firstName, r.lastName].filter(Boolean).join(' ')})` : ''} is active`;
    },

    async checkPermissions({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const access = requiredAccess(connector.settings);
      const missing: string[] = [];
      for (const [entity, actions] of Object.entries(access)) {
        let info: Record<string, unknown>;
        try {
          info = (await autotask.metadata.info(entity)) as Record<string, unknown>;
        } catch (err) {
          if (err instanceof AutotaskError && err.kind === 'permission') {
            missing.push(`${entity} (no access at all)`);
            continue;
          }
          throw err;
        }
        for (const action of actions) {
          const cap = action === 'query' ? 'canQuery' : action === 'create' ? 'canCreate' : 'canUpdate';
          const user = info[`userAccessFor${action[0].toUpperCase()}${action.slice(1)}`];
          if (info[cap] === false || user === 'None' || user === false) missing.push(`${action} ${entity}`);
        }
      }
      if (missing.length) {
        throw fail('permission', `Permission denied: the API user cannot ${missing.join(', ')}. Grant these in its security level (Admin > Resources/Users > Security Levels) and check its line-of-business assignments.`);
      }
      return `The API user can do everything the templates need (${Object.keys(access).length} entities checked)`;
    },

    async ensureUdfDefinitions({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const wanted = Object.values(connector.settings.productSync.udfs);
      const existing = new Set((await autotask.metadata.userDefinedFields('Products')).map((u) => u.name));
      const missing = wanted.filter((name) => !existing.has(name));
      const created: string[] = [];
      for (const name of missing) {
        try {
          await autotask.createUdfDefinition({ entity: 'Products', name, dataType: name.toLowerCase().includes('date') ? 'Date' : 'String', description: 'Written by autotask-bridge Product Sync' });
          created.push(name);
        } catch (err) {
          if (err instanceof AutotaskError && (err.kind === 'permission' || err.kind === 'validation')) {
            throw fail(
              'settings',
              `Product user-defined fields are missing and could not be created (${err.message}): create ${missing.map((m) => `"${m}"`).join(', ')} on Products in Autotask, or give the API user access to UserDefinedFieldDefinitions`,
            );
          }
          throw err;
        }
      }
      return created.length ? `Created product UDFs: ${created.join(', ')}` : `Product UDFs present: ${wanted.join(', ')}`;
    },

    /** The distributor integration as an Autotask vendor company, found by id or by name. */
    async ensureVendorCompany({ connectorId, integrationId }: { connectorId: string; integrationId: string }): Promise<string> {
      const { autotask } = await clients.get(connectorId);
      const integration = await store.integration(connectorId, integrationId);
      const name = integration.vendorCompanyName ?? integrationKind(integration.kind).label;
      if (integration.vendorCompanyId) {
        const company = await autotask.companies.get(integration.vendorCompanyId);
        if (company) return `Vendor company ${company.id} (${(company as { companyName?: string }).companyName ?? name})`;
      }
      const vendorType = await autotask.metadata.picklistValue('Companies', 'companyType', 'Vendor');
      const filters = [f.eq('companyName', name), ...(vendorType ? [f.eq('companyType', Number(vendorType))] : [])];
      const company = (await autotask.companies.query(filters, { maxRecords: 1 })).items[0];
      if (!company) throw fail('settings', `No vendor company named "${name}" in Autotask: create it (type Vendor), or add the integration again with --vendor-company-name or --vendor-company-id`, integrationId);
      await store.setVendorCompany(connectorId, integrationId, company.id, name);
      clients.forget(connectorId);
      return `Vendor company ${company.id} (${name})`;
    },

    async ensureBillingCode({ connectorId }: { connectorId: string }): Promise<string> {
      const { autotask, connector } = await clients.get(connectorId);
      const configured = connector.settings.productSync.billingCodeId;
      if (configured) {
        const code = await autotask.billingCodes.get(configured);
        if (!code) throw fail('settings', `Billing code ${configured} (productSync.billingCodeId) does not exist in Autotask`);
        return `Products use billing code ${code.id} (${code.name ?? ''})`;
      }
      // Products need a billing code: take the first active material cost code.
      const material = await autotask.metadata.picklistValue('BillingCodes', 'useType', 'Material Cost Code');
      const found = await autotask.billingCodes.query([f.eq('isActive', true), ...(material ? [f.eq('useType', Number(material))] : [])], { maxRecords: 1 });
      const code = found.items[0];
      if (!code) throw fail('settings', 'No active material cost code in Autotask for new products: create one or set productSync.billingCodeId');
      await store.updateSettings(connectorId, mergeSettings(connector.settings, { productSync: { billingCodeId: code.id } }));
      clients.forget(connectorId);
      return `Products use billing code ${code.id} (${code.name ?? ''})`;
    },

    /**
     * Activation: an unconfirmed submit status is (re)proposed by label from the database's picklist; a
     * confirmed one is checked against it (labels refreshed). Never confirms anything.
     */
    async checkSubmitStatus({ connectorId }: { connectorId: string }): Promise<CheckOutcome> {
      const options = await purchaseOrderStatuses(connectorId);
      const current = (await store.get(connectorId)).settings.orders.submitStatus;
      let next: SubmitStatus;
      if (current.confirmed) {
        next = { ...current, labels: current.values.map((v, i) => options.find((o) => o.value === v)?.label ?? current.labels[i] ?? String(v)) };
      } else {
        const proposal = proposeSubmitStatus(options);
        next = submitStatusSetting(proposal ? [proposal] : []);
      }
      if (!sameStatus(current, next)) await saveSubmitStatus(connectorId, next);
      return submitStatusCheck(next, options);
    },

    /** `settings --submit-status` / `templates enable submit-order`: the choice (resolved against the picklist), confirmed on request. */
    async submitStatus({ connectorId, statuses, confirm, by }: SubmitStatusRequest & { connectorId: string }): Promise<SubmitStatusView> {
      const options = await purchaseOrderStatuses(connectorId);
      let status = (await store.get(connectorId)).settings.orders.submitStatus;
      if (statuses?.length) {
        status = submitStatusSetting(resolveSubmitStatuses(options, statuses));
      } else if (!status.confirmed && (!status.values.length || staleSubmitStatuses(status, options).length)) {
        const proposal = proposeSubmitStatus(options);
        status = submitStatusSetting(proposal ? [proposal] : []);
      }
      if (confirm) {
        if (!status.values.length) throw fail('settings', `No purchase order status to confirm: none reads like "ready to order"; name one with --submit-status <label> (active: ${describeOptions(options)})`, 'engine');
        const chosen = resolveSubmitStatuses(options, status.values.map(String));
        status = submitStatusSetting(chosen, { at: new Date().toISOString(), by: by ?? 'an operator' });
        await saveSubmitStatus(connectorId, status);
      }
      return { ...status, options, waiting: await purchaseOrdersIn(connectorId, status.values), check: submitStatusCheck(status, options) };
    },

    /** One check from the integration kind's definition (e.g. `api`). */
    async runIntegrationCheck({ connectorId, integrationId, check }: { connectorId: string; integrationId: string; check: string }): Promise<string> {
      const { integration, client } = await clients.integration(connectorId, integrationId);
      const definition = integrationKind(integration.kind);
      const found = definition.checks.find((c) => c.name === check);
      if (!found) throw new BridgeError('state', `${definition.label} has no check "${check}"`, { source: integrationId });
      return found.run(client);
    },

    async recordConnectorStatus(input: { connectorId: string; status: ConnectorStatus; statusMessage?: string; checks: CheckRecord[] }): Promise<void> {
      await store.setStatus(input.connectorId, input.status, input.statusMessage, input.checks);
    },

    async recordIntegrationStatus(input: { connectorId: string; integrationId: string; status: ConnectorStatus; statusMessage?: string; checks: CheckRecord[] }): Promise<void> {
      await store.setIntegrationStatus(input.connectorId, input.integrationId, input.status, input.statusMessage, input.checks);
    },

    async setTemplateSchedule(input: { connectorId: string; template: string; integrationId: string; enabled: boolean; paused: boolean }): Promise<void> {
      const template = findTemplate(input.template);
      if (!template) throw new BridgeError('settings', `Unknown template "${input.template}"`, { source: 'engine' });
      const connector = await store.get(input.connectorId);
      // A template may take its schedule from its integration's settings (the export's pollMinutes); a removed one has none.
      const integrationSettings = input.integrationId ? await store.integration(input.connectorId, input.integrationId).then((i) => i.settings, () => undefined) : undefined;
      await upsertTemplateSchedule(temporal, {
        connectorId: input.connectorId,
        integrationId: input.integrationId,
        template,
        settings: connector.settings,
        integrationSettings,
        taskQueue,
        paused: input.paused || !input.enabled,
        note: input.enabled ? (input.paused ? 'paused: connector not connected' : 'enabled') : 'disabled by an operator',
      });
      await store.setTemplate(input.connectorId, input.template, input.integrationId, input.enabled);
    },

    async updateConnectorSettings({ connectorId, change }: { connectorId: string; change: Record<string, unknown> }): Promise<void> {
      const orders = change.orders && typeof change.orders === 'object' ? (change.orders as Record<string, unknown>) : {};
      if ('submitStatus' in orders || 'submitStatuses' in orders) {
        throw new BridgeError('settings', "Set Submit Order's purchase order status with `autotask-bridge settings --submit-status <label|value>`: it is checked against the database's statuses and recorded as confirmed", { source: 'engine' });
      }
      const connector = await store.get(connectorId);
      let merged;
      try {
        merged = mergeSettings(connector.settings, change);
      } catch (err) {
        throw new BridgeError('settings', `Invalid settings: ${(err as Error).message}`, { source: 'engine' });
      }
      await store.updateSettings(connectorId, merged);
      clients.forget(connectorId);
    },
  };
}
