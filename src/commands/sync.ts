// `sync catalog [--dry-run]` with a progress bar and a summary; `sync approve|reject` for the deactivation guard.
import { Command } from 'commander';
import { decideDeactivation, followProductSync, runsAwaitingApproval, startProductSync } from '../client/product-sync';
import type { ProductSyncState } from '../workflows/messages/product-sync';
import { withSession } from './session';

function bar(state: ProductSyncState, width = 30): string {
  const total = Math.max(state.limit, 1);
  const done = Math.min(state.counters.processed, total);
  const filled = Math.round((done / total) * width);
  const c = state.counters;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${state.limit} ${state.status} · ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.quarantined} quarantined`;
}

function printPlan(state: ProductSyncState): void {
  const s = state.samples;
  if (s.creates.length) {
    console.log('Sample creates:');
    for (const c of s.creates) console.log(`  + ${c.sku} "${c.name}" cost ${c.unitCost} price ${c.unitPrice}`);
  }
  if (s.updates.length) {
    console.log('Sample updates:');
    for (const u of s.updates) console.log(`  ~ ${u.sku} (product ${u.productId}): ${Object.entries(u.changes).map(([k, [a, b]]) => `${k} ${JSON.stringify(a)} → ${JSON.stringify(b)}`).join(', ')}`);
  }
  if (s.adoptions.length) {
    console.log('Sample adoptions:');
    for (const a of s.adoptions) console.log(`  = ${a.sku} → existing product ${a.productId} (matched by ${a.matchedBy})`);
  }
  if (s.deactivations.length) {
    console.log('Sample deactivations:');
    for (const d of s.deactivations) console.log(`  - ${d.sku} (product ${d.productId}): ${d.reason}`);
  }
  if (s.quarantined.length) {
    console.log('Sample quarantined records:');
    for (const q of s.quarantined) console.log(`  ! ${q.sku}: ${q.reason}`);
  }
}

export function registerSyncCommands(program: Command): void {
  const sync = program.command('sync').description('run Product Sync now');
  sync
    .command('catalog')
    .description('sync the distributor catalog into Autotask products (with --dry-run: only the plan, nothing written)')
    .option('--id <id>', 'connector id', 'default')
    .option('--dry-run', 'plan only: counts and sample diffs of creates, updates and deactivations')
    .option('--integration <id>', 'the distributor (needed when the connector has several)')
    .action(async (opts) =>
      withSession(async (s) => {
        const handle = await startProductSync(s.client, s.taskQueue, opts.id, { dryRun: !!opts.dryRun, integrationId: opts.integration });
        console.log(`Product Sync ${opts.dryRun ? '(dry run) ' : ''}started: workflow ${handle.workflowId}`);
        const tty = process.stdout.isTTY;
        let lastLine = '';
        const result = await followProductSync(handle, (state) => {
          const line = bar(state);
          if (line === lastLine) return;
          lastLine = line;
          if (tty) process.stdout.write(`\r${line}`);
          else console.log(line);
          if (state.status === 'awaiting_approval' && state.message) console.log(`\n${state.message}`);
        });
        if (tty) process.stdout.write('\n');
        console.log(`${result.status === 'dry_run' ? 'Plan' : 'Summary'}: ${result.message}`);
        if (result.deactivation?.candidates) console.log(`Deactivations: ${result.deactivation.candidates} of ${result.deactivation.active} active products`);
        printPlan(result);
      }),
    );
  for (const [name, approve] of [['approve', true], ['reject', false]] as const) {
    sync
      .command(name)
      .description(`${name} the deactivations a Product Sync run is waiting on`)
      .option('--id <id>', 'connector id', 'default')
      .option('--workflow-id <id>', 'the run (default: the connector\'s waiting run)')
      .action(async (opts) =>
        withSession(async (s) => {
          const ids = opts.workflowId ? [opts.workflowId] : await runsAwaitingApproval(s.client, opts.id);
          if (!ids.length) throw new Error(`No Product Sync run of connector ${opts.id} is waiting for approval`);
          for (const id of ids) {
            const state = await decideDeactivation(s.client, id, approve);
            console.log(`${id}: deactivation ${approve ? 'approved' : 'rejected'} (${state.deactivation?.candidates ?? 0} products)`);
          }
        }),
      );
  }
}
