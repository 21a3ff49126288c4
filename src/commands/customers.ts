// `customers import <company id> | --all`, `customers candidates`: the seed's customer import wizard
// (004 "Importing Customers") from the command line. The admin password (CloudBlue access details)
// never comes from argv: stdin JSON, the environment or a hidden prompt, as `connect` reads secrets.
import { Command } from 'commander';
import { importAllCustomers, importCandidates, importCustomer } from '../client/customer-import';
import { collectSecrets, hiddenPrompt, readStdin, type SecretSpec } from '../client/secret-input';
import { marketplaceIntegration } from '../client/subscriptions';
import type { BulkImportResult, ImportOutcome } from '../activities/subscriptions/import';
import { PROFILE_OPTIONS, type ImportProfile } from '../subscriptions/import';
import { withSession } from './session';

const PASSWORD: SecretSpec = { key: 'password', env: 'CUSTOMER_ADMIN_PASSWORD', label: 'Customer admin password' };

/** "administrative contact e-mail (x is not …)" → "… (--admin-email)": where the operator gives it. */
export function withHint(problem: string): string {
  const field = Object.keys(PROFILE_OPTIONS).find((k) => problem === k || problem.startsWith(`${k} `));
  return field ? `${problem} (${PROFILE_OPTIONS[field]})` : problem;
}

export function printOutcome(o: ImportOutcome, log: (line: string) => void = console.log): boolean {
  const who = `${o.name} (${o.companyId})`;
  switch (o.status) {
    case 'created':
      log(`${who}: imported into ${o.integrationId} as customer ${o.marketplaceCustomerId}, mapped`);
      break;
    case 'existing':
      log(`${who}: already in ${o.integrationId} as customer ${o.marketplaceCustomerId} (nothing created), mapped`);
      break;
    case 'mapped_elsewhere':
      log(`${who}: not imported — ${o.note}`);
      return false;
    case 'incomplete':
      log(`${who}: not imported, the profile is incomplete:`);
      for (const m of o.missing) log(`  ✗ ${withHint(m)}`);
      return false;
  }
  if (o.note) log(`  note: ${o.note}`);
  return true;
}

export function printBulk(r: BulkImportResult, log: (line: string) => void = console.log): void {
  const created = r.imported.filter((x) => x.status === 'created');
  log(`Import All into ${r.integrationId}: ${created.length} imported, ${r.imported.length - created.length} already there, ${r.skipped.length} skipped`);
  for (const o of created) log(`  + ${o.name} (${o.companyId}) → customer ${o.marketplaceCustomerId}`);
  if (r.skipped.length) log('Skipped (import these one at a time with `customers import <company id>` and the missing details):');
  for (const s of r.skipped) log(`  ✗ ${s.name} (${s.companyId}): ${s.reason ?? `missing ${s.missing.map(withHint).join(', ')}`}`);
}

/** The operator's answers from the flags; the password only from stdin JSON, the environment or a prompt. */
async function profileFrom(opts: Record<string, string | boolean | undefined>): Promise<ImportProfile> {
  const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
  const profile: ImportProfile = {
    adminFirstName: str('adminFirst'), adminLastName: str('adminLast'), adminEmail: str('adminEmail'), adminPhone: str('adminPhone'),
    notificationEmail: str('notificationEmail'), countryCode: str('country'), login: str('login'),
  };
  if (profile.login || opts.passwordStdin) {
    const { values, warnings } = await collectSecrets([PASSWORD], {
      stdinJson: opts.passwordStdin ? await readStdin() : undefined,
      env: process.env,
      prompt: process.stdin.isTTY ? hiddenPrompt : undefined,
    });
    for (const w of warnings) console.warn(`warning: ${w}`);
    profile.password = values.password;
  }
  return Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)) as ImportProfile;
}

export function registerCustomerCommands(program: Command): void {
  const customers = program.command('customers').description('import Autotask customers into a marketplace (CloudBlue, Pax8), mapped as they go');

  customers
    .command('import [companyId]')
    .description('import one Autotask company (with the profile details the marketplace needs) or, with --all, every complete one')
    .option('--id <id>', 'connector id', 'default')
    .option('--integration <id>', 'marketplace integration id (default: the only marketplace)')
    .option('--all', 'import every active customer whose profile is complete; list the others with what is missing')
    .option('--admin-first <name>', 'administrative contact first name')
    .option('--admin-last <name>', 'administrative contact last name')
    .option('--admin-email <email>', 'administrative contact e-mail')
    .option('--admin-phone <phone>', 'administrative contact phone')
    .option('--notification-email <email>', 'where the marketplace sends notifications (default: the admin e-mail)')
    .option('--country <code>', 'ISO country code, when the Autotask company has none')
    .option('--login <login>', 'CloudBlue customer access login (the password is asked for, or read from CUSTOMER_ADMIN_PASSWORD / --password-stdin)')
    .option('--password-stdin', 'read {"password":"…"} as JSON from stdin')
    .action(async (companyId: string | undefined, opts) => {
      if (opts.all && companyId !== undefined) throw new Error('give a company id or --all, not both');
      if (!opts.all && companyId === undefined) throw new Error('give the Autotask company id to import, or --all');
      const id = Number(companyId);
      if (!opts.all && (!Number.isInteger(id) || id < 0)) throw new Error(`not an Autotask company id: ${companyId}`);
      const profile = opts.all ? {} : await profileFrom(opts);
      await withSession(async (s) => {
        const scope = { connectorId: opts.id as string, integrationId: await marketplaceIntegration(s.client, opts.id, opts.integration) };
        if (opts.all) printBulk(await importAllCustomers(s.client, s.taskQueue, scope));
        else if (!printOutcome(await importCustomer(s.client, s.taskQueue, scope, id, profile))) process.exitCode = 1;
      });
    });

  customers
    .command('candidates')
    .description('the Autotask customers the import wizard offers: the first 10, or those matching --search')
    .option('--id <id>', 'connector id', 'default')
    .option('--integration <id>', 'marketplace integration id (default: the only marketplace)')
    .option('--search <text>', 'part of the company name')
    .option('--limit <n>', 'how many (default 10)', (v) => Number(v))
    .action(async (opts) =>
      withSession(async (s) => {
        const scope = { connectorId: opts.id as string, integrationId: await marketplaceIntegration(s.client, opts.id, opts.integration) };
        const list = await importCandidates(s.client, s.taskQueue, scope, { search: opts.search, limit: opts.limit });
        if (!list.length) console.log(opts.search ? `No active Autotask customer matches "${opts.search}"` : 'No active Autotask customers');
        for (const c of list) {
          const state = c.marketplaceCustomerId ? `mapped to ${c.marketplaceCustomerId}` : c.missing.length ? `needs ${c.missing.map(withHint).join(', ')}` : 'ready (Import All takes it)';
          console.log(`${String(c.companyId).padStart(10)}  ${c.name} — ${state}`);
        }
      }),
    );
}
