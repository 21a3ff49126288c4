// The TD SYNNEX simulator behind the controls every distributor simulator offers (benchmarks and the
// per-distributor tests drive Ingram's and this one alike).
import type { DistributorSimControls } from '../../../integrations/definition';
import { orderId, parseOrderId } from '../mapping';
import type { TdSynnexSim } from './index';
import type { SimLine } from './orders';

export function tdSynnexControls(sim: TdSynnexSim): DistributorSimControls {
  return {
    submitRoute: 'POST /SynnexXML/PO',
    submits: () => sim.orders.submits,
    requests: () => sim.server.countsObject(),
    resetRequests: () => sim.server.counts.clear(),
    orderableSkus: (n) => {
      const out = [];
      for (let i = 0; out.length < n && i < sim.catalog.settings.skus; i++) {
        const r = sim.catalog.record(i, sim.state.day);
        if (r.bad || r.status !== 'A' || r.cost <= 0 || !r.warehouses.length) continue;
        const best = [...r.warehouses].sort((a, b) => b.quantity - a.quantity)[0];
        out.push({ sku: r.sku, mpn: r.mpn, warehouse: String(best.col), stock: best.quantity });
      }
      return out;
    },
    ordersFor: (po) => {
      const order = sim.orders.get(po);
      const numbers = new Set((order?.lines ?? []).filter((l) => l.code !== 'rejected').map((l) => l.orderNumber));
      return [...numbers].map((n) => orderId(po, n));
    },
    // Steps move a whole PO (all its sales orders) along: as many as this one needs.
    confirm: (id) => stepUntil(sim, id, (l) => l.code !== 'accepted'),
    ship: (id) => stepUntil(sim, id, (l) => l.shipped >= l.quantity),
    close: (id) => stepUntil(sim, id, (l) => l.code === 'invoiced'),
    loseNextSubmitAnswer: () => {
      sim.state.loseNextOrderAnswer = true;
    },
    nextDay: async () => {
      await sim.writeFile({ day: sim.state.day + 1 });
    },
  };
}

function stepUntil(sim: TdSynnexSim, id: string, done: (line: SimLine) => boolean): void {
  const { po, orderNumber } = parseOrderId(id);
  const lines = () => (sim.orders.get(po)?.lines ?? []).filter((l) => l.code !== 'rejected' && (!orderNumber || l.orderNumber === orderNumber));
  for (let i = 0; i < 6 && !lines().every(done); i++) {
    if (!sim.orders.advance(po)) throw new Error(`TD SYNNEX simulator: no order for PO ${po}`);
  }
}
