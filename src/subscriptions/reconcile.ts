// Drift between the marketplace and Autotask's contract services, each with its likely cause (issue 13:
// "manual edit in Autotask, missed task, unmapped product"). Pure: the activity reads both sides.

export interface ReconcileRow {
  subscriptionId: string; customerId: string; productId: string; mapped: boolean;
  marketplace: { quantity: number; price: number | null; cost: number | null } | null;
  /** ContractServiceUnits in the period. `nextUnits` (optional): the units the next period starts with, so a
   *  decrease that the seed's rule applies from the next period is not taken for drift. */
  autotask: { units: number; price: number | null; cost: number | null; nextUnits?: number | null } | null;
  pendingTasks: number;
  /** Optional: what our last synced task wrote; tells a manual edit in Autotask from a missed task. */
  synced?: { quantity: number; price: number | null; cost: number | null } | null;
}
export interface Drift { subscriptionId: string; field: 'quantity' | 'price' | 'cost' | 'mapping'; marketplace: unknown; autotask: unknown; cause: string }

/** Prices are compared to the cent Autotask posts. */
const differs = (a: number | null | undefined, b: number | null | undefined) => a != null && b != null && Math.abs(a - b) >= 0.005;

export function findDrifts(rows: ReconcileRow[], priceSource: 'autotask' | 'marketplace'): Drift[] {
  const drifts: Drift[] = [];
  for (const row of rows) {
    const mp = row.marketplace;
    const at = row.autotask;
    const pending = row.pendingTasks > 0 ? `${row.pendingTasks} sync task${row.pendingTasks === 1 ? '' : 's'} not synced yet` : null;
    if (!row.mapped) {
      drifts.push({
        subscriptionId: row.subscriptionId, field: 'mapping', marketplace: mp?.quantity ?? null, autotask: at?.units ?? null,
        cause: `unmapped customer ${row.customerId} or product ${row.productId}: no task can sync it until it is mapped (\`autotask-bridge mapping …\`)`,
      });
      continue;
    }
    const mpUnits = mp?.quantity ?? 0;
    const atUnits = at?.units ?? 0;
    const scheduled = at?.nextUnits != null && at.nextUnits === mpUnits && mpUnits < atUnits;
    if (mpUnits !== atUnits && !scheduled) {
      drifts.push({ subscriptionId: row.subscriptionId, field: 'quantity', marketplace: mp ? mp.quantity : null, autotask: at ? at.units : null, cause: pending ?? quantityCause(row, mpUnits, atUnits) });
    }
    // Prices only drift where the marketplace owns them; with Autotask as the source they are Autotask's own.
    if (priceSource === 'marketplace' && mp && at) {
      for (const field of ['price', 'cost'] as const) {
        if (!differs(mp[field], at[field])) continue;
        const synced = row.synced?.[field];
        const cause = pending
          ?? (synced != null && differs(synced, at[field]) && !differs(synced, mp[field]) ? `manual edit in Autotask: the ${field} was synced as ${synced}` : null)
          ?? (synced != null && !differs(synced, at[field]) ? `missed task: the marketplace ${field} changed after the last sync` : null)
          ?? `the ${field} was edited in Autotask or a marketplace ${field} change was not synced`;
        drifts.push({ subscriptionId: row.subscriptionId, field, marketplace: mp[field], autotask: at[field], cause });
      }
    }
  }
  return drifts;
}

function quantityCause(row: ReconcileRow, mpUnits: number, atUnits: number): string {
  if (!row.marketplace) return `the subscription is gone from the marketplace but Autotask bills ${atUnits} units: missed cancellation task`;
  if (!row.autotask) return `the subscription is not on its contract in Autotask: missed sales task`;
  const synced = row.synced?.quantity;
  if (synced != null && synced === mpUnits && synced !== atUnits) return `manual edit in Autotask: ${synced} units were synced, Autotask now has ${atUnits}`;
  if (synced != null && synced === atUnits) return `missed task: the marketplace changed to ${mpUnits} after the last sync (${synced})`;
  return atUnits > mpUnits
    ? 'Autotask has more units than the marketplace: a manual edit in Autotask or a missed change/cancellation task'
    : 'Autotask has fewer units than the marketplace: a manual edit in Autotask or a missed sales/change task';
}
