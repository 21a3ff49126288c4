// `connect`, `reconnect`, `disable`, `status`, `templates …`, `settings set`.
import { Command } from 'commander';
import { TEMPLATES, type TemplateName } from '../../db/schema/connectors';
import { connect, connectorStatus, disableConnector, disableTemplate, enableTemplate, listConnectors, reconnect, updateSettings, type ConnectorStatusView } from '../client/connectors';
import { CONNECT_SECRETS, collectSecrets, hiddenPrompt, readStdin } from '../client/secret-input';
import type { ConnectorView } from '../workflows/connector';
import { withSession } from './session';

const STATUS_LABEL: Record<string, string> = { not_connected: 'Not Connected', connected: 'Connected', error: 'Error', disabled: 'Disabled' };
const TEMPLATE_LABEL: Record<TemplateName, string> = { 'product-sync': 'Product Sync', 'submit-order': 'Submit Order', 'get-order-status': 'Get Order Status' };

function printChecks(view: ConnectorView): void {
  console.log(`Connector ${view.connectorId}: ${STATUS_LABEL[view.status]}${view.statusMessage ? ` — ${view.statusMessage}` : ''}`);
  for (const c of view.checks) console.log(`  ${c.ok ? '✓' : '✗'} ${c.check}: ${c.message}`);
}

function printStatus(view: ConnectorStatusView): void {
  printChecks(view);
  for (const template of TEMPLATES) {
    const t = view.templates[template];
    const s = view.schedules[template];
    const state = t.enabled ? (s?.paused ? 'enabled (paused)' : 'enabled') : 'disabled';
    const last = t.lastRunAt ? `last run ${t.lastRunAt} (${t.lastRunStatus})` : 'never run';
    const next = t.enabled && s?.nextRun && !s.paused ? `, next run ${s.nextRun.toISOString()}` : '';
    console.log(`  ${TEMPLATE_LABEL[template]}: ${state}; ${last}${next}`);
  }
}

const templateArg = (value: string): TemplateName => {
  if (!(TEMPLATES as readonly string[]).includes(value)) throw new Error(`unknown template "${value}" (one of ${TEMPLATES.join(', ')})`);
  return value as TemplateName;
};

export function registerConnectorCommands(program: Command): void {
  program
    .command('connect')
    .description('connect an Autotask database and a distributor account (secrets from stdin JSON, environment or a prompt — never argv)')
    .requiredOption('--email <email>', 'e-mail of an active Autotask resource (usually the administrator who created the API user)')
    .option('--id <id>', 'connector id', 'default')
    .option('--name <name>', 'display name')
    .option('--zone-url <url>', 'Autotask zone URL (skips zone discovery)')
    .option('--discovery-url <url>', 'Autotask zone discovery base URL')
    .option('--distributor <kind>', 'distributor', 'ingram')
    .option('--distributor-url <url>', 'distributor API base URL')
    .option('--customer-number <n>', 'distributor customer / account number')
    .option('--country-code <cc>', 'distributor country code', 'US')
    .option('--settings <json>', 'connector settings (JSON)')
    .option('--secrets-stdin', 'read {"username","secret","integrationCode","distributorClientId","distributorClientSecret"} as JSON from stdin')
    .action(async (opts) => {
      const { values, warnings } = await collectSecrets(CONNECT_SECRETS, {
        stdinJson: opts.secretsStdin ? await readStdin() : undefined,
        env: process.env,
        prompt: process.stdin.isTTY ? hiddenPrompt : undefined,
      });
      for (const w of warnings) console.warn(`warning: ${w}`);
      const view = await withSession((s) =>
        connect(s.client, s.taskQueue, s.ring, {
            connectorId: opts.id,
            name: opts.name,
            email: opts.email,
            zoneUrl: opts.zoneUrl,
            discoveryUrl: opts.discoveryUrl,
            autotask: { username: values.username, secret: values.secret, integrationCode: values.integrationCode },
            distributor: {
              kind: opts.distributor,
              settings: { ...(opts.distributorUrl ? { baseUrl: opts.distributorUrl } : {}), ...(opts.customerNumber ? { customerNumber: opts.customerNumber } : {}), countryCode: opts.countryCode },
              clientId: values.distributorClientId,
              clientSecret: values.distributorClientSecret,
            },
          settings: opts.settings ? JSON.parse(opts.settings) : undefined,
        }),
      );
      printChecks(view);
      if (view.status !== 'connected') process.exitCode = 1;
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
    .description("connector status, each template's state, last run and next run")
    .option('--id <id>', 'connector id (default: all)')
    .action(async (opts) =>
      withSession(async (s) => {
        const ids = opts.id ? [opts.id] : await listConnectors(s.client);
        if (!ids.length) console.log('No connectors yet: run `autotask-bridge connect`.');
        for (const id of ids) {
          const view = await connectorStatus(s.client, id);
          if (!view) console.log(`Connector ${id}: Not Connected`);
          else printStatus(view);
        }
        if (s.uiUrl) console.log(`Temporal Web UI: ${s.uiUrl}`);
      }),
    );

  const templates = program.command('templates').description('enable or disable templates (each runs on a Temporal Schedule)');
  for (const [name, enable] of [['enable', true], ['disable', false]] as const) {
    templates
      .command(`${name} <template>`)
      .description(`${name} a template: ${TEMPLATES.join(', ')}`)
      .option('--id <id>', 'connector id', 'default')
      .action(async (template: string, opts) => {
        const t = templateArg(template);
        const view = await withSession((s) => (enable ? enableTemplate(s.client, opts.id, t) : disableTemplate(s.client, opts.id, t)));
        console.log(`${TEMPLATE_LABEL[t]} ${view.templates[t].enabled ? 'enabled' : 'disabled'} for connector ${opts.id}`);
      });
  }

  program
    .command('settings')
    .description('change connector settings, e.g. --set \'{"productSync":{"schedule":{"hour":3}}}\'')
    .requiredOption('--set <json>', 'partial settings (JSON), merged into the current ones')
    .option('--id <id>', 'connector id', 'default')
    .action(async (opts) => {
      await withSession((s) => updateSettings(s.client, opts.id, JSON.parse(opts.set)));
      console.log(`Settings of connector ${opts.id} updated`);
    });
}
