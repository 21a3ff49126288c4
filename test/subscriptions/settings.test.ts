// Subscription Sync settings per connector and per marketplace integration: an integration's own values win
// over the connector's wherever settings are read (the plan, the schedule, notifications, `status`), `null`
// takes a value back, `false` turns the connector's e-mail or webhook off for one integration, and what the
// `settings --subscriptions-…` options send. Pure, plus a local webhook receiver for the notifier.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { shownSubscriptionSettings } from '../../src/activities/subscriptions/automation';
import { checkResultLines, settingsFromArgv, subscriptionSettingsChange, subscriptionStatusLines } from '../../src/commands/subscriptions';
import { mergeSettings, parseSettings } from '../../src/connector/settings';
import type { Connector } from '../../src/connector/store';
import { createNotifier } from '../../src/notifications';
import { subscriptionOverrides, subscriptionSettingsFor } from '../../src/subscriptions/settings';
import { subscriptionSyncTemplate } from '../../src/templates/subscription-sync';

const SMTP = 'smtp://mailer:hunter2@smtp.msp.example:587';
const HOOK = 'https://hooks.msp.example/services/T000/B000/s3cr3tt0ken';

/** A connector with e-mail, prices from Autotask; CloudBlue with its own price source, automatic and webhook; Pax8 without e-mail. */
const settings = () =>
  parseSettings({
    subscriptions: {
      automatic: 'daily',
      email: { to: ['ops@msp.example'], smtpUrl: SMTP },
      integrations: { cloudblue: { priceSource: 'marketplace', automatic: 'every5min', webhookUrl: HOOK }, pax8: { email: false, firstCheckDays: 7 } },
    },
  });

