// `mapping …`, `subscriptions check|reconcile`, `tasks …`: Subscription Sync from the command line
// (seed 004's Mapping, Check Changes and Sync Tasks screens). Thin: every command is an update or a
// query of a workflow (src/client/subscriptions.ts); refusals come back with the workflow's reason.
import { Command, Option } from 'commander';
import {
  checkSubscriptions, chooseTaskContract, subscriptionStatus, ignoreTask, listCustomerMappings, listFeeMappings, listProductMappings, listTasks, mapCustomer, mapFee,
  mapProduct, mapTaskCustomer, mapTaskProduct, marketplaceIntegration, reconcile, retryTask, syncPlannedTasks, syncTask, taskView, unignoreTask,
  unmapCustomer, unmapFee, unmapProduct, type MarketplaceScope,
} from '../client/subscriptions';
import type { OperatorSession } from '../client/operator';
import type { SecretSpec } from '../client/secret-input';
import type { TaskPlan, TaskState, TaskView } from '../subscriptions/types';
import type { SubscriptionStatusView } from '../subscriptions/views';
import { nextStep, TASK_STATES, type SubscriptionCheckResult } from '../workflows/messages/subscriptions';
import { withSession } from './session';

interface ScopeOptions {
  id: string;
  integration?: string;
}

/** Runs with a session and the marketplace integration the options name (default: the only one). */
function scoped(opts: ScopeOptions, fn: (s: OperatorSession, scope: MarketplaceScope) => Promise<void>): Promise<void> {
  return withSession(async (s) => fn(s, { connectorId: opts.id, integrationId: await marketplaceIntegration(s.client, opts.id, opts.integration) }));
}

/** `mapping customers map …`: --id and --integration belong to `mapping customers` (commander hands them to it wherever they stand). */
const parentOpts = (cmd: Command) => cmd.parent!.opts<ScopeOptions>();

const withScope = (c: Command) => c.option('--id <id>', 'connector id', 'default').option('--integration <id>', 'the marketplace integration (default: the only one)');

