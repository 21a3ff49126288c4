// `connect`, `reconnect`, `disable`, `status`, `templates …`, `settings`, `integrations …`.
// Integration kinds, their options and secret names come from the registry (src/integrations).
import { createInterface } from 'node:readline/promises';
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import {
  addIntegration, checkIntegration, connect, connectorStatus, disableConnector, disableTemplate, enableTemplate, listConnectors, reconnect, removeIntegration,
  submitStatus, updateSettings, type ConnectorStatusView, type IntegrationRequest,
} from '../client/connectors';
import { AUTOTASK_SECRETS, collectSecrets, hiddenPrompt, readStdin, type SecretSpec } from '../client/secret-input';
import type { OperatorSession } from '../client/operator';
import { requireMarketplace, subscriptionStatus } from '../client/subscriptions';
import type { IntegrationDefinition } from '../integrations/definition';
import { integrationKind, integrationKinds } from '../integrations/registry';
import { findTemplate, templateNames } from '../templates';
import type { ConnectorView, SubmitStatusView } from '../workflows/messages/connector';
import { withSession } from './session';
import { settingsFromArgv, subscriptionSettingOptions, subscriptionSettingsChange, subscriptionStatusLines } from './subscriptions';

const STATUS_LABEL: Record<string, string> = { not_connected: 'Not Connected', connected: 'Connected', error: 'Error', disabled: 'Disabled' };

const mark = (c: { ok: boolean; warning?: boolean }) => (!c.ok ? '✗' : c.warning ? '!' : '✓');

function printChecks(view: ConnectorView): void {
  console.log(`Connector ${view.connectorId}: ${STATUS_LABEL[view.status]}${view.statusMessage ? ` — ${view.statusMessage}` : ''}`);
  for (const c of view.checks) console.log(`  ${mark(c)} ${c.check}: ${c.message}`);
  for (const i of view.integrations ?? []) {
    console.log(`  Integration ${i.id} (${i.label}, ${i.role}): ${STATUS_LABEL[i.status]}${i.statusMessage ? ` — ${i.statusMessage}` : ''}`);
    for (const c of i.checks) console.log(`    ${mark(c)} ${c.check}: ${c.message}`);
  }
}

function printStatus(view: ConnectorStatusView): void {
  printChecks(view);
  for (const t of view.instances) {
    const s = t.schedule;
    const state = t.enabled ? (s?.paused ? 'enabled (paused)' : 'enabled') : 'disabled';
    const last = t.lastRunAt ? `last run ${t.lastRunAt} (${t.lastRunStatus})` : 'never run';
    const next = t.enabled && s?.nextRun && !s.paused ? `, next run ${s.nextRun.toISOString()}` : '';
    console.log(`  ${t.label}${t.integrationId ? ` [${t.integrationId}]` : ''}: ${state}; ${last}${next}`);
  }
}

/** Each marketplace integration's Subscription Sync settings as it runs with them (credentials redacted by the engine). */
async function printSubscriptionSync(s: OperatorSession, view: ConnectorStatusView): Promise<void> {
  for (const i of view.integrations.filter((x) => x.role === 'marketplace')) {
    try {
      const lines = subscriptionStatusLines(await subscriptionStatus(s.client, s.taskQueue, { connectorId: view.connectorId, integrationId: i.id }));
      console.log(`  Subscription Sync settings [${i.id}]:`);
      for (const line of lines) console.log(`    ${line}`);
    } catch (err) {
      console.log(`  Subscription Sync settings [${i.id}]: not available — ${(err as Error).message}`);
    }
  }
}

