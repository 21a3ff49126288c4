// Submit Order's "single click": a won opportunity's quote products become an Autotask PO for the
// distributor, once (the opportunity → PO link, and a marker on the PO that finds it after a crash).
import { ApplicationFailure } from '@temporalio/activity';
import type { AutotaskClient } from '../../autotask/client';
import { f } from '../../autotask/query';
import { BridgeError } from '../../failures';
import type { OrderContext } from './context';

export function opportunityActivities({ orders, context }: OrderContext) {
  return {
    /** The "single click": a won opportunity's quote products become an Autotask PO for the distributor, once. */
    async createPurchaseOrderFromOpportunity(input: { connectorId: string; integrationId?: string; opportunityId: number; workflowId?: string }): Promise<{ purchaseOrderId: number; purchaseOrderNumber: string; created: boolean; items: number }> {
      const { autotask, settings, vendorCompanyId, vendorName } = await context(input.connectorId, input.integrationId);
      const { opportunityId } = input;
      if (!vendorCompanyId) throw new BridgeError('settings', `${vendorName} has no Autotask vendor company: run \`autotask-bridge reconnect\``, { source: input.integrationId ?? 'engine' });
      const opp = await autotask.opportunities.get(opportunityId);
      if (!opp) throw ApplicationFailure.nonRetryable(`Autotask has no opportunity ${opportunityId}`, 'validation');
      const statusField = await autotask.metadata.field('Opportunities', 'status');
      const statusLabel = statusField?.picklistValues?.find((p) => p.value === String(opp.status))?.label ?? String(opp.status);
      if (!settings.fromOpportunity.wonStatusLabels.some((l) => l.toLowerCase() === statusLabel.toLowerCase())) {
        throw ApplicationFailure.nonRetryable(`Opportunity ${opportunityId} is ${statusLabel}, not won (${settings.fromOpportunity.wonStatusLabels.join(' or ')})`, 'validation');
      }
      const { items: quotes } = await autotask.quotes.query(f.eq('opportunityID', opportunityId));
      const quote = quotes.find((q) => q.primaryQuote) ?? quotes[0];
      if (!quote) throw ApplicationFailure.nonRetryable(`Opportunity ${opportunityId} has no quote`, 'validation');
      const productType = await autotask.metadata.picklistValue('QuoteItems', 'quoteItemType', 'Product');
      const quoteItems = (await autotask.quoteItems.forParent(quote.id))
        .filter((q) => q.productID && !q.isOptional && (productType === undefined || String(q.quoteItemType) === productType))
        .sort((a, b) => a.id - b.id);
      if (!quoteItems.length) throw ApplicationFailure.nonRetryable(`Quote ${quote.id} of opportunity ${opportunityId} has no product items`, 'validation');

      const marker = `opp-${opportunityId}`;
      await orders.claimOpportunity(input.connectorId, opportunityId, marker);
      let purchaseOrderId = (await orders.opportunityOrder(input.connectorId, opportunityId))?.purchaseOrderId ?? null;
      let created = false;
      if (!purchaseOrderId) {
        // A crash after the create but before we stored its id: the marker finds it.
        const { items: found } = await autotask.purchaseOrders.query([f.eq('externalPONumber', marker), f.eq('vendorID', vendorCompanyId)]);
        purchaseOrderId = found[0]?.id ?? null;
      }
      if (!purchaseOrderId) {
        const company = opp.companyID ? await autotask.companies.get(opp.companyID) : null;
        const status = await autotask.metadata.picklistValue('PurchaseOrders', 'status', settings.fromOpportunity.statusLabel);
        if (!status) throw ApplicationFailure.nonRetryable(`PurchaseOrders.status has no "${settings.fromOpportunity.statusLabel}" value`, 'settings');
        purchaseOrderId = await autotask.purchaseOrders.create({
          vendorID: vendorCompanyId,
          status: Number(status),
          purchaseForCompanyID: company?.id ?? opp.companyID ?? undefined,
          shipToName: company?.companyName ?? '',
          shipToAddress1: company?.address1 ?? '',
          ...(company?.address2 ? { shipToAddress2: company.address2 } : {}),
          ...(company?.city ? { shipToCity: company.city } : {}),
          ...(company?.state ? { shipToState: company.state } : {}),
          ...(company?.postalCode ? { shipToPostalCode: company.postalCode } : {}),
          externalPONumber: marker,
          generalMemo: `Created by autotask-bridge from won opportunity ${opportunityId} (${opp.title ?? ''}), quote ${quote.id}, for ${vendorName}.`,
        });
        created = true;
      }
      await orders.setOpportunityPurchaseOrder(input.connectorId, opportunityId, purchaseOrderId);

      // Items: create only those not there yet (a retry after a crash mid-way finds the rest).
      const existing = await autotask.purchaseOrderItems.forParent(purchaseOrderId);
      const have = new Map<number, number>();
      for (const i of existing) if (i.productID) have.set(i.productID, (have.get(i.productID) ?? 0) + 1);
      const missing = quoteItems.filter((q) => {
        const n = have.get(q.productID!) ?? 0;
        if (n > 0) {
          have.set(q.productID!, n - 1);
          return false;
        }
        return true;
      });
      if (missing.length) {
        const location = settings.fromOpportunity.inventoryLocationId ?? (await defaultInventoryLocation(autotask));
        if (!location) throw ApplicationFailure.nonRetryable('No active Autotask inventory location for PO items: set orders.fromOpportunity.inventoryLocationId', 'settings');
        for (const q of missing) {
          await autotask.purchaseOrderItems.create(purchaseOrderId, {
            productID: q.productID!, quantity: Math.round(q.quantity ?? 0), unitCost: q.unitCost ?? 0, inventoryLocationID: location,
          });
        }
      }
      if (created) {
        await orders.log(input.connectorId, 'order.from-opportunity', `Opportunity ${opportunityId}: created PO ${purchaseOrderId} with ${quoteItems.length} item(s)`, { opportunityId, purchaseOrderId, quoteId: quote.id }, input.workflowId);
      }
      const po = await autotask.purchaseOrders.get(purchaseOrderId);
      return { purchaseOrderId, purchaseOrderNumber: po?.purchaseOrderNumber ?? String(purchaseOrderId), created, items: quoteItems.length };
    },
  };
}

async function defaultInventoryLocation(autotask: AutotaskClient): Promise<number | null> {
  const { items } = await autotask.inventoryLocations.query(f.eq('isActive', true), { maxRecords: 50 });
  return (items.find((l) => l.isDefault) ?? items[0])?.id ?? null;
}

