// The generic webhook export target as an integration kind (role `export`): settings (the target
// URL, delivery retries, and the export settings every target shares), its signing secret, the
// client, activation checks, CLI options and its receiving simulator for the sandbox.
import { z } from 'zod';
import { defineIntegration } from '../../integrations/definition';
import { exportSettingsSchema, pollingText, syncTypeWarning } from '../settings';
import { WebhookTarget } from './client';
import { startWebhookTargetSim, type WebhookTargetSimOptions } from './sim';

export const webhookTargetSettingsSchema = exportSettingsSchema.extend({
  url: z.url(),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  attempts: z.number().int().min(1).max(10).default(5),
  retryBaseMs: z.number().int().min(0).default(500),
  retryMaxMs: z.number().int().min(0).default(10_000),
});
export const webhookTargetSecretsSchema = z.object({ signingSecret: z.string().min(16) });

const bool = (v: string) => !/^(false|no|off|0)$/i.test(v);
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export const webhookExportIntegration = defineIntegration({
  kind: 'webhook',
  label: 'Webhook export',
  role: 'export',
  settingsSchema: webhookTargetSettingsSchema,
  secretsSchema: webhookTargetSecretsSchema,
  secretInputs: [{ key: 'signingSecret', env: 'EXPORT_WEBHOOK_SECRET', prompt: 'Shared secret the target verifies signatures with (16+ characters)' }],
  options: [
    { flag: '--export-url <url>', description: 'where the documents are POSTed', setting: 'url' },
    { flag: '--sync-customers <on|off>', description: 'Sync Active Customers (default on)', setting: 'syncCustomers', parse: bool },
    { flag: '--sync-contracts <on|off>', description: 'Sync Active Customer Contracts (default off)', setting: 'syncContracts', parse: bool },
    { flag: '--receiver-url <url>', description: "public base URL of this engine's Autotask webhook receiver (unset: polling only)", setting: 'receiverUrl' },
    { flag: '--poll-minutes <n>', description: 'minutes between polling passes (default 15, 5..1440)', setting: 'pollMinutes', parse: Number },
    { flag: '--company-email-udfs <names>', description: "company user-defined fields exported as e-mail addresses too, comma-separated (default none: the active contacts' addresses)", setting: 'companyEmailUdfs', parse: list },
    { flag: '--contract-vendor-udf <name>', description: 'Contract user-defined field holding the vendor name (default Vendor)', setting: 'contractVendorUdf' },
  ],
  create: (settings, secrets, context) => new WebhookTarget(settings, secrets.signingSecret, context),
  checks: [
    {
      name: 'sync-types',
      run: async (target) => {
        const warning = syncTypeWarning(target.settings);
        if (warning && !target.settings.syncContracts) throw new Error(warning);
        const on = [target.settings.syncCustomers && 'Active Customers', target.settings.syncContracts && 'Active Customer Contracts'].filter(Boolean).join(' and ');
        const what = `Syncing ${on}, ${pollingText(target.settings)}`;
        return warning ? `${what}. Warning: ${warning}` : what;
      },
    },
  ],
  simulate: async (options: WebhookTargetSimOptions = {}) => {
    const sim = await startWebhookTargetSim(options);
    return {
      url: sim.url,
      settings: { url: sim.endpoint, syncCustomers: true, syncContracts: true, retryBaseMs: 50, retryMaxMs: 500 },
      secrets: { signingSecret: sim.secret },
      handle: sim,
      describe: () => `receives at ${sim.endpoint}`,
      takeViolations: () => sim.takeViolations(),
      stop: () => sim.stop(),
    };
  },
});