function positive(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive whole number (got "${value}")`);
  return n;
}

const money = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(2));

export function printPlan(plan: TaskPlan, log: (line: string) => void = console.log): void {
  log(`Plan for task ${plan.taskId} (${plan.type}) on contract ${plan.contractId}${plan.serviceId ? `, service ${plan.serviceId}` : ''}: quantity ${plan.currentQuantity} → ${plan.newQuantity}; prices from ${plan.priceSource}, proration by ${plan.proration}`);
  if (!plan.writes.length) log('  nothing to write');
  for (const w of plan.writes) {
    if (w.kind === 'adjustment') {
      log(`  adjustment ${w.effectiveDate}: units ${w.unitsBefore} ${w.unitChange >= 0 ? '+' : ''}${w.unitChange} → ${w.unitsBefore + w.unitChange}, price ${money(w.unitPrice)}, cost ${money(w.unitCost)} — ${w.rule}`);
    } else {
      log(`  charge ${w.effectiveDate}: "${w.name}" ${w.quantity} × ${money(w.unitPrice)} (cost ${money(w.unitCost)})${w.period ? ` for ${w.period}` : ''} — ${w.rule}`);
    }
  }
  for (const b of plan.billed) log(`  billed for ${b.period}: ${money(b.amount)}${b.costAmount !== null ? ` (cost ${money(b.costAmount)})` : ''}`);
  for (const line of plan.summary) log(`  · ${line}`);
}

function taskLine(t: TaskView): string {
  const what = t.state === 'action_required' && t.waitingFor ? `action_required (${t.waitingFor})` : t.state;
  return `${t.taskId}  ${t.type.padEnd(12)} ${what.padEnd(28)} ${t.effectiveDate}  customer ${t.customerId}${t.subscriptionId ? `  subscription ${t.subscriptionId}` : ''}`;
}

export function printTask(t: TaskView, log: (line: string) => void = console.log): void {
  log(`Task ${t.taskId} (${t.type}, ${t.effectiveDate}): ${t.state}${t.waitingFor && t.state === 'action_required' ? `, waiting for a ${t.waitingFor} decision` : ''}`);
  log(`  customer ${t.customerId}${t.subscriptionId ? `, subscription ${t.subscriptionId}` : ''}${t.productId ? `, product ${t.productId}` : ''}${t.contractId ? `, contract ${t.contractId}` : ''}`);
  if (t.reason) log(`  ${t.state === 'error' ? 'error' : 'reason'}: ${t.reason}`);
  for (const s of t.suggestions ?? []) log(`  suggestion: ${s.name} (${s.id})${s.score !== undefined ? ` score ${s.score.toFixed(2)}` : ''}${s.why ? ` — ${s.why}` : ''}`);
  const next = nextStep(t);
  if (next) log(`  next: ${next}`);
  log(`  workflow: ${t.workflowId}`);
}

function states(value: string | undefined): TaskState[] | undefined {
  if (!value) return undefined;
  const list = value.split(',').map((s) => s.trim()) as TaskState[];
  const unknown = list.filter((s) => !TASK_STATES.includes(s));
  if (unknown.length) throw new Error(`Unknown task state(s) ${unknown.join(', ')} (one of ${TASK_STATES.join(', ')})`);
  return list;
}

const mark = (view: SubscriptionStatusView, name: keyof SubscriptionStatusView['settings']) => (view.overrides.includes(name) ? '*' : '');

/**
 * The settings one integration runs with (`*`: its own value, the rest the connector's), credentials already
 * redacted by the engine, and its tasks by state: `subscriptions status` and `status`.
 */
export function subscriptionStatusLines(view: SubscriptionStatusView): string[] {
  const st = view.settings;
  const m = (name: keyof SubscriptionStatusView['settings']) => mark(view, name);
  const automatic = st.automatic === 'off' ? 'off (run `subscriptions check`)' : st.automatic === 'daily' ? 'once a day' : 'every 5 minutes';
  const channels = [
    'action log',
    ...(st.email ? [`e-mail${m('email')} to ${st.email.to.join(', ')} via ${st.email.smtpUrl}`] : view.overrides.includes('email') ? ['no e-mail*'] : []),
    ...(st.webhookUrl ? [`webhook${m('webhookUrl')} ${st.webhookUrl}`] : view.overrides.includes('webhookUrl') ? ['no webhook*'] : []),
  ];
  const counts = Object.entries(view.tasks).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `prices from: ${st.priceSource}${m('priceSource')}; proration: ${st.proration}${m('proration')}; automatic: ${automatic}${m('automatic')}`,
    `notify: ${st.notify === 'all' ? 'all tasks' : 'errors and actions required'}${m('notify')} → ${channels.join(', ')}`,
    `first check: orders of the last ${st.firstCheckDays} days${m('firstCheckDays')}; usage as units: ${st.usageAsUnits.join(', ') || 'none'}${m('usageAsUnits')}; ` +
      `a second subscription of a service on one contract: ${st.allowRepeatService ? 'its own contract service' : 'refused'}${m('allowRepeatService')}`,
    ...(view.overrides.length ? ['(* set for this integration; the rest are the connector\'s)'] : []),
    `tasks: ${counts || 'none yet'}; last check: ${view.lastCheckAt ?? 'never'}`,
  ];
}

// ---- `settings --subscriptions-…` (registered by the `settings` command) ---------------------------

const SUBSCRIPTION_SECRETS = { smtpUrl: { key: 'smtpUrl', env: 'BRIDGE_SMTP_URL', label: 'SMTP URL for notification e-mail (smtp://user:password@host:port)' }, webhookUrl: { key: 'webhookUrl', env: 'BRIDGE_WEBHOOK_URL', label: 'Notification webhook URL' } };
const SETTING_NAMES = ['priceSource', 'proration', 'automatic', 'notify', 'email', 'webhookUrl', 'usageAsUnits', 'firstCheckDays', 'allowRepeatService'] as const;

/** The `--subscriptions-…` options of `settings`. */
export function subscriptionSettingOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--subscriptions-price-source <source>', 'Subscription Sync: prices and costs from Autotask\'s services or the marketplace').choices(['autotask', 'marketplace']))
    .addOption(new Option('--subscriptions-proration <by>', 'Subscription Sync: whose proration applies to a mid-period increase').choices(['autotask', 'marketplace']))
    .addOption(new Option('--subscriptions-automatic <when>', 'Subscription Sync: check changes and process tasks without an operator').choices(['off', 'daily', 'every5min']))
    .addOption(new Option('--subscriptions-notify <level>', 'Subscription Sync: what e-mail and webhook get (errors and actions required, or all)').choices(['errors', 'all']))
    .option('--subscriptions-usage-as-units <ids>', 'Subscription Sync: marketplace product ids billed as units of usage (comma-separated; "" for none)')
    .option('--subscriptions-first-check-days <days>', 'Subscription Sync: how far back the first check reads orders')
    .addOption(new Option('--subscriptions-allow-repeat-service <yes>', 'Subscription Sync: a second subscription of a service on one contract gets its own contract service').choices(['true', 'false']))
    .option('--subscriptions-email-to <addresses>', `Subscription Sync: notification e-mail to these (comma-separated); the SMTP URL from $${SUBSCRIPTION_SECRETS.smtpUrl.env}, --secrets-stdin or a prompt — never argv`)
    .option('--subscriptions-email-from <address>', 'with --subscriptions-email-to: the sender')
    .option('--subscriptions-webhook', `Subscription Sync: notify a JSON webhook; its URL (it carries a token) from $${SUBSCRIPTION_SECRETS.webhookUrl.env}, --secrets-stdin or a prompt`)
    .option('--subscriptions-no-email', 'Subscription Sync: no notification e-mail (with --integration: none for it, even if the connector has one)')
    .option('--subscriptions-no-webhook', 'Subscription Sync: no notification webhook (with --integration: none for it)')
    .option('--subscriptions-inherit <names>', `with --integration: take these settings from the connector again (comma-separated: ${SETTING_NAMES.join(', ')}; or all)`)
    .option('--secrets-stdin', 'read "smtpUrl" / "webhookUrl" as JSON from stdin');
}

type SecretReader = (specs: SecretSpec[]) => Promise<Record<string, string>>;

/** Settings keys that hold a secret (credentials in a URL): they come from the environment, stdin or a prompt. */
const SECRET_SETTING_KEYS: Record<string, SecretSpec> = { smtpUrl: SUBSCRIPTION_SECRETS.smtpUrl, webhookUrl: SUBSCRIPTION_SECRETS.webhookUrl };

/**
 * The JSON of `--settings` / `--set`, refused when it carries a secret: argv is visible to every user of
 * the machine (`ps`) and stays in shell history. `webhookUrl: false` (no webhook) and `null` carry none.
 */
export function settingsFromArgv(text: string, option: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${option}: not JSON (${(err as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${option}: expected a JSON object of settings`);
  const found: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (SECRET_SETTING_KEYS[k] && typeof v === 'string') found.push([...path, k].join('.'));
      else walk(v, [...path, k]);
    }
  };
  walk(value, []);
  if (found.length) {
    const how = [...new Set(found.map((f) => SECRET_SETTING_KEYS[f.split('.').at(-1)!]))].map((s) => `$${s.env}`).join(' / ');
    throw new Error(`${option} carries ${found.join(', ')}: a secret never goes on the command line (ps and shell history show it). Use the --subscriptions-email-to / --subscriptions-webhook options with ${how}, --secrets-stdin or the prompt`);
  }
  return value as Record<string, unknown>;
}

