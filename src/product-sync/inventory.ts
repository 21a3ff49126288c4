// Distributor stock in Autotask's Inventory (productSync.inventory, off by default). Each distributor
// integration has an inventory location of its own ("TD SYNNEX stock"); each linked product has one
// InventoryItem there whose quantity on hand is the distributor's, so technicians see the stock where
// Autotask shows stock. Written after a page's product writes, only for products whose quantity differs
// from the one last written (product_links.inventory_quantity).
//
// How Autotask lets quantities be written:
// - InventoryItems: productID, inventoryLocationID, quantityOnHand, quantityMinimum, quantityMaximum are
//   required on create; productID and inventoryLocationID are read-only afterwards; one item per product
//   and location [D:REST/Entities/InventoryItemsEntity.htm; SOAP getEntityInfo as generated into
//   moldypenguins/AutotaskNET Entities/InventoryItem.cs]. quantityMaximum ≥ quantityMinimum ≥ 0
//   [D:SOAP/Entities/InventoryItemEntity.htm]: we send 0/0, so Auto-Fill never orders from this location.
// - quantityOnHand cannot be PATCHed: "Following the release of Autotask 2022.1, it is no longer possible to
//   update the quantity on hand of an inventory product. The field is now calculated based on the stocked
//   items": increase with a Create of InventoryStockedItemsAdd, decrease with InventoryStockedItemsRemove
//   naming the stocked item found through InventoryStockedItems [D:REST/Entities/InventoryProductsEntity.htm,
//   InventoryStockedItemsAdd.htm, InventoryStockedItemsRemove.htm]; the spec has them as
//   `POST /InventoryProducts/{parentId}/StockedItemsAdd|Remove` [S]. The item's id is taken as the
//   InventoryProducts id (same records under the entity's newer name) [inferred, unverified].
//
// Exactly once: an item create whose answer was lost is looked up by product and location before it is
// sent again (transport `recover`). A stock change is "set to target": the delta comes from the item's
// quantity as Autotask reports it, so after a lost answer (or a retried page) the quantity is read again
// and only what is still missing is sent. A write Autotask rejects is quarantined with its reason; the
// page goes on.
import type { AutotaskClient } from '../autotask/client';
import { AutotaskError } from '../autotask/errors';
import { f } from '../autotask/query';
import { chunks, mapWithConcurrency } from '../concurrency';
import type { ProductSyncSettings } from '../connector/settings';
import type { Product } from '../distributors/adapter';
import { BridgeError } from '../failures';
import type { LinkScope, ProductSyncStore, QuarantineEntry } from './store';
import type { ApplyContext } from './apply';

/** The run's inventory location (set in the page context when productSync.inventory is on). */
export interface InventoryTarget {
  locationId: number;
  locationName: string;
  /** The distributor's label, for the stock change's reason. */
  distributor: string;
}

/** A page's Autotask context, as apply.ts has it. */
export type InventoryContext = ApplyContext;

