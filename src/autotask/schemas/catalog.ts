// Products and stock: ProductModel, ProductVendorModel, InventoryLocationModel, InventoryItemModel, InventoryStockedItem*.
import { z } from 'zod';
import { bool, dateTime, entityBase, int, num, str, udfs } from './common';

export const productSchema = z.looseObject({
  ...entityBase,
  name: str(),
  description: str(),
  sku: str(),
  manufacturerName: str(),
  manufacturerProductName: str(),
  vendorProductNumber: str(),
  externalProductID: str(),
  internalProductID: str(),
  productCategory: int(),
  unitCost: num(),
  unitPrice: num(),
  msrp: num(),
  markupRate: num(),
  isActive: bool(),
  isSerialized: bool(),
  billingType: int(),
  periodType: int(),
  priceCostMethod: int(),
  productBillingCodeID: int(),
  defaultVendorID: int(),
  createdTime: dateTime(),
  userDefinedFields: udfs(),
});
export type Product = z.infer<typeof productSchema>;

export const productVendorSchema = z.looseObject({
  ...entityBase,
  productID: int(),
  vendorID: int(),
  vendorCost: num(),
  vendorPartNumber: str(),
  isDefault: bool(),
  isActive: bool(),
});
export type ProductVendor = z.infer<typeof productVendorSchema>;

/** Billing codes are read-only through the API; products need one (`productBillingCodeID`). */
export const billingCodeSchema = z.looseObject({
  ...entityBase,
  name: str(),
  description: str(),
  useType: int(),
  isActive: bool(),
});
export type BillingCode = z.infer<typeof billingCodeSchema>;

export const inventoryLocationSchema = z.looseObject({
  ...entityBase,
  locationName: str(),
  isActive: bool(),
  isDefault: bool(),
  resourceID: int(),
});
export type InventoryLocation = z.infer<typeof inventoryLocationSchema>;

export const inventoryItemSchema = z.looseObject({
  ...entityBase,
  productID: int(),
  inventoryLocationID: int(),
  quantityOnHand: int(),
  quantityMinimum: int(),
  quantityMaximum: int(),
  quantityOnOrder: int(),
  quantityReserved: int(),
  quantityPicked: int(),
  backOrderQuantity: int(),
  bin: str(),
  referenceNumber: str(),
});
export type InventoryItem = z.infer<typeof inventoryItemSchema>;

/**
 * Since Autotask 2022.1 an inventory item's quantity on hand is the sum of its stocked items, changed
 * only by creating InventoryStockedItemsAdd/Remove under `InventoryProducts/{id}`
 * [D:REST/Entities/InventoryProductsEntity.htm]. InventoryStockedItemModel, ...AddModel, ...RemoveModel.
 */
export const inventoryStockedItemSchema = z.looseObject({
  ...entityBase,
  inventoryProductID: int(),
  currentInventoryLocationID: int(),
  onHandUnits: int(),
  availableUnits: int(),
  reservedUnits: int(),
  pickedUnits: int(),
  removedUnits: int(),
  serialNumber: str(),
  unitCost: num(),
  vendorID: int(),
});
export type InventoryStockedItem = z.infer<typeof inventoryStockedItemSchema>;

export const inventoryStockedItemAddSchema = z.looseObject({
  ...entityBase,
  inventoryProductID: int(),
  quantityBeingAdded: int(),
  unitCost: num(),
  vendorID: int(),
  reasonForUpdate: str(),
});

export const inventoryStockedItemRemoveSchema = z.looseObject({
  ...entityBase,
  inventoryProductID: int(),
  inventoryStockedItemID: int(),
  quantityBeingRemoved: int(),
  reasonForUpdate: str(),
});
