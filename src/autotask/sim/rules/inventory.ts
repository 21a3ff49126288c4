// Inventory: locations, the items that put a product at a location, and their stocked items.
//
// Since Autotask 2022.1 "it is no longer possible to update the quantity on hand of an inventory product.
// The field is now calculated based on the stocked items": more units are a Create of
// InventoryStockedItemsAdd, fewer a Create of InventoryStockedItemsRemove naming the stocked item
// [D:REST/Entities/InventoryProductsEntity.htm, InventoryStockedItemsAdd.htm, InventoryStockedItemsRemove.htm].
// The spec has both only as `POST /InventoryProducts/{parentId}/StockedItemsAdd|Remove` [S]. InventoryItems
// (the older name: its model is InventoryProductModel's with quantityOnHand for onHandUnits) and
// InventoryProducts are taken to be the same records, so `{parentId}` is the InventoryItems id [inferred,
// unverified]. This simulator keeps quantityOnHand equal to the sum of the item's stocked items' onHandUnits.
import { reject, SimRejection } from '../respond';
import type { SimRecord } from '../store';
import type { RuleContext, SimRuleModule } from './index';

const ADD = 'InventoryStockedItemsAdd';
const REMOVE = 'InventoryStockedItemsRemove';

export const inventory: SimRuleModule = {
  name: 'inventory',
  entities: ['InventoryItems'],
  define: {
    // Create-only entities, queried never: "This entity supports Create requests only" [D:REST/Entities/InventoryStockedItemsAdd.htm].
    [ADD]: {
      model: 'InventoryStockedItemAddModel',
      required: ['inventoryProductID', 'quantityBeingAdded'],
      lengths: { reasonForUpdate: 250, serialNumber: 100, vendorInvoiceNumber: 50 },
      references: { vendorID: 'Company' },
      canQuery: false,
      canUpdate: false,
      rootWrites: [],
      parent: { entity: 'InventoryProducts', child: 'StockedItemsAdd', field: 'inventoryProductID', methods: ['POST'] },
    },
    [REMOVE]: {
      model: 'InventoryStockedItemRemoveModel',
      required: ['inventoryProductID', 'inventoryStockedItemID', 'quantityBeingRemoved'],
      lengths: { reasonForUpdate: 250 },
      canQuery: false,
      canUpdate: false,
      rootWrites: [],
      parent: { entity: 'InventoryProducts', child: 'StockedItemsRemove', field: 'inventoryProductID', methods: ['POST'] },
    },
    // Query and get only at the root [D:REST/Entities/InventoryStockedItems.htm "URLs"].
    InventoryStockedItems: { model: 'InventoryStockedItemModel', canCreate: false, canUpdate: false, rootWrites: [] },
  },
  beforeCreate(ctx, entity, values) {
    // "inventoryLocationID must reference an isActive inventory location" [D:REST/Entities/InventoryItemsEntity.htm].
    const location = ctx.store.get('InventoryLocations', values.inventoryLocationID as number);
    if (location && location.isActive === false) throw reject('inventoryLocationID must reference an active inventory location.');
    // "Each inventoryItem requires a unique combination of inventoryItem.productID and inventoryItem.inventoryLocationID" [same page].
    if (itemsOf(ctx, values.productID as number).some((i) => i.inventoryLocationID === values.inventoryLocationID)) {
      throw reject(`Product ${String(values.productID)} already has an inventory item at location ${String(values.inventoryLocationID)}.`);
    }
    checkQuantities(values);
    // "QuantityOnHand must be >= the quantity Picked + quantity Reserved" [D:SOAP/Entities/InventoryItemEntity.htm]: both are 0 on create.
    if ((values.quantityOnHand as number) < 0) throw reject('quantityOnHand must be greater than or equal to 0.');
  },
  afterCreate(ctx, entity, row) {
    // "When an inventory product is manually created, stocked items are also created" [D:REST/Entities/InventoryProductsEntity.htm].
    if ((row.quantityOnHand as number) > 0) stockRow(ctx, row, row.quantityOnHand as number, {});
  },
  beforeUpdate(ctx, entity, next, current) {
    // productID and inventoryLocationID are "ReadOnly Required": set on create only (getEntityInfo as generated
    // into moldypenguins/AutotaskNET Entities/InventoryItem.cs); Autotask ignores read-only fields on writes.
    next.productID = current.productID;
    next.inventoryLocationID = current.inventoryLocationID;
    // Quantity on hand is no longer updatable since 2022.1, only calculated from stocked items (see the top).
    next.quantityOnHand = current.quantityOnHand;
    checkQuantities(next);
  },
  routes(r) {
    r.route('POST', 'InventoryProducts/:parentId/StockedItemsAdd', ADD, (req, ctx) => {
      const { item, body } = stockRequest(ctx, ADD, req.params.parentId, req.body);
      const n = body.quantityBeingAdded as number;
      if (n < 1) throw reject('quantityBeingAdded must be greater than 0.');
      if (body.vendorID !== undefined && body.vendorID !== null && !ctx.store.get('Companies', body.vendorID as number)) throw reject('Value does not reference an existing entity for vendorID.');
      const row = stockRow(ctx, item, n, body);
      item.quantityOnHand = (item.quantityOnHand as number) + n;
      return { status: 200, body: { itemId: row.id } };
    });
    r.route('POST', 'InventoryProducts/:parentId/StockedItemsRemove', REMOVE, (req, ctx) => {
      const { item, body } = stockRequest(ctx, REMOVE, req.params.parentId, req.body);
      const stocked = ctx.store.get('InventoryStockedItems', body.inventoryStockedItemID as number);
      if (!stocked || stocked.inventoryProductID !== item.id) throw reject('Value does not reference an existing entity for inventoryStockedItemID.');
      const n = body.quantityBeingRemoved as number;
      // "It is not possible to remove Reserved, Picked, Delivered or Removed units" [D:REST/Entities/InventoryStockedItemsRemove.htm].
      const removable = (stocked.onHandUnits as number) - (stocked.reservedUnits as number) - (stocked.pickedUnits as number);
      if (n < 1 || n > removable) throw reject(`quantityBeingRemoved must be between 1 and ${removable}.`);
      // "Create actions will cause the inventoryStockedItems.onHandUnits value to be recalculated" [same page].
      stocked.onHandUnits = (stocked.onHandUnits as number) - n;
      stocked.availableUnits = (stocked.availableUnits as number) - n;
      stocked.removedUnits = ((stocked.removedUnits as number) ?? 0) + n;
      item.quantityOnHand = (item.quantityOnHand as number) - n;
      return { status: 200, body: { itemId: stocked.id } };
    });
  },
};

