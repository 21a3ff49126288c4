// One distributor catalog page: read what the plan needs (lookup.ts), plan it (plan.ts, pure), and,
// unless this is a dry run, apply the plan (apply.ts). A dry run's outcome is the plan itself.
import { applyPlan, type ApplyContext, type ApplyOptions, type PageOutcome } from './apply';
import { findExisting, readFacts, type LookupContext } from './lookup';
import { choosePage, lookupNeeds, planPage, plannedCounters, preparePage, type PagePlan } from './plan';
import { ahead } from '../concurrency';
import type { PriceAvailability, ProductPage } from '../distributors/adapter';

export type PageContext = LookupContext & ApplyContext & { dryRun: boolean };

export interface PageResume {
  /** Writes an earlier attempt of this page saw rejected (its heartbeat), so they are not sent again. */
  rejected?: Record<string, string>;
  /** Prices read ahead with the page (`readAhead`), of its selected records or more. */
  prices?: Promise<PriceAvailability[]>;
}

/** A catalog page, and the prices of its records when they were asked for with it. */
export interface PageRead {
  page: ProductPage;
  prices?: Promise<PriceAvailability[]>;
}

/** Reads a page and asks for the prices of the records it may take (at most `remaining`), without waiting for them. */
export async function readAhead(ctx: LookupContext, cursor: string, remaining: number): Promise<PageRead> {
  const page = await ctx.distributor.fetchProductPage(cursor);
  const skus = choosePage(page, ctx.settings, remaining).chosen.map((p) => p.distributorSku);
  return { page, ...(skus.length ? { prices: ahead(ctx.distributor.priceAndAvailability(skus)) } : {}) };
}

export async function planCatalogPage(ctx: LookupContext, page: ProductPage, remaining: number, resume: PageResume = {}): Promise<PagePlan> {
  const facts = await readFacts(ctx, page, remaining, resume.rejected, resume.prices);
  const prepared = preparePage(page, facts);
  return planPage(prepared, facts, await findExisting(ctx, lookupNeeds(prepared, facts)));
}

export async function processPage(ctx: PageContext, page: ProductPage, remaining: number, resume: PageResume = {}, options: ApplyOptions = {}): Promise<PageOutcome> {
  const plan = await planCatalogPage(ctx, page, remaining, resume);
  if (ctx.dryRun) return { counters: plannedCounters(plan), samples: plan.samples, taken: plan.taken, quarantined: [] };
  return applyPlan(ctx, plan, options);
}