/**
 * The settings change the `--subscriptions-…` options ask for: the connector's `subscriptions`, or (with an
 * integration) that integration's own values under `subscriptions.integrations`. Undefined when none is given.
 * `null` removes a value (see src/connector/settings.ts).
 */
export async function subscriptionSettingsChange(opts: Record<string, unknown>, integrationId: string | undefined, readSecrets: SecretReader): Promise<{ change: Record<string, unknown>; names: string[] } | undefined> {
  const values: Record<string, unknown> = {};
  const pick = (flag: string, name: string, parse: (v: string) => unknown = (v) => v) => {
    if (opts[flag] !== undefined) values[name] = parse(String(opts[flag]));
  };
  pick('subscriptionsPriceSource', 'priceSource');
  pick('subscriptionsProration', 'proration');
  pick('subscriptionsAutomatic', 'automatic');
  pick('subscriptionsNotify', 'notify');
  pick('subscriptionsUsageAsUnits', 'usageAsUnits', (v) => v.split(',').map((x) => x.trim()).filter(Boolean));
  pick('subscriptionsFirstCheckDays', 'firstCheckDays', (v) => positive(v, '--subscriptions-first-check-days'));
  pick('subscriptionsAllowRepeatService', 'allowRepeatService', (v) => v === 'true');
  if (opts.subscriptionsEmailTo !== undefined && opts.subscriptionsNoEmail) throw new Error('--subscriptions-email-to and --subscriptions-no-email contradict each other');
  if (opts.subscriptionsWebhook && opts.subscriptionsNoWebhook) throw new Error('--subscriptions-webhook and --subscriptions-no-webhook contradict each other');
  if (opts.subscriptionsEmailFrom !== undefined && opts.subscriptionsEmailTo === undefined) throw new Error('--subscriptions-email-from goes with --subscriptions-email-to');
  const secrets = [...(opts.subscriptionsEmailTo !== undefined ? [SUBSCRIPTION_SECRETS.smtpUrl] : []), ...(opts.subscriptionsWebhook ? [SUBSCRIPTION_SECRETS.webhookUrl] : [])];
  const secret = secrets.length ? await readSecrets(secrets) : {};
  if (opts.subscriptionsEmailTo !== undefined) {
    const to = String(opts.subscriptionsEmailTo).split(',').map((x) => x.trim()).filter(Boolean);
    values.email = { to, smtpUrl: secret.smtpUrl, ...(opts.subscriptionsEmailFrom !== undefined ? { from: String(opts.subscriptionsEmailFrom) } : {}) };
  }
  if (opts.subscriptionsWebhook) values.webhookUrl = secret.webhookUrl;
  // Off: an integration says `false` (none for it); the connector's value is removed.
  if (opts.subscriptionsNoEmail) values.email = integrationId ? false : null;
  if (opts.subscriptionsNoWebhook) values.webhookUrl = integrationId ? false : null;
  if (opts.subscriptionsInherit !== undefined) {
    if (!integrationId) throw new Error('--subscriptions-inherit goes with --integration <id>: the connector\'s own settings have nothing to inherit');
    const asked = String(opts.subscriptionsInherit).split(',').map((x) => x.trim()).filter(Boolean);
    const names = asked.includes('all') ? [...SETTING_NAMES] : asked;
    const unknown = names.filter((n) => !(SETTING_NAMES as readonly string[]).includes(n));
    if (unknown.length) throw new Error(`--subscriptions-inherit: unknown setting(s) ${unknown.join(', ')} (one of ${SETTING_NAMES.join(', ')}, or all)`);
    for (const n of names) {
      if (n in values) throw new Error(`--subscriptions-inherit ${n} contradicts the value given for it`);
      values[n] = null;
    }
  }
  const names = Object.keys(values);
  if (!names.length) return undefined;
  return { change: { subscriptions: integrationId ? { integrations: { [integrationId]: values } } : values }, names };
}

