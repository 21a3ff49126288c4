// The PO number we send to the distributor: derived from the Autotask PO id only (never from
// editable fields), so every attempt, worker and restart uses the same one — the key that makes
// submission exactly-once (we look it up before submitting).
export const MAX_CLIENT_PO_LENGTH = 35; // Ingram's customerOrderNumber limit

export function clientPoNumber(purchaseOrderId: number, prefix = 'AT-'): string {
  if (!Number.isInteger(purchaseOrderId) || purchaseOrderId <= 0) throw new Error(`Not an Autotask purchase order id: ${purchaseOrderId}`);
  const safePrefix = prefix.replace(/[^A-Za-z0-9-]/g, '').slice(0, 12);
  return `${safePrefix}${purchaseOrderId}`.slice(0, MAX_CLIENT_PO_LENGTH);
}
