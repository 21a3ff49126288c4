// Each distributor's simulated catalog seen the same way by the per-distributor Product Sync tests:
// which products are good, which records must be quarantined, what a later day changes for the SKUs
// Autotask holds, and a churn that removes SKUs. The predictions come from the simulators' own
// generators (records as they will be listed), never from the engine's mapping.
import type { Sandbox, SandboxOptions } from '../../src/sim';

export interface CatalogChange {
  /** Listed both days with another offer (what Autotask shows: cost, MSRP, stock, promotion). */
  changed: string[];
  /** No longer listed. */
  gone: string[];
  /** Good SKUs that appeared. */
  added: string[];
}

export interface CatalogDriver {
  kind: string;
  /** A sandbox whose catalog holds every kind of bad record; `integrations` makes this kind the connected one. */
  sandbox: SandboxOptions;
  /** Good, active products (neither bad nor discontinued), with the part number an MSP would have typed. */
  goodProducts(sandbox: Sandbox, count: number): Array<{ sku: string; mpn: string }>;
  /** One key per record the first sync must quarantine: its SKU, or what its unreadable line holds (the MPN). */
  quarantined(sandbox: Sandbox): string[];
  /** How many of them are unreadable (no record to process: quarantined, not counted as processed). */
  unreadable(sandbox: Sandbox): number;
  /** The catalog of `day` is listed from now on. */
  setDay(sandbox: Sandbox, day: number): Promise<void>;
  /** What `day` changes against day 0 for the SKUs Autotask holds (read before `setDay`). */
  diff(sandbox: Sandbox, day: number): CatalogChange;
  /** Some SKUs stop being listed; returns those Autotask holds. */
  churn(sandbox: Sandbox): Promise<string[]>;
}

const others = { pax8: false, cloudblue: false } as const;
const held = (sandbox: Sandbox) => new Set(sandbox.autotask.records('Products').map((p) => p.sku as string));

export const ingramCatalog: CatalogDriver = {
  kind: 'ingram',
  // Seed 2's 250 SKUs hold every kind of bad record, and a week of churn removes some.
  sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 250, seed: 2 }, rateLimit: false }, tdSynnex: false, ...others, integrations: ['ingram'] },
  goodProducts(sandbox, count) {
    const catalog = sandbox.ingram.catalog;
    const out = [];
    for (let i = 0; out.length < count; i++) {
      if (!catalog.badKind(i) && !catalog.isDiscontinued(i) && !catalog.badKind(i + 1)) out.push({ sku: catalog.skuOf(i), mpn: catalog.product(i, 0).mpn! });
    }
    return out;
  },
  quarantined: (sandbox) => sandbox.ingram.catalog.badRecords(0).filter((b) => b.kind !== 'duplicate-sku').map((b) => b.sku),
  unreadable: () => 0, // every listed record has a SKU
  async setDay(sandbox, day) {
    sandbox.ingram.catalog.day = day;
  },
  diff(sandbox, to) {
    const catalog = sandbox.ingram.catalog;
    const holds = held(sandbox);
    const offer = (i: number, day: number) => {
      const p = catalog.product(i, day);
      return JSON.stringify([p.cost, p.msrp, p.promo, p.warehouses]);
    };
    const change: CatalogChange = { changed: [], gone: [], added: [] };
    for (const i of new Set([...catalog.present(0), ...catalog.present(to)])) {
      const before = catalog.isPresent(i, 0);
      const after = catalog.isPresent(i, to);
      const sku = catalog.skuOf(i);
      if (before && holds.has(sku)) {
        if (!after) change.gone.push(sku);
        else if (offer(i, 0) !== offer(i, to)) change.changed.push(sku);
      } else if (!before && after && !catalog.badKind(i) && !catalog.isDiscontinued(i)) change.added.push(sku);
    }
    return sorted(change);
  },
  async churn(sandbox) {
    const { gone } = this.diff(sandbox, 8); // a week of churn
    await this.setDay(sandbox, 8);
    return gone;
  },
};

export const tdSynnexCatalog: CatalogDriver = {
  kind: 'td-synnex',
  // 250 lines with 4% bad records: seed 3 has every kind.
  sandbox: { autotask: { hourlyLimit: 100_000_000 }, tdSynnex: { catalog: { skus: 250, seed: 3, badRecordShare: 0.04 } }, ingram: false, ...others, integrations: ['td-synnex'] },
  goodProducts(sandbox, count) {
    const sim = sandbox.tdSynnex;
    const out = [];
    for (let i = 0; out.length < count; i++) {
      const r = sim.catalog.record(i, 0);
      if (!r.bad && r.status === 'A') out.push({ sku: r.sku, mpn: r.mpn });
    }
    return out;
  },
  quarantined(sandbox) {
    const sim = sandbox.tdSynnex;
    const out = [];
    // A line without a SKU is known by its MPN (the quarantine keeps the line's text).
    for (let i = 0; i < sim.catalog.settings.skus; i++) {
      const r = sim.catalog.record(i, 0);
      if (r.bad) out.push(r.bad === 'no-sku' ? r.mpn : r.sku);
    }
    return out;
  },
  unreadable(sandbox) {
    const sim = sandbox.tdSynnex;
    return Array.from({ length: sim.catalog.settings.skus }, (_, i) => sim.catalog.record(i, 0).bad).filter((b) => b === 'no-sku' || b === 'cut-short').length;
  },
  async setDay(sandbox, day) {
    await sandbox.tdSynnex.writeFile({ day });
  },
  diff(sandbox, to) {
    const sim = sandbox.tdSynnex;
    const holds = held(sandbox);
    // What Autotask shows of a record: cost, MSRP, stock on hand, the promotion's price and end.
    const offer = (i: number, day: number) => {
      const r = sim.catalog.record(i, day);
      return JSON.stringify([r.cost, r.msrp, r.quantity, r.promotion ? [r.contractPrice, r.promoExpiry] : null]);
    };
    const change: CatalogChange = { changed: [], gone: [], added: [] };
    // The simulated file lists the same SKUs every day.
    for (let i = 0; i < sim.catalog.settings.skus; i++) {
      if (holds.has(sim.catalog.skuOf(i)) && offer(i, 0) !== offer(i, to)) change.changed.push(sim.catalog.skuOf(i));
    }
    return sorted(change);
  },
  async churn(sandbox) {
    // A shorter file: the last 20 SKUs are no longer listed.
    const sim = sandbox.tdSynnex;
    const skus = sim.catalog.settings.skus - 20;
    const holds = held(sandbox);
    const gone = Array.from({ length: 20 }, (_, k) => sim.catalog.skuOf(skus + k)).filter((s) => holds.has(s));
    const res = await fetch(`${sim.url}/__admin/catalog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ skus }) });
    if (!res.ok) throw new Error(`TD SYNNEX simulator: POST /__admin/catalog answered ${res.status}`);
    return gone.sort();
  },
};

export const CATALOG_DRIVERS = [ingramCatalog, tdSynnexCatalog];

function sorted(c: CatalogChange): CatalogChange {
  return { changed: c.changed.sort(), gone: c.gone.sort(), added: c.added.sort() };
}