function registerMappingCommands(program: Command): void {
  const mapping = program.command('mapping').description('customer, product and cancellation-fee mappings between a marketplace and Autotask');

  const customers = withScope(mapping.command('customers'))
    .description('marketplace customers and the Autotask companies they map to')
    .option('--unmapped', 'only customers without a (usable) mapping')
    .option('--search <text>', 'name contains')
    .option('--suggest', 'rank Autotask companies for unmapped customers')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        const rows = await listCustomerMappings(s.client, s.taskQueue, scope, { unmapped: opts.unmapped, search: opts.search, suggest: opts.suggest });
        if (!rows.length) console.log('No customers');
        for (const r of rows) {
          const target = r.companyId ? `→ ${r.companyName ?? ''} (${r.companyId}) by ${r.mappedBy}` : '→ not mapped';
          console.log(`${r.marketplaceCustomerId}  ${r.marketplaceName}  ${target}${r.flaggedReason ? `  FLAGGED: ${r.flaggedReason}` : ''}`);
          for (const g of r.suggestions ?? []) console.log(`    suggestion: ${g.name} (${g.id}) score ${g.score.toFixed(2)} — ${g.why}`);
        }
      }),
    );
  (customers.command('map <marketplaceCustomerId> <companyId>'))
    .description('map a marketplace customer to an Autotask company')
    .action(async (customerId: string, companyId: string, _opts, cmd: Command) =>
      scoped(parentOpts(cmd), async (s, scope) => {
        const r = await mapCustomer(s.client, s.taskQueue, scope, customerId, positive(companyId, 'The company id'));
        console.log(`Customer ${r.marketplaceName} (${r.marketplaceCustomerId}) mapped to ${r.companyName} (${r.companyId})`);
      }),
    );
  (customers.command('unmap <marketplaceCustomerId>'))
    .description('remove a customer mapping (nothing is deleted in Autotask)')
    .action(async (customerId: string, _opts, cmd: Command) =>
      scoped(parentOpts(cmd), async (s, scope) => {
        const r = await unmapCustomer(s.client, s.taskQueue, scope, customerId);
        console.log(r.removed ? `Customer ${customerId} unmapped` : `Customer ${customerId} was not mapped`);
      }),
    );

  const products = withScope(mapping.command('products'))
    .description('marketplace products (plans) and the Autotask services they map to')
    .option('--unmapped', 'only products without a (usable) mapping')
    .option('--search <text>', 'name contains')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        const rows = await listProductMappings(s.client, s.taskQueue, scope, { unmapped: opts.unmapped, search: opts.search });
        if (!rows.length) console.log('No products');
        for (const r of rows) {
          const target = r.serviceId ? `→ ${r.serviceName ?? ''} (${r.serviceId})` : '→ not mapped';
          console.log(`${r.marketplaceProductId}  ${r.marketplaceName}  ${r.billingCycle ?? '?'} ${money(r.price)} ${r.currency ?? ''}  ${target}${r.flaggedReason ? `  FLAGGED: ${r.flaggedReason}` : ''}`);
        }
      }),
    );
  (products.command('map <marketplaceProductId> [serviceId]'))
    .description('map a marketplace product to an Autotask service, or --create the service from the product')
    .option('--create', "add the product to Autotask as a service (name, period and price from the marketplace)")
    .action(async (productId: string, serviceId: string | undefined, opts, cmd: Command) =>
      scoped(parentOpts(cmd), async (s, scope) => {
        if (!serviceId && !opts.create) throw new Error('Give the Autotask service id, or --create');
        const r = await mapProduct(s.client, s.taskQueue, scope, productId, opts.create ? { create: true } : { serviceId: positive(serviceId!, 'The service id') });
        console.log(`Product ${r.marketplaceName} (${r.marketplaceProductId}) mapped to service ${r.serviceName} (${r.serviceId})`);
      }),
    );
  (products.command('unmap <marketplaceProductId>'))
    .description('remove a product mapping (nothing is deleted in Autotask)')
    .action(async (productId: string, _opts, cmd: Command) =>
      scoped(parentOpts(cmd), async (s, scope) => {
        const r = await unmapProduct(s.client, s.taskQueue, scope, productId);
        console.log(r.removed ? `Product ${productId} unmapped` : `Product ${productId} was not mapped`);
      }),
    );

  const fees = withScope(mapping.command('fees'))
    .description('cancellation fees and the Autotask charge they become')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        const rows = await listFeeMappings(s.client, s.taskQueue, scope);
        if (!rows.length) console.log('No fee mappings (a cancellation with a fee waits for one: `mapping fees map cancellation <billing code id>`)');
        for (const r of rows) console.log(`${r.feeKey}  → charge "${r.chargeName}", billing code ${r.billingCodeId}`);
      }),
    );
  (fees.command('map <feeKey> <billingCodeId>'))
    .description('map a marketplace fee (`cancellation`, or `cancellation:<product id>`) to a contract charge')
    .option('--name <text>', 'the charge name in Autotask', 'Cancellation fee')
    .action(async (feeKey: string, billingCodeId: string, opts, cmd: Command) =>
      scoped(parentOpts(cmd), async (s, scope) => {
        const r = await mapFee(s.client, s.taskQueue, scope, feeKey, positive(billingCodeId, 'The billing code id'), opts.name);
        console.log(`Fee ${r.feeKey} mapped to charge "${r.chargeName}" (billing code ${r.billingCodeId})`);
      }),
    );
  (fees.command('unmap <feeKey>'))
    .description('remove a fee mapping')
    .action(async (feeKey: string, _opts, cmd: Command) =>
      scoped(parentOpts(cmd), async (s, scope) => {
        const r = await unmapFee(s.client, s.taskQueue, scope, feeKey);
        console.log(r.removed ? `Fee ${feeKey} unmapped` : `Fee ${feeKey} was not mapped`);
      }),
    );
}