function itemsOf(ctx: RuleContext, productId: number): SimRecord[] {
  return ctx.store.table('InventoryItems').withValue('productID', productId);
}

/** "QuantityMinimum must be >= 0", "QuantityMaximum must be >= QuantityMinimum" [D:SOAP/Entities/InventoryItemEntity.htm]. */
function checkQuantities(values: Record<string, unknown>): void {
  const min = values.quantityMinimum as number;
  const max = values.quantityMaximum as number;
  if (min < 0) throw reject('quantityMinimum must be greater than or equal to 0.');
  if (max < min) throw reject('quantityMaximum must be greater than or equal to quantityMinimum.');
}

/** The inventory item a stock request is for, and its body checked like any create (fields, types, required). */
function stockRequest(ctx: RuleContext, entityName: string, rawParentId: string, raw: unknown): { item: SimRecord; body: Record<string, unknown> } {
  const entity = ctx.entity(entityName)!;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new SimRejection(500, 'The request body must be a JSON object.');
  const parentId = Number(rawParentId);
  const item = Number.isInteger(parentId) ? ctx.store.get('InventoryItems', parentId) : undefined;
  if (!item) throw new SimRejection(404, `InventoryProducts with id ${rawParentId} could not be found.`);
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const field = entity.byLowerName.get(k.toLowerCase());
    if (!field || field.isReadOnly || v === undefined) continue; // unknown and read-only fields are ignored, as on every write
    if ((field.dataType === 'integer' || field.dataType === 'long') && v !== null && !Number.isInteger(v)) throw reject(`${field.name}: Value '${String(v)}' is not a valid integer.`);
    if (field.dataType === 'double' && v !== null && typeof v !== 'number') throw reject(`${field.name}: Value '${String(v)}' is not a valid number.`);
    if (field.dataType === 'string' && v !== null && (typeof v !== 'string' || v.length > field.length)) throw reject(`${field.name}: Value must be a string of at most ${field.length} characters.`);
    body[field.name] = v;
  }
  if (body.inventoryProductID !== undefined && body.inventoryProductID !== null && body.inventoryProductID !== item.id) throw reject('inventoryProductID does not match the parent id in the URL.');
  body.inventoryProductID = item.id;
  const missing = entity.fields.filter((f) => f.isRequired && (body[f.name] === undefined || body[f.name] === null)).map((f) => f.name);
  if (missing.length) throw reject(`Missing required field(s): ${missing.join(', ')}.`);
  return { item, body };
}

/** A stocked item of `units` on hand (quantityOnHand = Σ onHandUnits of the item's stocked items: the 2022.1 rule above). */
function stockRow(ctx: RuleContext, item: SimRecord, units: number, body: Record<string, unknown>): SimRecord {
  return ctx.store.insertFull('InventoryStockedItems', {
    inventoryProductID: item.id,
    currentInventoryLocationID: item.inventoryLocationID,
    onHandUnits: units,
    availableUnits: units,
    reservedUnits: 0,
    pickedUnits: 0,
    removedUnits: 0,
    deliveredUnits: 0,
    transferredUnits: 0,
    unitCost: body.unitCost ?? null,
    vendorID: body.vendorID ?? null,
    createDateTime: ctx.now(),
    createdByResourceID: ctx.user.resourceId ?? null,
  });
}
