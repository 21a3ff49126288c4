// The reads a page plan needs: the page's links, price and availability of the records still to do,
// and the Autotask products unlinked SKUs may already have. Reads only; plan.ts decides.
import type { AutotaskClient } from '../autotask/client';
import { f } from '../autotask/query';
import { chunks } from '../concurrency';
import type { ProductSyncSettings } from '../connector/settings';
import type { DistributorAdapter, PriceAvailability, ProductPage } from '../distributors/adapter';
import { choosePage, finishedHere, processedMarker, type AutotaskRecord, type ExistingProducts, type PageFacts } from './plan';
import type { LinkScope, ProductSyncStore } from './store';

export interface LookupContext {
  scope: LinkScope;
  runId: string;
  settings: ProductSyncSettings;
  vendorCompanyId: number;
  billingCodeId: number;
  autotask: AutotaskClient;
  distributor: DistributorAdapter;
  store: ProductSyncStore;
}

/** Links, prices and MPN owners for the page; records an earlier attempt finished need no price call (unless read ahead). */
export async function readFacts(ctx: LookupContext, page: ProductPage, remaining: number, rejected?: Record<string, string>, prices?: Promise<PriceAvailability[]>): Promise<PageFacts> {
  const { chosen } = choosePage(page, ctx.settings, remaining);
  // The MPNs of records finished earlier are asked too (one query); the plan only checks open ones.
  const mpns = [...new Set(chosen.map((p) => p.mpn).filter((m): m is string => !!m))];
  const { links, skusByMpn: linkedMpns } = await ctx.store.pageLinks(ctx.scope, chosen.map((p) => p.distributorSku), mpns);
  const marker = processedMarker(ctx.runId, page);
  const open = chosen.filter((p) => !finishedHere(links.get(p.distributorSku), marker));
  const pna = !open.length ? [] : prices ? await prices : await ctx.distributor.priceAndAvailability(open.map((p) => p.distributorSku));
  return {
    runId: ctx.runId,
    settings: ctx.settings,
    vendorCompanyId: ctx.vendorCompanyId,
    billingCodeId: ctx.billingCodeId,
    remaining,
    links,
    pna: new Map(pna.map((x) => [x.distributorSku, x])),
    linkedMpns,
    rejected,
  };
}

/** Autotask products with these SKUs or adoption-key values, and which of them are linked already. */
export async function findExisting(ctx: LookupContext, needs: { skus: string[]; keyValues: string[] }): Promise<ExistingProducts> {
  const bySku = new Map<string, AutotaskRecord>();
  const byKey = new Map<string, AutotaskRecord>();
  if (!needs.skus.length) return { bySku, byKey, linkedTo: new Map() };
  for (const part of chunks(needs.skus, 500)) {
    const page = await ctx.autotask.products.query(f.in('sku', part), { maxRecords: 500 });
    for (const p of page.items as AutotaskRecord[]) if (p.sku && !bySku.has(p.sku)) bySku.set(p.sku, p);
  }
  const key = ctx.settings.matchKey;
  for (const part of chunks(needs.keyValues, 500)) {
    const page = await ctx.autotask.products.query(f.in(key, part), { maxRecords: 500 });
    for (const p of page.items as AutotaskRecord[]) if (p[key] && !byKey.has(p[key])) byKey.set(p[key], p);
  }
  const candidates = [...bySku.values(), ...byKey.values()].map((p) => p.id as number);
  return { bySku, byKey, linkedTo: await ctx.store.linksForProducts(ctx.scope, candidates) };
}
