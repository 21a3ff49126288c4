// What every order step shares: its dependencies, the order reference, the connector's clients
// and settings for an order, the link lookup, and the lifecycle starter. Written once here.
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Database } from '../../../db';
import type { OrderLinkRow } from '../../../db/schema/orders';
import { startOrderWorkflow } from '../../client/order-workflow';
import type { ConnectorClientCache } from '../../connector/clients';
import type { OrderSettings } from '../../connector/settings';
import type { ConnectorStore } from '../../connector/store';
import { OrderStore } from '../../orders/store';
import type { OrderLifecycleInput, OrderTiming } from '../../orders/types';

export interface OrderActivityDeps {
  clients: ConnectorClientCache;
  connectorStore: ConnectorStore;
  database: Database;
  temporal: Client;
  taskQueue: string;
}

export interface OrderRef {
  connectorId: string;
  purchaseOrderId: number;
  /** The distributor integration (known once the PO is linked). */
  integrationId?: string;
  workflowId?: string;
}

const DAY_MS = 86_400_000;

export function orderTiming(settings: OrderSettings): OrderTiming {
  return {
    pollInitialMs: settings.pollSeconds.initial * 1000, pollMaxMs: settings.pollSeconds.max * 1000, pollBackoff: settings.pollSeconds.backoff,
    trackUntil: settings.trackUntil, invoiceWaitMs: settings.invoiceWaitDays * DAY_MS,
  };
}

export type OrderContext = ReturnType<typeof createOrderContext>;

export function createOrderContext({ clients, connectorStore, database, temporal, taskQueue }: OrderActivityDeps) {
  const orders = new OrderStore(database);
  return {
    clients,
    orders,

    /** Autotask and the order's distributor: the given integration, else the connector's only distributor. */
    async context(connectorId: string, integrationId?: string) {
      const c = await clients.distributor(connectorId, integrationId || undefined);
      return { ...c, settings: c.connector.settings.orders };
    },

    /** The distributor a PO goes to: its link's, the one asked for, the one whose vendor company the PO names, or the only one. */
    async integrationFor(connectorId: string, asked: string | undefined, vendorId: number | undefined): Promise<string | undefined> {
      if (asked) return asked;
      if (vendorId === undefined) return undefined;
      const match = (await connectorStore.integrations(connectorId)).find((i) => i.role === 'distributor' && i.vendorCompanyId === vendorId);
      return match?.id;
    },

    async requireLink(ref: OrderRef): Promise<OrderLinkRow> {
      const link = await orders.link(ref.connectorId, ref.purchaseOrderId);
      if (!link) throw ApplicationFailure.nonRetryable(`PO ${ref.purchaseOrderId} has not been validated for connector ${ref.connectorId}`, 'order-state');
      return link;
    },

    /** Starts (or finds running) one lifecycle workflow; `submit` also sends the submit signal. */
    startLifecycle(input: OrderLifecycleInput, purchaseOrderNumber: string | null, submit: boolean): Promise<'started' | 'running'> {
      return startOrderWorkflow(temporal, taskQueue, input, { purchaseOrderNumber, ...(submit ? { submit: { by: input.trigger } } : {}) });
    },
  };
}