describe('Subscription Sync settings per marketplace integration', () => {
  it("an integration's own values win over the connector's; the others run with the connector's", () => {
    const s = settings();
    expect(subscriptionSettingsFor(s)).toEqual({
      priceSource: 'autotask', proration: 'autotask', automatic: 'daily', notify: 'errors', email: { to: ['ops@msp.example'], from: 'autotask-bridge@localhost', smtpUrl: SMTP },
      usageAsUnits: [], firstCheckDays: 31, allowRepeatService: false,
    });
    expect(subscriptionSettingsFor(s, 'cloudblue')).toMatchObject({ priceSource: 'marketplace', automatic: 'every5min', webhookUrl: HOOK, email: { smtpUrl: SMTP }, firstCheckDays: 31 });
    const pax8 = subscriptionSettingsFor(s, 'pax8');
    expect(pax8).toMatchObject({ priceSource: 'autotask', automatic: 'daily', firstCheckDays: 7 });
    expect(pax8).not.toHaveProperty('email');
    expect(subscriptionSettingsFor(s, 'other')).toEqual(subscriptionSettingsFor(s));
    expect(subscriptionOverrides(s, 'cloudblue')).toEqual(['automatic', 'priceSource', 'webhookUrl']);
    expect(subscriptionOverrides(s, 'pax8')).toEqual(['email', 'firstCheckDays']);
  });

  it('a change merges into the stored values: null takes one back, unknown names and bad values are refused', () => {
    const changed = mergeSettings(settings(), { subscriptions: { email: null, integrations: { cloudblue: { priceSource: null, notify: 'all' }, pax8: null } } });
    expect(changed.subscriptions.email).toBeUndefined();
    expect(changed.subscriptions.integrations).toEqual({ cloudblue: { automatic: 'every5min', webhookUrl: HOOK, notify: 'all' } });
    expect(subscriptionSettingsFor(changed, 'cloudblue')).toMatchObject({ priceSource: 'autotask', notify: 'all' });
    expect(() => mergeSettings(settings(), { subscriptions: { integrations: { cloudblue: { pricesource: 'marketplace' } } } })).toThrow(/pricesource/);
    expect(() => mergeSettings(settings(), { subscriptions: { integrations: { cloudblue: { priceSource: 'distributor' } } } })).toThrow(/priceSource/);
    expect(() => mergeSettings(settings(), { subscriptions: { integrations: { cloudblue: { webhookUrl: 'not a url' } } } })).toThrow(/webhookUrl/);
  });

  it("each integration's Subscription Sync schedule follows its own `automatic`", () => {
    const s = settings();
    expect(subscriptionSyncTemplate.schedule(s, undefined, 'cloudblue')).toMatchObject({ everyMinutes: 5 });
    expect(subscriptionSyncTemplate.schedule(s, undefined, 'pax8')).toMatchObject({ calendars: [{ hour: 6, minute: 0 }] });
  });

  it("notifications go where the integration's settings say (the connector's when it says nothing)", async () => {
    const posts: Array<{ path: string; level: string }> = [];
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      req.on('end', () => {
        posts.push({ path: req.url ?? '', level: (JSON.parse(raw) as { level: string }).level });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const stored = parseSettings({
        subscriptions: {
          notify: 'errors', webhookUrl: `${base}/connector`,
          integrations: { cloudblue: { notify: 'all', webhookUrl: `${base}/cloudblue` }, pax8: { webhookUrl: false } },
        },
      });
      const connectors = { get: async (id: string) => ({ id, settings: stored }) as Connector };
      const notifier = createNotifier({ connectors, subscriptions: { log: async () => undefined } });
      const note = (level: 'error' | 'info', integrationId?: string) => notifier.notify({ connectorId: 'c1', integrationId, level, title: level, message: level });
      await note('info', 'cloudblue'); // its own level: all, its own webhook
      await note('info'); // the connector's level: errors only
      await note('error', 'pax8'); // no webhook for it
      await note('error');
      expect(posts).toEqual([{ path: '/cloudblue', level: 'info' }, { path: '/connector', level: 'error' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('status lines show the effective values, mark the integration\'s own, and never the credentials', () => {
    const s = settings();
    const view = (integrationId: string) => ({ settings: shownSubscriptionSettings(subscriptionSettingsFor(s, integrationId)), overrides: subscriptionOverrides(s, integrationId), tasks: { planned: 2 }, lastCheckAt: null });
    const cloudblue = subscriptionStatusLines(view('cloudblue')).join('\n');
    expect(cloudblue).toContain('prices from: marketplace*; proration: autotask; automatic: every 5 minutes*');
    expect(cloudblue).toContain('e-mail to ops@msp.example via smtp://***@smtp.msp.example:587, webhook* https://hooks.msp.example/services/…');
    expect(cloudblue).toContain("(* set for this integration; the rest are the connector's)");
    expect(cloudblue).toContain('tasks: planned 2; last check: never');
    const pax8 = subscriptionStatusLines(view('pax8')).join('\n');
    expect(pax8).toContain('prices from: autotask; proration: autotask; automatic: once a day\n');
    expect(pax8).toContain('→ action log, no e-mail*');
    expect(pax8).toContain('first check: orders of the last 7 days*');
    expect(pax8).toContain('a second subscription of a service on one contract: refused');
    expect(`${cloudblue}\n${pax8}`).not.toMatch(/hunter2|s3cr3tt0ken|mailer/);
  });

  it('`subscriptions check` lists the tasks its result lists and counts the rest', () => {
    const result = { integrationId: 'cloudblue', skipped: false, dryRun: false, events: 130, existing: 4, merged: 2, started: 124, preview: [], more: false };
    const many = checkResultLines({ ...result, created: ['order:1', 'order:2'], createdCount: 124 });
    expect(many[0]).toBe('Checked cloudblue: 130 event(s), 124 task(s) created, 4 already known, 2 merged into another task; 124 task workflow(s) started');
    expect(many.slice(1)).toEqual(['  order:1', '  order:2', '  … and 122 more', 'See them with `autotask-bridge tasks list`']);
    expect(checkResultLines({ ...result, created: [], createdCount: 0 })).toHaveLength(1);
  });

  describe('`settings --subscriptions-…`', () => {
    const noSecrets = async () => {
      throw new Error('no secret expected');
    };

    it("sends the integration's own values, or the connector's", async () => {
      const opts = { subscriptionsPriceSource: 'marketplace', subscriptionsAllowRepeatService: 'true', subscriptionsUsageAsUnits: 'a, b', subscriptionsFirstCheckDays: '14', subscriptionsNoEmail: true };
      expect(await subscriptionSettingsChange(opts, 'cloudblue', noSecrets)).toEqual({
        change: { subscriptions: { integrations: { cloudblue: { priceSource: 'marketplace', allowRepeatService: true, usageAsUnits: ['a', 'b'], firstCheckDays: 14, email: false } } } },
        names: ['priceSource', 'usageAsUnits', 'firstCheckDays', 'allowRepeatService', 'email'],
      });
      expect((await subscriptionSettingsChange({ subscriptionsNoEmail: true, subscriptionsNotify: 'all' }, undefined, noSecrets))?.change).toEqual({ subscriptions: { notify: 'all', email: null } });
      expect(await subscriptionSettingsChange({ set: '{}' }, undefined, noSecrets)).toBeUndefined();
    });

    it('reads the SMTP and webhook URLs through the secret reader, never from the options', async () => {
      const asked: string[] = [];
      const reader = async (specs: Array<{ key: string; env: string }>) => {
        asked.push(...specs.map((s) => s.env));
        return { smtpUrl: SMTP, webhookUrl: HOOK };
      };
      const r = await subscriptionSettingsChange({ subscriptionsEmailTo: 'ops@msp.example, it@msp.example', subscriptionsEmailFrom: 'bridge@msp.example', subscriptionsWebhook: true }, 'pax8', reader);
      expect(asked).toEqual(['BRIDGE_SMTP_URL', 'BRIDGE_WEBHOOK_URL']);
      expect(r?.change).toEqual({ subscriptions: { integrations: { pax8: { email: { to: ['ops@msp.example', 'it@msp.example'], smtpUrl: SMTP, from: 'bridge@msp.example' }, webhookUrl: HOOK } } } });
    });

    it('takes values back from the connector with --subscriptions-inherit, and refuses contradictions', async () => {
      expect((await subscriptionSettingsChange({ subscriptionsInherit: 'priceSource,email' }, 'cloudblue', noSecrets))?.change).toEqual({ subscriptions: { integrations: { cloudblue: { priceSource: null, email: null } } } });
      expect((await subscriptionSettingsChange({ subscriptionsInherit: 'all' }, 'cloudblue', noSecrets))?.names).toHaveLength(9);
      await expect(subscriptionSettingsChange({ subscriptionsInherit: 'all' }, undefined, noSecrets)).rejects.toThrow(/goes with --integration/);
      await expect(subscriptionSettingsChange({ subscriptionsInherit: 'colour' }, 'cloudblue', noSecrets)).rejects.toThrow(/unknown setting\(s\) colour/);
      await expect(subscriptionSettingsChange({ subscriptionsInherit: 'notify', subscriptionsNotify: 'all' }, 'cloudblue', noSecrets)).rejects.toThrow(/contradicts/);
      await expect(subscriptionSettingsChange({ subscriptionsWebhook: true, subscriptionsNoWebhook: true }, 'cloudblue', noSecrets)).rejects.toThrow(/contradict/);
      await expect(subscriptionSettingsChange({ subscriptionsFirstCheckDays: '0' }, 'cloudblue', noSecrets)).rejects.toThrow(/positive whole number/);
    });
  });
});

describe('settings JSON on the command line (--set, --settings)', () => {
  it('is refused when it carries a secret, which is never echoed; other settings and removals pass', () => {
    const smtp = '{"subscriptions":{"email":{"to":["ops@msp.example"],"smtpUrl":"smtp://mailer:hunter2@smtp.msp.example:587"}}}';
    const refused = (() => {
      try {
        settingsFromArgv(smtp, '--set');
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(refused).toMatch(/^--set carries subscriptions\.email\.smtpUrl: a secret never goes on the command line/);
    expect(refused).toContain('$BRIDGE_SMTP_URL');
    expect(refused).not.toContain('hunter2');
    expect(() => settingsFromArgv('{"subscriptions":{"webhookUrl":"https://hooks.example/T0/s3cr3t"}}', '--settings')).toThrow(/--settings carries subscriptions\.webhookUrl.*\$BRIDGE_WEBHOOK_URL/);
    expect(settingsFromArgv('{"subscriptions":{"webhookUrl":false,"email":null},"productSync":{"schedule":{"hour":3}}}', '--set')).toEqual({ subscriptions: { webhookUrl: false, email: null }, productSync: { schedule: { hour: 3 } } });
    expect(() => settingsFromArgv('{"productSync":', '--set')).toThrow(/^--set: not JSON/);
    expect(() => settingsFromArgv('[1]', '--set')).toThrow(/expected a JSON object/);
  });
});
