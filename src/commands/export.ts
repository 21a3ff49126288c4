// `export status | retry [<record>…] [--all] | run [--full]`: the customer export (seed 003).
import { Command } from 'commander';
import { exportStatus, retryExport, runExportNow } from '../client/export';
import { pollingText } from '../exports/settings';
import { withSession } from './session';

export function registerExportCommands(program: Command): void {
  const exp = program.command('export').description('the one-way export of active customers and contracts to an export target');
  exp
    .command('status')
    .description("the target's sync types, record counts, cursors, Autotask webhook and dead-letter list")
    .option('--id <id>', 'connector id', 'default')
    .option('--integration <id>', 'the export target (needed when the connector has several)')
    .action(async (opts) =>
      withSession(async (s) => {
        const st = await exportStatus(s.client, s.taskQueue, { connectorId: opts.id, integrationId: opts.integration });
        console.log(`Export target ${st.integrationId}: Active Customers ${st.syncCustomers ? 'on' : 'off'}, Active Customer Contracts ${st.syncContracts ? 'on' : 'off'}, ${pollingText(st)}`);
        if (st.warning) console.log(`Warning: ${st.warning}`);
        for (const c of st.counts) console.log(`  ${c.kind} ${c.state}: ${c.n}`);
        console.log(`Last run: ${st.lastRunAt ?? 'never'}${st.lastRunSummary ? ` — ${st.lastRunSummary}` : ''}`);
        console.log(`Cursors: companies ${st.companiesSince ?? '-'}, contracts ${st.contractsSince ?? '-'}; first full pass ${st.fullPassAt ?? 'not yet'}`);
        const w = st.webhook;
        console.log(w.id ? `Autotask webhook ${w.id}: ${w.status}${w.deactivatedAt ? ` (deactivated by Autotask at ${w.deactivatedAt})` : ''}, checked ${w.checkedAt}` : `Autotask webhook: ${w.status ?? 'none (polling only)'}`);
        if (st.deadLetters.length) {
          console.log(`Dead letters (${st.deadLetters.length}${st.deadLetters.length >= 50 ? '+' : ''}), send again with \`export retry --all\`:`);
          for (const d of st.deadLetters) console.log(`  ${d.kind}:${d.recordId} v${d.version} at ${d.at}: ${d.error}`);
        } else console.log('No dead letters');
      }),
    );
  exp
    .command('retry [records...]')
    .description('send dead letters again (customer:<id>, contract:<id>, or --all)')
    .option('--id <id>', 'connector id', 'default')
    .option('--integration <id>', 'the export target')
    .option('--all', 'every dead letter')
    .action(async (records: string[], opts) =>
      withSession(async (s) => {
        if (!opts.all && !records.length) throw new Error('Name the records (customer:<id>, contract:<id>) or use --all');
        const r = await retryExport(s.client, s.taskQueue, { connectorId: opts.id, integrationId: opts.integration, all: !!opts.all, records });
        console.log(`${r.tried} dead letter(s) sent again: ${r.delivered} delivered, ${r.dead} still failing${r.errors.length ? ` (${r.errors.join('; ')})` : ''}`);
        if (r.dead) process.exitCode = 1;
      }),
    );
  exp
    .command('run')
    .description('run an export pass now (what changed since the last one; --full: everything, unchanged records still not re-sent)')
    .option('--id <id>', 'connector id', 'default')
    .option('--integration <id>', 'the export target')
    .option('--full', 'read every company and contract')
    .action(async (opts) =>
      withSession(async (s) => {
        const r = await runExportNow(s.client, s.taskQueue, { connectorId: opts.id, integrationId: opts.integration, full: !!opts.full });
        console.log(r.summary);
        if (r.customers.dead + r.contracts.dead) process.exitCode = 1;
      }),
    );
}