/** What `subscriptions check` prints after a real check: the counts, then the tasks it lists (the first 100). */
export function checkResultLines(r: SubscriptionCheckResult): string[] {
  const lines = [`Checked ${r.integrationId}: ${r.events} event(s), ${r.createdCount} task(s) created, ${r.existing} already known, ${r.merged} merged into another task; ${r.started} task workflow(s) started`];
  lines.push(...r.created.map((id) => `  ${id}`));
  if (r.createdCount > r.created.length) lines.push(`  … and ${r.createdCount - r.created.length} more`);
  if (r.createdCount) lines.push('See them with `autotask-bridge tasks list`');
  return lines;
}

function registerCheckCommands(program: Command): void {
  const subscriptions = program.command('subscriptions').description('Subscription Sync: Check Changes and reconciliation');

  withScope(subscriptions.command('check'))
    .description("read the marketplace's orders since the last check and create one sync task per order")
    .option('--dry-run', 'show the tasks that would be created; store nothing, start nothing')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        const r = await checkSubscriptions(s.client, s.taskQueue, scope, { dryRun: opts.dryRun });
        if (r.dryRun) {
          console.log(`Dry run on ${r.integrationId}: ${r.events} event(s); ${r.preview.length} task(s) would be created${r.existing ? `, ${r.existing} already exist` : ''}${r.more ? ' (more events follow)' : ''}; nothing was written`);
          for (const p of r.preview) console.log(`  ${p.taskId}  ${p.type.padEnd(12)} ${p.effectiveDate}  customer ${p.customerId}${p.subscriptionId ? `  subscription ${p.subscriptionId}` : ''}`);
          return;
        }
        for (const line of checkResultLines(r)) console.log(line);
      }),
    );

  withScope(subscriptions.command('status'))
    .description('the Subscription Sync settings (the seed\'s Settings dialog) and the sync tasks by state')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        console.log(`Subscription Sync on ${scope.integrationId} (connector ${scope.connectorId})`);
        for (const line of subscriptionStatusLines(await subscriptionStatus(s.client, s.taskQueue, scope))) console.log(`  ${line}`);
        console.log(`  change with \`autotask-bridge settings --integration ${scope.integrationId} --subscriptions-<setting> …\` (this integration) or without --integration (the connector's)`);
      }),
    );

  withScope(subscriptions.command('reconcile'))
    .description("compare each mapped subscription with Autotask's contract service units for a period and list the drift")
    .option('--period <YYYY-MM>', 'the billing month (default: this month)', new Date().toISOString().slice(0, 7))
    .option('--create-tasks', 'create the sync tasks that bring Autotask to the marketplace')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        const r = await reconcile(s.client, s.taskQueue, scope, opts.period, { createTasks: opts.createTasks });
        console.log(`Reconciled ${r.checked} subscription(s) for ${opts.period}: ${r.drifts.length ? `${r.drifts.length} drift(s)` : 'no drift'}`);
        for (const d of r.drifts) console.log(`  subscription ${d.subscriptionId} ${d.field}: marketplace ${JSON.stringify(d.marketplace)}, Autotask ${JSON.stringify(d.autotask)} — ${d.cause}`);
        if (r.tasksCreated.length) console.log(`Tasks created: ${r.tasksCreated.join(', ')}`);
        else if (r.drifts.length && !opts.createTasks) console.log('Nothing was changed; `--create-tasks` creates the tasks that fix the drift');
      }),
    );
}

