// Products and stock: ProductModel, ProductVendorModel, InventoryLocationModel, InventoryItemModel.
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
