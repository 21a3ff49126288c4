// Products and their vendors.
import { reject } from '../respond';
import type { SimRecord } from '../store';
import type { RuleContext, SimRuleModule } from './index';

export const catalog: SimRuleModule = {
  name: 'catalog',
  entities: ['Products', 'ProductVendors'],
  beforeCreate(ctx, entity, values) {
    if (entity.name === 'Products') {
      // "PeriodType must be Monthly if supplying a BillingType not equal to Standard" [D:SOAP/Entities/ProductEntity.htm].
      if (values.billingType !== 1 && values.periodType !== 2) throw reject('periodType must be Monthly when billingType is not Standard.');
      return;
    }
    // "The productVendor cannot already be associated with the Product entity" [D:REST/Entities/ProductVendorsEntity.htm].
    const others = vendorRows(ctx, values.productID as number);
    if (others.some((v) => v.vendorID === values.vendorID)) throw reject(`Vendor ${String(values.vendorID)} is already associated with product ${String(values.productID)}.`);
    // "On create, if no default productVendor exists for the product, isDefault is set to True" [same page].
    if (!others.some((v) => v.isDefault === true)) values.isDefault = true;
  },
  beforeUpdate(ctx, entity, next, current) {
    if (entity.name !== 'ProductVendors' || next.vendorID === current.vendorID) return;
    if (vendorRows(ctx, current.productID as number).some((v) => v.id !== current.id && v.vendorID === next.vendorID)) {
      throw reject(`Vendor ${String(next.vendorID)} is already associated with product ${String(current.productID)}.`);
    }
  },
  afterCreate(ctx, entity, row) {
    if (entity.name === 'ProductVendors') syncDefault(ctx, row);
  },
  afterUpdate(ctx, entity, row) {
    if (entity.name === 'ProductVendors') syncDefault(ctx, row);
  },
};

function vendorRows(ctx: RuleContext, productId: number): SimRecord[] {
  return ctx.store.table('ProductVendors').withValue('productID', productId);
}

/**
 * One default vendor per product, mirrored in Products.defaultVendorID (as the UI's single "default"
 * choice). The docs are silent on a second isDefault=true through the API; this simulator moves the
 * flag to the newest one rather than rejecting [inferred, unverified].
 */
function syncDefault(ctx: RuleContext, row: SimRecord): void {
  const product = ctx.store.get('Products', row.productID as number);
  const rows = vendorRows(ctx, row.productID as number);
  if (row.isDefault === true) {
    for (const other of rows) if (other.id !== row.id) other.isDefault = false;
    if (product) product.defaultVendorID = row.vendorID;
  } else if (product && product.defaultVendorID === row.vendorID) {
    product.defaultVendorID = rows.find((v) => v.isDefault === true)?.vendorID ?? null;
  }
}
