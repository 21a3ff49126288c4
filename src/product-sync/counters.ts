// Run counters and plan samples: pure, so both workflow code and activities can import them.
import type { SyncCounters } from '../../db/schema/catalog';

export const SAMPLE_LIMIT = 10;

export const ZERO_COUNTERS: SyncCounters = { processed: 0, created: 0, updated: 0, unchanged: 0, adopted: 0, deactivated: 0, quarantined: 0, skipped: 0 };

export function addCounters(a: SyncCounters, b: Partial<SyncCounters>): SyncCounters {
  const out = { ...a };
  for (const k of Object.keys(out) as Array<keyof SyncCounters>) out[k] += b[k] ?? 0;
  return out;
}

/** Every counter times `factor` (-1: to subtract with addCounters). */
export function scaleCounters(c: SyncCounters, factor: number): SyncCounters {
  const out = { ...c };
  for (const k of Object.keys(out) as Array<keyof SyncCounters>) out[k] *= factor;
  return out;
}

export interface PlanSamples {
  creates: Array<{ sku: string; name: string; unitCost: number; unitPrice: number }>;
  updates: Array<{ sku: string; productId: number; changes: Record<string, [unknown, unknown]> }>;
  adoptions: Array<{ sku: string; productId: number; matchedBy: string }>;
  quarantined: Array<{ sku: string; reason: string }>;
  deactivations: Array<{ sku: string; productId: number; reason: string }>;
}

export const emptySamples = (): PlanSamples => ({ creates: [], updates: [], adoptions: [], quarantined: [], deactivations: [] });

export function mergeSamples(a: PlanSamples, b: PlanSamples): PlanSamples {
  const out = emptySamples();
  for (const k of Object.keys(out) as Array<keyof PlanSamples>) (out[k] as unknown[]) = [...a[k], ...b[k]].slice(0, SAMPLE_LIMIT);
  return out;
}
