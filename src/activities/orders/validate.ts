// Submit Order, step 1: the PO, its items and Product Sync's links → problems or a validated order
// stored on the link (nothing is sent from here).
import { submitStatusFilter } from '../../connector/settings';
import { clientPoNumber } from '../../orders/client-po';
import { SCANNED_PO_MAX_AGE_MS, type OrderState, type OrderTiming, type OrderTrigger, type ScannedPurchaseOrder } from '../../orders/types';
import { validatePurchaseOrder } from '../../orders/validate';
import { orderTiming, type OrderContext, type OrderRef } from './context';

export interface ValidateOrderResult {
  ok: boolean;
  problems: string[];
  purchaseOrderNumber: string | null;
  clientPoNumber: string;
  /** A link with distributor orders already exists: skip to tracking. */
  alreadySubmitted: boolean;
  state: OrderState;
  distributorOrderIds: string[];
  timing: OrderTiming;
}

export function validateActivities({ clients, orders, context, integrationFor }: OrderContext) {
  return {
    async validateOrder(input: OrderRef & { trigger: OrderTrigger; opportunityId?: number; scanned?: ScannedPurchaseOrder }): Promise<ValidateOrderResult> {
      const link = await orders.link(input.connectorId, input.purchaseOrderId);
      const { autotask } = await clients.get(input.connectorId);
      const scanned = link?.distributorOrderIds.length ? undefined : freshScan(input);
      const po = link?.distributorOrderIds.length ? undefined : (scanned ?? (await autotask.purchaseOrders.get(input.purchaseOrderId)));
      const { integration, distributor, settings, vendorName, vendorCompanyId } = await context(input.connectorId, link?.integrationId ?? (await integrationFor(input.connectorId, input.integrationId, po?.vendorID ?? undefined)));
      const timing = orderTiming(settings);
      const poNumber = clientPoNumber(input.purchaseOrderId, settings.clientPoPrefix);
      if (link && link.distributorOrderIds.length) {
        return { ok: true, problems: [], purchaseOrderNumber: link.purchaseOrderNumber, clientPoNumber: link.clientPoNumber, alreadySubmitted: true, state: link.state as OrderState, distributorOrderIds: link.distributorOrderIds, timing };
      }
      // Nothing is ordered until the operator has confirmed which PO status means "ready to order".
      submitStatusFilter(settings);
      let problems: string[];
      let purchaseOrderNumber: string | null = null;
      if (!po) {
        problems = [`Autotask has no purchase order ${input.purchaseOrderId}.`];
      } else {
        purchaseOrderNumber = po.purchaseOrderNumber ?? String(po.id);
        const items = scanned?.items ?? (await autotask.purchaseOrderItems.forParent(po.id));
        const products = await orders.productMappings({ connectorId: input.connectorId, integrationId: integration.id }, [...new Set(items.map((i) => i.productID).filter((x): x is number => !!x))]);
        const result = validatePurchaseOrder(po, items, products, { vendorCompanyId, vendorName, shipToCountryCode: settings.shipToCountryCode, acceptBackOrder: settings.acceptBackOrder, addressRules: distributor.capabilities.orderAddress });
        problems = result.problems;
        if (!problems.length) {
          await orders.upsertLink(input.connectorId, input.purchaseOrderId, {
            integrationId: integration.id, clientPoNumber: link?.clientPoNumber ?? poNumber, state: 'validated', purchaseOrderNumber, lines: result.lines,
            orderInput: result.order as unknown as Record<string, unknown>, trigger: input.trigger, opportunityId: input.opportunityId ?? null,
            workflowId: input.workflowId ?? null, lastError: null,
          });
        }
      }
      return { ok: !problems.length, problems, purchaseOrderNumber, clientPoNumber: link?.clientPoNumber ?? poNumber, alreadySubmitted: false, state: problems.length ? 'rejected' : 'validated', distributorOrderIds: [], timing };
    },
  };
}

/** The scan's copy of the PO (and its items) while it is fresh (the scan read it moments ago), else nothing. */
function freshScan(input: { purchaseOrderId: number; scanned?: ScannedPurchaseOrder }): ScannedPurchaseOrder | undefined {
  const s = input.scanned;
  if (!s || s.id !== input.purchaseOrderId) return undefined;
  const age = Date.now() - Date.parse(s.scannedAt);
  return age >= 0 && age <= SCANNED_PO_MAX_AGE_MS ? s : undefined;
}
