// Marketplace products (plans) ↔ Autotask Services: the mapping key of an event, the seed's "Add
// Product to Autotask" (a Service from the product's name, period and price, found again by its
// external id so a retried create never makes a second one), and checking that a mapped Service
// still exists and is active.
import { createHash } from 'node:crypto';
import { f, type AutotaskClient } from '../autotask';
import { BridgeError } from '../failures';
import { recordProblem } from './customers';
import type { MarketplaceEvent, MarketplaceProduct } from '../marketplaces/adapter';

/** What product mappings are keyed by: the plan where the marketplace has plans (Pax8), else the product. */
export function productKey(event: Pick<MarketplaceEvent, 'planId' | 'productId'>): string | null {
  return event.planId ?? event.productId ?? null;
}

/** The Service's external id: readable when short enough, else a digest (same input → same id). */
export function serviceExternalId(integrationId: string, planId: string): string {
  const readable = `mp:${integrationId}:${planId}`;
  return readable.length <= 50 ? readable : `mp:${createHash('sha256').update(`${integrationId}|${planId}`).digest('hex').slice(0, 40)}`;
}

/** Autotask Service period for a marketplace billing cycle (the Service bills per billing period, not per term). */
export function servicePeriodLabel(product: Pick<MarketplaceProduct, 'billingCycle' | 'termMonths'>): string {
  if (product.billingCycle === 'annual') return 'Yearly';
  if (product.billingCycle === 'monthly') return 'Monthly';
  return ({ 3: 'Quarterly', 6: 'Semi-Annual', 12: 'Yearly' } as Record<number, string>)[product.termMonths ?? 1] ?? 'Monthly';
}

/** The active Recurring Contract billing code a new Service bills under (use type read from the picklist by label; lowest id first). */
export async function recurringBillingCode(autotask: AutotaskClient): Promise<number> {
  const useType = await autotask.metadata.picklistValue('BillingCodes', 'useType', 'Recurring Contract');
  if (useType === undefined) throw new BridgeError('settings', 'Autotask BillingCodes.useType has no "Recurring Contract" value: a Service cannot be created', { source: 'autotask', operation: 'GET BillingCodes/entityInformation/fields' });
  const page = await autotask.billingCodes.query(f.and(f.eq('useType', Number(useType)), f.eq('isActive', true)), { maxRecords: 50 });
  const code = page.items.filter((c) => c.isActive !== false).sort((a, b) => a.id - b.id)[0];
  if (!code) {
    throw new BridgeError('settings', 'Autotask has no active billing code of the Recurring Contract use type: add one in Autotask (Admin › Billing Codes) before adding products', { source: 'autotask', operation: 'POST BillingCodes/query' });
  }
  return code.id;
}

export interface ServiceRef {
  id: number;
  name: string;
  /** False when an existing Service was found (a retry, or one the operator made with the same name). */
  created: boolean;
}

async function findService(autotask: AutotaskClient, externalId: string, name: string): Promise<{ id: number; name: string } | null> {
  const byExternal = await autotask.services.query(f.eq('externalID', externalId), { maxRecords: 5 });
  const byName = byExternal.items.length ? byExternal : await autotask.services.query(f.and(f.eq('name', name), f.eq('isActive', true)), { maxRecords: 5 });
  const found = byName.items.sort((a, b) => a.id - b.id)[0];
  return found ? { id: found.id, name: found.name ?? name } : null;
}

/** "Add Product to Autotask": the Service for a marketplace plan, created once however often this runs. */
export async function ensureService(autotask: AutotaskClient, integrationId: string, product: MarketplaceProduct): Promise<ServiceRef> {
  const externalId = serviceExternalId(integrationId, product.planId);
  const name = product.name.slice(0, 150);
  const existing = await findService(autotask, externalId, name);
  if (existing) return { ...existing, created: false };
  const [billingCodeID, periodType] = await Promise.all([recurringBillingCode(autotask), autotask.metadata.picklistValue('Services', 'periodType', servicePeriodLabel(product))]);
  if (periodType === undefined) throw new BridgeError('settings', `Autotask Services.periodType has no "${servicePeriodLabel(product)}" value`, { source: 'autotask', operation: 'GET Services/entityInformation/fields' });
  const description = `${product.name} (${product.vendor ?? 'marketplace'} ${product.planId}, ${product.billingCycle}${product.termMonths ? `, ${product.termMonths}-month term` : ''}, ${product.currency})`.slice(0, 400);
  const id = await autotask.services.create(
    {
      name, description, unitPrice: product.price ?? 0, ...(product.cost !== null ? { unitCost: product.cost } : {}),
      periodType: Number(periodType), billingCodeID, externalID: externalId, isActive: true,
      ...(product.mpn && product.mpn.length <= 50 ? { sku: product.mpn } : {}),
    },
    // A create whose answer was lost is found by its external id, not sent again.
    { recover: async () => (await autotask.services.query(f.eq('externalID', externalId), { maxRecords: 1 })).items[0]?.id ?? null },
  );
  return { id, name, created: true };
}

/** Why a mapped Service cannot be used (null: it can), and its current name. */
export async function serviceProblem(autotask: AutotaskClient, serviceId: number): Promise<{ problem: string | null; name: string | null }> {
  const service = await autotask.services.get(serviceId);
  return recordProblem('service', serviceId, service);
}
