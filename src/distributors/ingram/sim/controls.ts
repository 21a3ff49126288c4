// The Ingram simulator behind the controls every distributor simulator offers (benchmarks and the
// per-distributor tests drive TD SYNNEX's and this one alike).
import type { DistributorSimControls } from '../../../integrations/definition';
import type { AdvanceAction, IngramSim } from './index';

export function ingramControls(sim: IngramSim): DistributorSimControls {
  const submitRoute = 'POST /resellers/v6/orders';
  return {
    submitRoute,
    submits: () => sim.server.counts.get(submitRoute) ?? 0,
    requests: () => sim.server.countsObject(),
    resetRequests: () => sim.server.counts.clear(),
    orderableSkus: (n) => {
      const out = [];
      const catalog = sim.catalog;
      for (let i = 0; out.length < n && i < catalog.settings.skus; i++) {
        const p = catalog.product(i);
        if (!catalog.isPresent(i) || p.bad || p.discontinued || p.digital || !(p.cost > 0 && p.cost < 1_000_000)) continue;
        const best = [...p.warehouses].sort((a, b) => b.quantity - a.quantity)[0];
        if (!best || best.quantity <= 0) continue;
        out.push({ sku: p.sku, mpn: p.mpn ?? null, warehouse: best.id, stock: best.quantity });
      }
      return out;
    },
    ordersFor: (po) => sim.state.orders.byCustomerOrderNumber(po).map((o) => o.ingramOrderNumber),
    confirm: () => undefined, // Ingram orders are Processing once created
    ship: (id) => advance(sim, id, 'ship'),
    close: (id) => {
      advance(sim, id, 'deliver');
      advance(sim, id, 'invoice');
    },
    loseNextSubmitAnswer: () => {
      sim.server.faults.script.push({ match: submitRoute, action: 'timeout', when: 'after' });
    },
    nextDay: async () => {
      sim.catalog.day += 1;
    },
  };
}

function advance(sim: IngramSim, id: string, action: AdvanceAction): void {
  const r = sim.state.orders.advance(id, action);
  if (typeof r === 'string') throw new Error(`Ingram simulator: cannot ${action} ${id}: ${r}`);
}