export interface InventoryOutcome {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Parallel inventory writes per page (Autotask allows 3 threads per endpoint). */
const INVENTORY_CONCURRENCY = 3;
/** Stock changes sent for one item before giving up on an answer that keeps getting lost. */
const ADJUST_ATTEMPTS = 3;
/** InventoryLocations.locationName is at most 50 characters (SOAP getEntityInfo: Length:50). */
const LOCATION_NAME_MAX = 50;

/** The distributor's quantity on hand of a product (whole units, never negative); null when it did not say. */
export function stockQuantity(p: Pick<Product, 'availability'>): number | null {
  const total = p.availability?.total;
  return typeof total === 'number' && Number.isFinite(total) ? Math.max(0, Math.floor(total)) : null;
}

/** The location name for one distributor integration: its own (`locationNames`) or the template. */
export function inventoryLocationName(settings: ProductSyncSettings['inventory'], integration: { id: string; label: string }): string {
  const name = (settings.locationNames[integration.id] ?? settings.locationName).replaceAll('{distributor}', integration.label).replaceAll('{integration}', integration.id).trim();
  if (!name || name.length > LOCATION_NAME_MAX) {
    throw new BridgeError('settings', `Inventory location name "${name}" for integration ${integration.id} must be 1 to ${LOCATION_NAME_MAX} characters (productSync.inventory.locationName / locationNames)`, { source: 'engine' });
  }
  return name;
}

/**
 * Every distributor gets a location of its own: two integrations resolving to one name would write the
 * same products' items (a product matched by part number is shared between distributors).
 */
export function checkDistinctLocationNames(settings: ProductSyncSettings['inventory'], integrations: Array<{ id: string; label: string }>): void {
  const seen = new Map<string, string>();
  for (const i of integrations) {
    const name = inventoryLocationName(settings, i).toLowerCase();
    const other = seen.get(name);
    if (other) {
      throw new BridgeError('settings', `Integrations ${other} and ${i.id} would share the inventory location "${inventoryLocationName(settings, i)}": give each its own with productSync.inventory.locationNames, or use {distributor}/{integration} in locationName`, { source: 'engine' });
    }
    seen.set(name, i.id);
  }
}

/**
 * The location by name, created (active, not the default) when Autotask has none; never a second one:
 * a create whose answer was lost is looked up by name before it is sent again.
 */
export async function findOrCreateLocation(autotask: AutotaskClient, name: string, create: boolean): Promise<{ id: number; created: boolean } | null> {
  const found = await locationByName(autotask, name);
  if (found) {
    if (found.isActive === false) {
      throw new BridgeError('settings', `Autotask inventory location "${name}" (id ${found.id}) is inactive: activate it in Autotask, or turn productSync.inventory off`, { source: 'autotask' });
    }
    return { id: found.id, created: false };
  }
  if (!create) return null;
  const id = await autotask.inventoryLocations.create({ locationName: name, isActive: true, isDefault: false }, { recover: async () => (await locationByName(autotask, name))?.id ?? null });
  return { id, created: true };
}

async function locationByName(autotask: AutotaskClient, name: string) {
  const { items } = await autotask.inventoryLocations.query(f.eq('locationName', name), { maxRecords: 10 });
  // Autotask compares strings without regard to case; the oldest location of that name wins.
  return items.filter((l) => (l.locationName ?? '').toLowerCase() === name.toLowerCase()).sort((a, b) => a.id - b.id)[0] ?? null;
}

/** A SKU's quantity on hand at the distributor, and its cost (the unit cost of stock added). */
export interface StockLevel {
  quantity: number;
  unitCost: number | null;
}

interface Work {
  sku: string;
  productId: number;
  quantity: number;
  /** Unit cost of the stock added (the distributor's cost), when known. */
  unitCost: number | null;
}

/**
 * Brings the items of the page's linked products to the distributor's quantities (`stock`, by SKU).
 * Links are read fresh (after the page's product writes); a SKU whose item already carries the
 * quantity costs no request.
 */
export async function syncInventory(ctx: InventoryContext, stock: Record<string, StockLevel>, signal?: AbortSignal): Promise<InventoryOutcome & { quarantined: QuarantineEntry[] }> {
  const outcome = { created: 0, updated: 0, unchanged: 0, rejected: 0, quarantined: [] as QuarantineEntry[] };
  const target = ctx.inventory;
  const skus = Object.keys(stock);
  if (!target || !skus.length) return outcome;
  const links = await ctx.store.links(ctx.scope, skus);
  const work: Work[] = [];
  for (const sku of skus) {
    const link = links.get(sku);
    if (!link?.autotaskProductId) continue;
    const { quantity, unitCost } = stock[sku];
    if (link.inventoryLocationId === target.locationId && link.inventoryItemId && link.inventoryQuantity === quantity) {
      outcome.unchanged++;
      continue;
    }
    work.push({ sku, productId: link.autotaskProductId, quantity, unitCost });
  }
  if (!work.length) return outcome;

  // What the location holds now for these products: items an earlier attempt (or a technician) created, and their quantities.
  const items = new Map<number, { id: number; quantityOnHand: number }>();
  for (const part of chunks(work.map((w) => w.productId), 500)) {
    const page = await ctx.autotask.inventoryItems.query([f.eq('inventoryLocationID', target.locationId), f.in('productID', part)], { maxRecords: 500 });
    for (const i of page.items) if (typeof i.productID === 'number') items.set(i.productID, { id: i.id, quantityOnHand: i.quantityOnHand ?? 0 });
  }

  await mapWithConcurrency(work, INVENTORY_CONCURRENCY, async (w) => {
    signal?.throwIfAborted();
    try {
      const existing = items.get(w.productId);
      let itemId: number;
      if (existing) {
        itemId = existing.id;
        const sent = await adjust(ctx, target, itemId, existing.quantityOnHand, w);
        if (sent) outcome.updated++;
        else outcome.unchanged++;
      } else {
        itemId = await ctx.autotask.inventoryItems.create(
          { productID: w.productId, inventoryLocationID: target.locationId, quantityOnHand: w.quantity, quantityMinimum: 0, quantityMaximum: 0 },
          { recover: () => itemIdAt(ctx.autotask, target.locationId, w.productId) },
        );
        outcome.created++;
      }
      await ctx.store.setInventory(ctx.scope, w.sku, { locationId: target.locationId, itemId, quantity: w.quantity });
    } catch (err) {
      // Refused (or gone) at Autotask: quarantined; anything else fails the page, which is retried.
      if (!(err instanceof BridgeError && (err.kind === 'validation' || err.kind === 'not_found'))) throw err;
      outcome.rejected++;
      outcome.quarantined.push({ recordKey: w.sku, reason: `Autotask rejected the inventory write (location "${target.locationName}", product ${w.productId}, quantity ${w.quantity}): ${err.message}`, record: null });
    }
  });
  return outcome;
}

async function itemIdAt(autotask: AutotaskClient, locationId: number, productId: number): Promise<number | null> {
  const { items } = await autotask.inventoryItems.query([f.eq('inventoryLocationID', locationId), f.eq('productID', productId)], { maxRecords: 1 });
  return items[0]?.id ?? null;
}

/**
 * Adds or removes stock until the item holds `w.quantity`; false when it already did. An answer that
 * was lost (or a gateway failure) is followed by reading the quantity again, never by a blind resend.
 */
async function adjust(ctx: InventoryContext, target: InventoryTarget, itemId: number, current: number, w: Work): Promise<boolean> {
  let onHand = current;
  let sent = false;
  for (let attempt = 1; ; attempt++) {
    const delta = w.quantity - onHand;
    if (delta === 0) return sent;
    const reasonForUpdate = `${target.distributor} stock: ${w.quantity} on hand (autotask-bridge Product Sync)`.slice(0, 250);
    try {
      sent = true;
      if (delta > 0) {
        await ctx.autotask.inventoryStockedItemsAdd.create(itemId, { quantityBeingAdded: delta, reasonForUpdate, vendorID: ctx.vendorCompanyId, ...(w.unitCost !== null ? { unitCost: w.unitCost } : {}) });
      } else {
        await removeUnits(ctx.autotask, itemId, -delta, reasonForUpdate);
      }
      return true;
    } catch (err) {
      const unknown = err instanceof AutotaskError && (err.kind === 'outcome_unknown' || err.kind === 'transient');
      if (!unknown || attempt >= ADJUST_ATTEMPTS) throw err;
      const item = await ctx.autotask.inventoryItems.get(itemId);
      if (!item) throw new AutotaskError('not_found', `InventoryItems ${itemId} no longer exists`, { operation: `GET InventoryItems/${itemId}` });
      onHand = item.quantityOnHand ?? 0;
    }
  }
}

/** Removes `units` from the item's stocked items that still have units on hand (their reserved and picked units stay). */
async function removeUnits(autotask: AutotaskClient, itemId: number, units: number, reasonForUpdate: string): Promise<void> {
  let left = units;
  const { items } = await autotask.inventoryStockedItems.query([f.eq('inventoryProductID', itemId), f.gt('onHandUnits', 0)], { maxRecords: 500 });
  for (const s of items.sort((a, b) => b.id - a.id)) {
    const removable = (s.onHandUnits ?? 0) - (s.reservedUnits ?? 0) - (s.pickedUnits ?? 0);
    const take = Math.min(left, removable);
    if (take <= 0) continue;
    await autotask.inventoryStockedItemsRemove.create(itemId, { inventoryStockedItemID: s.id, quantityBeingRemoved: take, reasonForUpdate });
    left -= take;
    if (!left) return;
  }
  throw new BridgeError('validation', `InventoryItems ${itemId}: ${left} of ${units} units cannot be removed (reserved or picked in Autotask)`, { source: 'autotask' });
}
