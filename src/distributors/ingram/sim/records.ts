// Builds Ingram v6 response records (catalog search, price and availability) from a SimProduct,
// field names and types as in spec/ingram-reseller-v6-openapi.json.
import type { SimProduct } from './catalog';

const tf = (b: boolean) => (b ? 'True' : 'False');

export function catalogRecord(p: SimProduct): Record<string, unknown> {
  const r: Record<string, unknown> = {
    ingramPartNumber: p.sku,
    vendorName: p.vendor,
    productType: p.digital ? 'D' : 'P',
    type: p.digital ? 'IM::digital' : 'IM::physical',
    endUserRequired: tf(p.digital),
    hasDiscounts: tf(Boolean(p.promo)),
    discontinued: tf(p.discontinued),
    newProduct: tf(p.newProduct),
    directShip: 'False',
    hasWarranty: tf(!p.digital),
    authorizedToPurchase: 'True',
    links: [{ topic: 'priceandavailability', href: '/resellers/v6/catalog/priceandavailability', type: 'POST' }],
  };
  if (p.category !== undefined) r.category = p.category;
  if (p.subCategory !== undefined) r.subCategory = p.subCategory;
  if (p.mpn !== undefined) r.vendorPartNumber = p.mpn;
  if (p.upc !== undefined) r.upcCode = p.upc;
  // Both, as the spec's ProductSearch_Response has them: `description` and the extended `extraDescription`.
  if (p.description !== undefined) {
    r.description = p.description;
    r.extraDescription = [p.description, p.category, p.subCategory].filter(Boolean).join(' | ');
  }
  if (p.replacementSku) r.replacementSku = p.replacementSku;
  return r;
}

export function pnaRecord(p: SimProduct, index: number): Record<string, unknown> {
  const total = p.warehouses.reduce((n, w) => n + w.quantity, 0);
  const r: Record<string, unknown> = {
    index,
    productStatusCode: p.discontinued ? 'W' : '',
    productStatusMessage: p.discontinued ? 'Product is discontinued.' : '',
    ingramPartNumber: p.sku,
    vendorPartNumber: p.mpn ?? null,
    upc: p.upc ?? null,
    partNumberType: 'IM::PN',
    vendorNumber: p.vendorNumber,
    vendorName: p.vendor,
    productClass: p.discontinued ? 'X' : 'A',
    uom: 'EA',
    productStatus: p.discontinued ? 'Discontinued' : 'Active',
    acceptBackOrder: !p.discontinued && !p.digital,
    productAuthorized: true,
    returnableProduct: !p.digital,
    endUserInfoRequired: p.digital,
    govtSpecialPriceAvailable: false,
    availability: {
      available: p.digital || total > 0,
      totalAvailability: total,
      availabilityByWarehouse: p.warehouses.map((w) => ({
        location: w.location,
        warehouseId: w.id,
        quantityAvailable: w.quantity,
        quantityBackordered: w.backordered,
        quantityBackorderedEta: w.eta,
        quantityOnOrder: 0,
      })),
    },
    pricing: {
      currencyCode: p.currency,
      retailPrice: p.msrp,
      mapPrice: p.map,
      customerPrice: p.cost,
      specialBidPricingAvailable: false,
      webDiscountsAvailable: Boolean(p.promo),
    },
    discounts: p.promo
      ? [{
          specialPricing: [{
            discountType: 'SpecialPricing',
            specialBidNumer: p.promo.bidNumber,
            specialPricingDiscount: p.promo.discount,
            specialPricingEffectiveDate: p.promo.from,
            specialPricingExpirationDate: p.promo.to,
            specialPricingMinQuantity: p.promo.minQuantity,
          }],
          quantityDiscounts: [],
        }]
      : [],
    bundlePartIndicator: false,
  };
  return r;
}

export function pnaNotFound(sku: string, index: number): Record<string, unknown> {
  return { index, productStatusCode: 'E', productStatusMessage: 'Invalid SKU: the product was not found.', ingramPartNumber: sku, availability: null, pricing: null };
}

