// `orders submit|status|retry|cancel|from-opportunity`: the order lifecycle from the command line.
import { Command } from 'commander';
import {
  cancelPurchaseOrder, findPurchaseOrderId, orderFromOpportunity, orderStatus, retryPurchaseOrder, submitPurchaseOrder,
} from '../client/orders';
import { withUpdateReason as update } from '../client/update-reason';
import type { OrderView, SubmitOutcome } from '../orders/types';
import type { OperatorSession } from '../client/operator';
import { withSession } from './session';

async function poId(s: OperatorSession, connectorId: string, po: string, opts: { poId?: boolean }): Promise<number> {
  if (opts.poId) {
    const id = Number(po);
    if (!Number.isInteger(id) || id <= 0) throw new Error(`not a PO id: ${po}`);
    return id;
  }
  return findPurchaseOrderId(s.client, s.taskQueue, connectorId, po);
}

function printView(v: OrderView): void {
  console.log(`PO ${v.purchaseOrderNumber ?? v.purchaseOrderId} (${v.clientPoNumber ?? 'not validated'}): ${v.state}${v.distributorOrderIds.length ? ` — distributor order(s) ${v.distributorOrderIds.join(', ')}` : ''}`);
  if (v.lastStatus) console.log(`  distributor status: ${v.lastStatus}`);
  if (v.lastError) console.log(`  error: ${v.lastError}`);
  for (const p of v.problems) console.log(`  ✗ ${p}`);
  for (const l of v.lines) {
    console.log(`  line ${l.lineNumber} ${l.distributorSku}: ${l.status}, shipped ${l.shipped}/${l.ordered}${l.backordered ? `, backordered ${l.backordered}${l.eta ? ` (ETA ${l.eta})` : ''}` : ''}${l.tracking.length ? `; tracking ${l.tracking.join(', ')}` : ''}`);
  }
}

function printOutcome(o: SubmitOutcome): void {
  console.log(o.message);
  for (const p of o.problems) console.log(`  ✗ ${p}`);
  if (!o.accepted) process.exitCode = 1;
}

export function registerOrderCommands(program: Command): void {
  const orders = program.command('orders').description('Submit Order and Get Order Status for Autotask purchase orders');

  orders
    .command('submit <po>')
    .description('validate and submit an Autotask PO to the distributor (exactly once; prints the validation result)')
    .option('--id <id>', 'connector id', 'default')
    .option('--po-id', 'the argument is the Autotask PO id, not its number')
    .action(async (po: string, opts) =>
      withSession(async (s) => printOutcome(await update(async () => submitPurchaseOrder(s.client, s.taskQueue, opts.id, await poId(s, opts.id, po, opts))))),
    );

  orders
    .command('status <po>')
    .description("an order's lifecycle state, distributor order ids, lines and tracking")
    .option('--id <id>', 'connector id', 'default')
    .option('--po-id', 'the argument is the Autotask PO id, not its number')
    .action(async (po: string, opts) =>
      withSession(async (s) => {
        const view = await orderStatus(s.client, opts.id, await poId(s, opts.id, po, opts));
        if (!view) console.log(`PO ${po} has no order workflow yet (submit it with \`autotask-bridge orders submit ${po}\`)`);
        else printView(view);
      }),
    );

  orders
    .command('retry <po>')
    .description('retry an order in error (or rejected) after fixing the data')
    .option('--id <id>', 'connector id', 'default')
    .option('--po-id', 'the argument is the Autotask PO id, not its number')
    .action(async (po: string, opts) =>
      withSession(async (s) => printView(await update(async () => retryPurchaseOrder(s.client, s.taskQueue, opts.id, await poId(s, opts.id, po, opts))))),
    );

  orders
    .command('cancel <po>')
    .description('cancel an order (before submission, or at the distributor while it still allows it)')
    .option('--id <id>', 'connector id', 'default')
    .option('--po-id', 'the argument is the Autotask PO id, not its number')
    .option('--reason <text>', 'why')
    .action(async (po: string, opts) =>
      withSession(async (s) => printView(await update(async () => cancelPurchaseOrder(s.client, opts.id, await poId(s, opts.id, po, opts), opts.reason)))),
    );

  orders
    .command('from-opportunity <opportunityId>')
    .description("create an Autotask PO from a won opportunity's quote products and submit it (once per opportunity)")
    .option('--id <id>', 'connector id', 'default')
    .action(async (opportunityId: string, opts) =>
      withSession(async (s) => {
        const r = await orderFromOpportunity(s.client, s.taskQueue, opts.id, Number(opportunityId));
        console.log(`Opportunity ${opportunityId}: PO ${r.purchaseOrderNumber} (id ${r.purchaseOrderId}, ${r.items} item(s)) ${r.created ? 'created' : 'already existed'}; submitting in workflow ${r.orderWorkflowId}`);
      }),
    );
}