function registerTaskCommands(program: Command): void {
  const tasks = program.command('tasks').description('Subscription Sync tasks: one per marketplace order');

  withScope(tasks.command('list'))
    .description('sync tasks, oldest first')
    .option('--state <states>', `only these states, comma-separated (${TASK_STATES.join(', ')})`)
    .option('--limit <n>', 'at most this many', '200')
    .action(async (opts) =>
      scoped(opts, async (s, scope) => {
        const rows = await listTasks(s.client, s.taskQueue, scope, { states: states(opts.state), limit: positive(opts.limit, '--limit') });
        if (!rows.length) console.log('No sync tasks');
        for (const t of rows) console.log(taskLine(t));
      }),
    );
  withScope(tasks.command('show <taskId>'))
    .description("a task's state, what it waits for and what to do next")
    .action(async (taskId: string, opts) => scoped(opts, async (s, scope) => printTask(await taskView(s.client, s.taskQueue, scope, taskId))));
  withScope(tasks.command('plan <taskId>'))
    .description('what the task writes (or wrote) to Autotask: adjustments, charges, the billed amount per period; writes nothing')
    .action(async (taskId: string, opts) =>
      scoped(opts, async (s, scope) => {
        const view = await taskView(s.client, s.taskQueue, scope, taskId);
        if (view.plan) printPlan(view.plan);
        else {
          console.log(`Task ${taskId} has no plan yet: it is ${view.state}${view.waitingFor && view.state === 'action_required' ? ` (waiting for a ${view.waitingFor} decision)` : ''}${view.reason ? ` — ${view.reason}` : ''}`);
          process.exitCode = 1;
        }
      }),
    );
  withScope(tasks.command('sync [taskId]'))
    .description('apply a planned task (or --all planned tasks) to Autotask')
    .option('--all', 'every planned task of the integration')
    .action(async (taskId: string | undefined, opts) =>
      scoped(opts, async (s, scope) => {
        if (opts.all) {
          const results = await syncPlannedTasks(s.client, s.taskQueue, scope);
          if (!results.length) console.log('No planned tasks');
          for (const r of results) console.log(r.error ? `${r.taskId}: ${r.error}` : `${r.taskId}: ${r.view!.state}${r.view!.reason ? ` — ${r.view!.reason}` : ''}`);
          if (results.some((r) => r.error || r.view?.state !== 'synced')) process.exitCode = 1;
          return;
        }
        if (!taskId) throw new Error('Give the task id, or --all');
        answer(await syncTask(s.client, scope, taskId));
      }),
    );
  withScope(tasks.command('map-customer <taskId> <companyId>'))
    .description("map the task's marketplace customer to an Autotask company; the task resumes")
    .action(async (taskId: string, companyId: string, opts) =>
      scoped(opts, async (s, scope) => answer(await mapTaskCustomer(s.client, scope, taskId, positive(companyId, 'The company id')))),
    );
  withScope(tasks.command('map-product <taskId> [serviceId]'))
    .description("map the task's marketplace product to an Autotask service (or --create it); the task resumes")
    .option('--create', 'add the product to Autotask as a service')
    .action(async (taskId: string, serviceId: string | undefined, opts) =>
      scoped(opts, async (s, scope) => {
        if (!serviceId && !opts.create) throw new Error('Give the Autotask service id, or --create');
        answer(await mapTaskProduct(s.client, scope, taskId, opts.create ? { create: true } : { serviceId: positive(serviceId!, 'The service id') }));
      }),
    );
  withScope(tasks.command('choose-contract <taskId> <contractId>'))
    .description("the Autotask contract for the task's subscription (same billing cycle and currency); the task resumes")
    .action(async (taskId: string, contractId: string, opts) =>
      scoped(opts, async (s, scope) => answer(await chooseTaskContract(s.client, scope, taskId, positive(contractId, 'The contract id')))),
    );
  withScope(tasks.command('ignore <taskId>'))
    .description('set a task aside: nothing is written until it is unignored')
    .option('--reason <text>', 'why')
    .action(async (taskId: string, opts) => scoped(opts, async (s, scope) => answer(await ignoreTask(s.client, scope, taskId, opts.reason))));
  withScope(tasks.command('unignore <taskId>'))
    .description('take an ignored task up again')
    .action(async (taskId: string, opts) => scoped(opts, async (s, scope) => answer(await unignoreTask(s.client, scope, taskId))));
  withScope(tasks.command('retry <taskId>'))
    .description('run a task in error (or waiting for a decision made elsewhere) again, after fixing the data')
    .action(async (taskId: string, opts) => scoped(opts, async (s, scope) => answer(await retryTask(s.client, scope, taskId))));
}

/** Where the task went after a command: its state, and what to do next. */
function answer(view: TaskView): void {
  printTask(view);
  if (view.state === 'error') process.exitCode = 1;
}

export function registerSubscriptionCommands(program: Command): void {
  registerMappingCommands(program);
  registerCheckCommands(program);
  registerTaskCommands(program);
}
