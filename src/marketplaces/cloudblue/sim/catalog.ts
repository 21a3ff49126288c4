// The simulated marketplace catalog: a handful of real-world-like offers, each sold as a monthly plan and as annual
// plans (billed monthly or yearly), priced in EUR and GBP. Prices are list prices of the kind Infinigate Cloud shows
// (not quotes); costs are 85% of price. Usage-billed offers carry an `overuse` price per unit and are rated after the
// period (billingModel `chargeAfterBillingPeriod`).

export interface SimOffer {
  key: string;
  vendor: string;
  serviceName: string;
  name: string;
  /** Monthly price per unit in EUR and GBP (for usage offers: per unit of usage). */
  eur: number;
  gbp: number;
  usage?: { unit: string };
  maxQuantity?: number;
}

export const OFFERS: SimOffer[] = [
  { key: 'CFQ7TTC0LH18', vendor: 'Microsoft', serviceName: 'MS_NCE', name: 'Microsoft 365 Business Basic', eur: 5.6, gbp: 4.9, maxQuantity: 300 },
  { key: 'CFQ7TTC0LDPB', vendor: 'Microsoft', serviceName: 'MS_NCE', name: 'Microsoft 365 Business Standard', eur: 11.7, gbp: 10.3, maxQuantity: 300 },
  { key: 'CFQ7TTC0LCHC', vendor: 'Microsoft', serviceName: 'MS_NCE', name: 'Microsoft 365 Business Premium', eur: 20.6, gbp: 18.1, maxQuantity: 300 },
  { key: 'CFQ7TTC0LH16', vendor: 'Microsoft', serviceName: 'MS_NCE', name: 'Exchange Online (Plan 1)', eur: 3.7, gbp: 3.3 },
  { key: 'BDGZ-BUS-SEC', vendor: 'Bitdefender', serviceName: 'BITDEFENDER', name: 'Bitdefender GravityZone Business Security', eur: 2.5, gbp: 2.2 },
  { key: 'KPR-BUS', vendor: 'Keeper Security', serviceName: 'KEEPER', name: 'Keeper Business', eur: 3.5, gbp: 3.1 },
  { key: 'DBX-BUS-STD', vendor: 'Dropbox', serviceName: 'DROPBOX', name: 'Dropbox Business Standard', eur: 13, gbp: 11.5 },
  { key: 'ACR-CPC-GB', vendor: 'Acronis', serviceName: 'ACRONIS', name: 'Acronis Cyber Protect Cloud storage (per GB)', eur: 0.05, gbp: 0.044, usage: { unit: 'GB' } },
  { key: 'DZH318Z0BPS6', vendor: 'Microsoft', serviceName: 'MS_AZURE', name: 'Microsoft Azure plan', eur: 1, gbp: 0.86, usage: { unit: 'EUR consumed' } },
];

export type PeriodType = 'month' | 'year';

export interface SimProductDef {
  id: string;
  planId: number;
  offer: SimOffer;
  mpn: string;
  name: string;
  billingPeriod: { type: PeriodType; duration: number };
  subscriptionPeriod: { type: PeriodType; duration: number };
  billingModel: 'chargeBeforeBillingPeriod' | 'chargeAfterBillingPeriod';
  /** Price per billing period per unit, by currency. */
  price: Record<'EUR' | 'GBP', number>;
  cost: Record<'EUR' | 'GBP', number>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Products: per offer P1M billed monthly, P1Y billed monthly and P1Y billed yearly (usage offers: monthly only). */
export function buildCatalog(): SimProductDef[] {
  const out: SimProductDef[] = [];
  let n = 0;
  OFFERS.forEach((offer, i) => {
    const planId = 10_001 + i;
    const variants: Array<[string, SimProductDef['subscriptionPeriod'], SimProductDef['billingPeriod'], number]> = offer.usage
      ? [['P1M', { type: 'month', duration: 1 }, { type: 'month', duration: 1 }, 1]]
      : [
          ['P1M', { type: 'month', duration: 1 }, { type: 'month', duration: 1 }, 1.2], // monthly term costs 20% more (NCE)
          ['P1Y_MONTHLY', { type: 'year', duration: 1 }, { type: 'month', duration: 1 }, 1],
          ['P1Y_ANNUAL', { type: 'year', duration: 1 }, { type: 'year', duration: 1 }, 12],
        ];
    for (const [suffix, subscriptionPeriod, billingPeriod, factor] of variants) {
      const round = offer.usage ? round4 : round2;
      const price = { EUR: round(offer.eur * factor), GBP: round(offer.gbp * factor) };
      out.push({
        id: `PRD${String(326_000 + ++n)}`,
        planId,
        offer,
        mpn: `${offer.key}_${suffix}`,
        name: `${offer.name}${offer.usage ? '' : suffix === 'P1M' ? ' (monthly)' : suffix === 'P1Y_MONTHLY' ? ' (annual, billed monthly)' : ' (annual, billed yearly)'}`,
        billingPeriod,
        subscriptionPeriod,
        billingModel: offer.usage ? 'chargeAfterBillingPeriod' : 'chargeBeforeBillingPeriod',
        price,
        cost: { EUR: round(price.EUR * 0.85), GBP: round(price.GBP * 0.85) },
      });
    }
  });
  return out;
}