const templateArg = (value: string): string => {
  if (!findTemplate(value)) throw new Error(`unknown template "${value}" (one of ${templateNames().join(', ')})`);
  return value;
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const statusText = (v: SubmitStatusView): string => v.values.map((value, i) => `"${v.labels[i] ?? value}" (value ${value})`).join(', ');

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Before Submit Order is enabled: the PO status it picks up, confirmed once by the operator (nothing is
 * submitted until then). False when the operator did not confirm.
 */
async function confirmSubmitStatus(client: Client, connectorId: string, opts: { submitStatus: string[]; yes?: boolean }): Promise<boolean> {
  if (opts.submitStatus.length) {
    const chosen = await submitStatus(client, connectorId, { statuses: opts.submitStatus, confirm: true, by: 'templates enable submit-order --submit-status' });
    console.log(`Submit Order picks up purchase orders in status ${statusText(chosen)} (confirmed)`);
    return true;
  }
  const current = await submitStatus(client, connectorId, { confirm: false });
  if (current.confirmed) {
    console.log(`Submit Order picks up purchase orders in status ${statusText(current)} (confirmed${current.confirmedAt ? ` on ${current.confirmedAt}` : ''})`);
    return true;
  }
  const choices = current.options.map((o) => `${o.label} (${o.value})`).join(', ');
  if (!current.values.length) {
    console.error(`No purchase order status of this database reads like "ready to order" (${choices}): choose one with --submit-status <label>`);
    return false;
  }
  console.log(`Submit Order sends to the distributor every purchase order of its vendor company in status ${statusText(current)} (proposed by its label; the statuses are ${choices}).`);
  if (current.waiting) console.log(`${current.waiting} purchase order(s) are in that status now: the first scan submits those not submitted yet.`);
  const confirmed = opts.yes || (process.stdin.isTTY && (await askYesNo('Is this the status that means "ready to order"? [y/N] ')));
  if (!confirmed) {
    console.error(`Submit Order not enabled: ${process.stdin.isTTY ? '' : 'confirm the status with --yes, or '}choose the status with --submit-status <label>`);
    return false;
  }
  const chosen = await submitStatus(client, connectorId, { statuses: current.values.map(String), confirm: true, by: `templates enable submit-order${opts.yes ? ' --yes' : ''}` });
  console.log(`Submit Order picks up purchase orders in status ${statusText(chosen)} (confirmed)`);
  return true;
}

const secretSpecs = (d: IntegrationDefinition): SecretSpec[] => d.secretInputs.map((s) => ({ key: s.key, env: s.env, label: s.prompt }));

/** Secrets from stdin JSON, the environment or a hidden prompt — never argv. */
async function readSecrets(specs: SecretSpec[], fromStdin: boolean): Promise<Record<string, string>> {
  const { values, warnings } = await collectSecrets(specs, {
    stdinJson: fromStdin ? await readStdin() : undefined,
    env: process.env,
    prompt: process.stdin.isTTY ? hiddenPrompt : undefined,
  });
  for (const w of warnings) console.warn(`warning: ${w}`);
  return values;
}

/** A distributor's Autotask vendor company from `--vendor-company-id` / `--vendor-company-name`. */
function vendorCompany(opts: Record<string, unknown>): IntegrationRequest['vendorCompany'] {
  if (opts.vendorCompanyId === undefined && opts.vendorCompanyName === undefined) return undefined;
  const id = opts.vendorCompanyId === undefined ? undefined : Number(opts.vendorCompanyId);
  if (id !== undefined && !Number.isInteger(id)) throw new Error('--vendor-company-id takes an Autotask company id');
  return { id, name: opts.vendorCompanyName as string | undefined };
}

/** Settings from a kind's declared options (plus `--settings <json>` for the rest). */
function kindSettings(d: IntegrationDefinition, opts: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = opts.settings ? settingsFromArgv(String(opts.settings), '--settings') : {};
  for (const o of d.options) {
    const name = o.flag.replace(/^--/, '').split(' ')[0].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (opts[name] !== undefined) settings[o.setting] = o.parse ? o.parse(String(opts[name])) : opts[name];
  }
  return settings;
}

export function registerConnectorCommands(program: Command): void {
  const connectCmd = program
    .command('connect')
    .description('connect an Autotask database (and, as a shorthand, a distributor); secrets from stdin JSON, environment or a prompt — never argv')
    .requiredOption('--email <email>', 'e-mail of an active Autotask resource (usually the administrator who created the API user)')
    .option('--id <id>', 'connector id', 'default')
    .option('--name <name>', 'display name')
    .option('--zone-url <url>', 'Autotask zone URL (skips zone discovery)')
    .option('--discovery-url <url>', 'Autotask zone discovery base URL')
    .option('--distributor <kind>', `add a distributor integration too (${integrationKinds('distributor').map((k) => k.kind).join(', ')})`)
    .option('--settings <json>', 'connector settings (JSON)')
    .option('--vendor-company-id <id>', "with --distributor: the distributor's Autotask vendor company id")
    .option('--vendor-company-name <name>', "with --distributor: its Autotask vendor company name (default: the distributor's name)")
    .option('--secrets-stdin', 'read the secrets as one JSON object from stdin (keys: username, secret, integrationCode, and the distributor\'s)');
  // The distributor shorthand takes its kind's options (kept from when a connector had exactly one).
  const shorthandFlags = new Set<string>();
  for (const d of integrationKinds('distributor')) for (const o of d.options) if (!shorthandFlags.has(o.flag)) { shorthandFlags.add(o.flag); connectCmd.option(o.flag, `${o.description} (with --distributor)`); }
  connectCmd.action(async (opts) => {
    const distributor = opts.distributor ? integrationKind(opts.distributor) : undefined;
    const specs = [...AUTOTASK_SECRETS, ...(distributor ? secretSpecs(distributor) : [])];
    const values = await readSecrets(specs, !!opts.secretsStdin);
    const integrations: IntegrationRequest[] = distributor
      ? [{ kind: distributor.kind, settings: kindSettings(distributor, { ...opts, settings: undefined }), secrets: Object.fromEntries(distributor.secretInputs.map((s) => [s.key, values[s.key]])), vendorCompany: vendorCompany(opts) }]
      : [];
    const view = await withSession((s) =>
      connect(s.client, s.taskQueue, s.ring, {
        connectorId: opts.id,
        name: opts.name,
        email: opts.email,
        zoneUrl: opts.zoneUrl,
        discoveryUrl: opts.discoveryUrl,
        autotask: { username: values.username, secret: values.secret, integrationCode: values.integrationCode },
        integrations,
        settings: opts.settings ? settingsFromArgv(opts.settings, '--settings') : undefined,
      }),
    );
    printChecks(view);
    if (view.status !== 'connected') process.exitCode = 1;
  });

  const integrations = program.command('integrations').description('distributors, marketplaces and export targets of a connector');
  const add = integrations.command('add').description('add (or replace) an integration: one subcommand per kind');
  for (const d of integrationKinds()) {
    const cmd = add
      .command(d.kind)
      .description(`${d.label} (${d.role}); secrets: ${d.secretInputs.map((s) => `${s.key} / $${s.env}`).join(', ')}`)
      .option('--id <id>', 'connector id', 'default')
      .option('--integration <id>', 'integration id', d.kind)
      .option('--settings <json>', 'further settings (JSON)')
      .option('--secrets-stdin', `read ${d.secretInputs.map((s) => `"${s.key}"`).join(', ')} as JSON from stdin`);
    for (const o of d.options) cmd.option(o.flag, o.description);
    if (d.role === 'distributor') {
      cmd.option('--vendor-company-id <id>', 'its Autotask vendor company id').option('--vendor-company-name <name>', `its Autotask vendor company name (default "${d.label}")`);
    }
    cmd.action(async (opts) => {
      const secrets = await readSecrets(secretSpecs(d), !!opts.secretsStdin);
      const view = await withSession((s) => addIntegration(s.client, s.ring, opts.id, { id: opts.integration, kind: d.kind, settings: kindSettings(d, opts), secrets, vendorCompany: vendorCompany(opts) }));
      printChecks(view);
      if (view.integrations.find((i) => i.id === opts.integration)?.status !== 'connected') process.exitCode = 1;
    });
  }
  integrations
    .command('list')
    .description("the connector's integrations with their status and checks")
    .option('--id <id>', 'connector id', 'default')
    .action(async (opts) =>
      withSession(async (s) => {
        const view = await connectorStatus(s.client, opts.id);
        if (!view) return console.log(`Connector ${opts.id}: Not Connected`);
        if (!view.integrations.length) console.log(`Connector ${opts.id} has no integrations: add one with \`autotask-bridge integrations add <kind>\` (${integrationKinds().map((k) => k.kind).join(', ')})`);
        printChecks(view);
      }),
    );
  integrations
    .command('remove <integration>')
    .description('remove an integration (its templates are disabled; nothing in Autotask is deleted)')
    .option('--id <id>', 'connector id', 'default')
    .action(async (integration: string, opts) => printChecks(await withSession((s) => removeIntegration(s.client, opts.id, integration))));
  integrations
    .command('check <integration>')
    .description("run one integration's activation checks again")
    .option('--id <id>', 'connector id', 'default')
    .action(async (integration: string, opts) => {
      const view = await withSession((s) => checkIntegration(s.client, opts.id, integration));
      printChecks(view);
      if (view.integrations.find((i) => i.id === integration)?.status !== 'connected') process.exitCode = 1;
    });

  program
    .command('reconnect')
    .description('run the activation checks again with the stored credentials (also turns a disabled connector back on)')
    .option('--id <id>', 'connector id', 'default')
    .action(async (opts) => {
      const view = await withSession((s) => reconnect(s.client, opts.id));
      printChecks(view);
      if (view.status !== 'connected') process.exitCode = 1;
    });

  program
    .command('disable')
    .description('disable a connector (pauses all of its templates)')
    .option('--id <id>', 'connector id', 'default')
    .action(async (opts) => printChecks(await withSession((s) => disableConnector(s.client, opts.id))));

  program
    .command('status')
    .description("connector status, each integration's checks, each template's state, last run and next run")
    .option('--id <id>', 'connector id (default: all)')
    .action(async (opts) =>
      withSession(async (s) => {
        const ids = opts.id ? [opts.id] : await listConnectors(s.client);
        if (!ids.length) console.log('No connectors yet: run `autotask-bridge connect`.');
        for (const id of ids) {
          const view = await connectorStatus(s.client, id);
          if (!view) console.log(`Connector ${id}: Not Connected`);
          else {
            printStatus(view);
            await printSubscriptionSync(s, view);
          }
        }
        if (s.uiUrl) console.log(`Temporal Web UI: ${s.uiUrl}`);
      }),
    );

  const templates = program.command('templates').description('enable or disable templates (each runs on a Temporal Schedule)');
  for (const [name, enable] of [['enable', true], ['disable', false]] as const) {
    const cmd = templates
      .command(`${name} <template>`)
      .description(`${name} a template: ${templateNames().join(', ')}`)
      .option('--id <id>', 'connector id', 'default')
      .option('--integration <id>', 'the integration it runs for (needed when the connector has several of its kind)');
    if (enable) {
      cmd
        .option('--submit-status <label|value>', 'submit-order: the Autotask purchase order status meaning "ready to order" (repeatable); confirms it', collect, [])
        .option('--yes', 'submit-order: confirm the proposed purchase order status without asking');
    }
    cmd.action(async (template: string, opts) => {
      const t = templateArg(template);
      const view = await withSession(async (s) => {
        if (enable && t === 'submit-order' && !(await confirmSubmitStatus(s.client, opts.id, opts))) return undefined;
        return enable ? enableTemplate(s.client, opts.id, t, opts.integration) : disableTemplate(s.client, opts.id, t, opts.integration);
      });
      if (!view) {
        process.exitCode = 1;
        return;
      }
      const instance = Object.values(view.templates).find((x) => x.template === t && (!opts.integration || x.integrationId === opts.integration));
      console.log(`${findTemplate(t)!.label}${instance?.integrationId ? ` [${instance.integrationId}]` : ''} ${instance?.enabled ? 'enabled' : 'disabled'} for connector ${opts.id}`);
    });
  }

  const settingsCmd = program
    .command('settings')
    .description('change connector settings, e.g. --set \'{"productSync":{"schedule":{"hour":3}}}\', --submit-status Submitted or --integration cloudblue --subscriptions-price-source marketplace')
    .option('--set <json>', 'partial settings (JSON), merged into the current ones')
    .option('--submit-status <label|value>', 'the Autotask purchase order status Submit Order picks up (repeatable); setting it confirms it', collect, [])
    .option('--id <id>', 'connector id', 'default')
    .option('--integration <id>', "with --subscriptions-…: that marketplace integration's own values (they win over the connector's)");
  subscriptionSettingOptions(settingsCmd)
    .action(async (opts) => {
      const subscriptions = await subscriptionSettingsChange(opts, opts.integration, (specs) => readSecrets(specs, !!opts.secretsStdin));
      if (opts.integration && !subscriptions) throw new Error('--integration goes with --subscriptions-… options (see `autotask-bridge settings --help`)');
      if (!opts.set && !opts.submitStatus.length && !subscriptions) throw new Error('say what to change: --set <json>, --submit-status <label|value> and/or --subscriptions-… options');
      await withSession(async (s) => {
        if (opts.integration) await requireMarketplace(s.client, opts.id, opts.integration);
        if (opts.set) await updateSettings(s.client, opts.id, settingsFromArgv(opts.set, '--set'));
        if (subscriptions) {
          await updateSettings(s.client, opts.id, subscriptions.change);
          console.log(`Subscription Sync ${subscriptions.names.join(', ')} of ${opts.integration ? `integration ${opts.integration}` : 'the connector'} updated (see \`autotask-bridge status --id ${opts.id}\`)`);
        }
        if (opts.submitStatus.length) {
          const chosen = await submitStatus(s.client, opts.id, { statuses: opts.submitStatus, confirm: true, by: 'settings --submit-status' });
          console.log(`Submit Order picks up purchase orders in status ${statusText(chosen)} (confirmed)`);
        }
      });
      console.log(`Settings of connector ${opts.id} updated`);
    });
}
