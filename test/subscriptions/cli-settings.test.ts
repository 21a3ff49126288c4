// Subscription Sync settings per marketplace integration through the real CLI: `settings --integration <id>
// --subscriptions-…` (secrets from the environment, never argv) and `status`, which shows each marketplace
// integration's effective settings with credentials redacted. The connector runs its own workflow here
// (settings and status go through it), and each integration's Subscription Sync schedule follows its settings.
import { memoryLimiter } from '../../src/autotask/limits';
import { connect, enableTemplate } from '../../src/client/connectors';
import { subscriptionStatus } from '../../src/client/subscriptions';
import { scheduleIds, workflowIds } from '../../src/workflows/ids';
import { useEngine } from '../helpers/engine';
import { testKeyRing } from '../helpers/temporal';
import { operatorCli } from './cli-helpers';
import { CLOUDBLUE, eventually, MARKET_SANDBOX, PAX8 } from './tasks-helpers';

const SMTP = 'smtp://mailer:hunter2@smtp.msp.example:587';
const HOOK = 'https://hooks.msp.example/services/T000/B000/s3cr3tt0ken';

describe('Subscription Sync settings per marketplace integration through the CLI', () => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });

  it("settings --integration sets one marketplace's own values; status shows each one's effective settings, redacted; the schedule follows them", async () => {
    const sandbox = await engine.startSandbox(MARKET_SANDBOX);
    // Unique per run: one dev server serves every test file.
    const connectorId = `subs-settings-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
    const connected = await connect(engine.client, engine.taskQueue, testKeyRing(), sandbox.connectRequest(connectorId, { subscriptions: { email: { to: ['ops@msp.example'], smtpUrl: SMTP } } }, [CLOUDBLUE, PAX8]));
    expect(connected.status).toBe('connected');
    const cli = operatorCli(engine, connectorId);
    const schedules = [CLOUDBLUE, PAX8].map((id) => engine.client.schedule.getHandle(scheduleIds.template(connectorId, 'subscription-sync', id)));
    try {
      for (const id of [CLOUDBLUE, PAX8]) await enableTemplate(engine.client, connectorId, 'subscription-sync', id);

      const set = await cli(
        ['settings', '--integration', CLOUDBLUE, '--subscriptions-price-source', 'marketplace', '--subscriptions-automatic', 'every5min', '--subscriptions-allow-repeat-service', 'true', '--subscriptions-webhook', '--subscriptions-no-email'],
        { BRIDGE_WEBHOOK_URL: HOOK },
      );
      expect(set.stderr).toBe('');
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('Subscription Sync priceSource, automatic, allowRepeatService, webhookUrl, email of integration cloudblue updated');

      const status = await cli(['status']);
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      const block = (id: string) => status.stdout.split(`Subscription Sync settings [${id}]:`)[1]?.split(/Subscription Sync settings \[|Temporal Web UI/)[0] ?? '';
      expect(block(CLOUDBLUE)).toContain('prices from: marketplace*; proration: autotask; automatic: every 5 minutes*');
      expect(block(CLOUDBLUE)).toContain('→ action log, no e-mail*, webhook* https://hooks.msp.example/services/…');
      expect(block(CLOUDBLUE)).toContain('a second subscription of a service on one contract: its own contract service*');
      expect(block(PAX8)).toContain('prices from: autotask; proration: autotask; automatic: off (run `subscriptions check`)\n');
      expect(block(PAX8)).toContain('→ action log, e-mail to ops@msp.example via smtp://***@smtp.msp.example:587\n');
      expect(block(PAX8)).toContain('a second subscription of a service on one contract: refused\n');
      expect(status.stdout).not.toMatch(/hunter2|s3cr3tt0ken|mailer/);

      // Each integration's schedule follows its own `automatic`.
      const specs = await Promise.all(schedules.map(async (h) => (await h.describe()).spec));
      expect(specs[0].intervals?.[0]?.every).toBe(5 * 60_000);
      expect(specs[1].calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }] });

      // The integration takes values back from the connector; `subscriptions status` shows the same.
      const inherit = await cli(['settings', '--integration', CLOUDBLUE, '--subscriptions-inherit', 'priceSource,email,automatic']);
      expect(inherit.code).toBe(0);
      const view = await subscriptionStatus(engine.client, engine.taskQueue, { connectorId, integrationId: CLOUDBLUE });
      expect(view.settings).toMatchObject({ priceSource: 'autotask', automatic: 'off', allowRepeatService: true, email: { smtpUrl: 'smtp://***@smtp.msp.example:587' }, webhookUrl: 'https://hooks.msp.example/services/…' });
      expect(view.overrides).toEqual(['allowRepeatService', 'webhookUrl']);
      await eventually(async () => (await schedules[0].describe()).spec, (spec) => !!spec.calendars?.length, 30_000, 'the daily schedule again');

      // Settings belong to a marketplace integration that exists; values are checked before anything is sent.
      const unknown = await cli(['settings', '--integration', 'nope', '--subscriptions-notify', 'all']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no integration "nope" \(its marketplaces: cloudblue, pax8\)/);
      const bad = await cli(['settings', '--subscriptions-notify', 'sometimes']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/sometimes.*Allowed choices are errors, all/);
    } finally {
      await Promise.all(schedules.map((h) => h.delete().catch(() => undefined)));
      await engine.client.workflow.getHandle(workflowIds.connector(connectorId)).terminate('test over');
    }
  }, 600_000);
});
