// Purchasing: PurchaseOrderModel, PurchaseOrderItemModel, PurchaseOrderItemReceivingModel.
import { z } from 'zod';
import { dateTime, entityBase, int, num, str } from './common';

export const purchaseOrderSchema = z.looseObject({
  ...entityBase,
  vendorID: int(),
  status: int(),
  purchaseOrderNumber: str(),
  externalPONumber: str(),
  vendorInvoiceNumber: str(),
  shipToName: str(),
  shipToAddress1: str(),
  shipToAddress2: str(),
  shipToCity: str(),
  shipToState: str(),
  shipToPostalCode: str(),
  shippingType: int(),
  purchaseForCompanyID: int(),
  freight: num(),
  generalMemo: str(),
  createDateTime: dateTime(),
  submitDateTime: dateTime(),
  cancelDateTime: dateTime(),
  latestEstimatedArrivalDate: dateTime(),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;

export const purchaseOrderItemSchema = z.looseObject({
  ...entityBase,
  orderID: int(),
  productID: int(),
  inventoryLocationID: int(),
  quantity: int(),
  unitCost: num(),
  estimatedArrivalDate: dateTime(),
  memo: str(),
  contractID: int(),
  projectID: int(),
  ticketID: int(),
  salesOrderID: int(),
});
export type PurchaseOrderItem = z.infer<typeof purchaseOrderItemSchema>;

export const purchaseOrderItemReceivingSchema = z.looseObject({
  ...entityBase,
  purchaseOrderItemID: int(),
  quantityNowReceiving: int(),
  quantityPreviouslyReceived: int(),
  quantityBackOrdered: int(),
  receiveDate: dateTime(),
  receivedByResourceID: int(),
  serialNumber: str(),
  vendorInvoiceNumber: str(),
});
export type PurchaseOrderItemReceiving = z.infer<typeof purchaseOrderItemReceivingSchema>;
