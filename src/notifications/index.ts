// Notifications of Subscription Sync (seed 004's "Notification level"): every one goes to the action
// log; e-mail (SMTP, nodemailer) and a JSON webhook (Teams/Slack style) follow the Subscription Sync
// settings of the notification's integration (its own values over the connector's `settings.subscriptions`)
// — `errors` sends errors and actions required only, `all` everything.
// Delivery never fails the caller: a failed delivery is written to the action log with its reason.
import type { ConnectorStore } from '../connector/store';
import type { SubscriptionSettings } from '../connector/settings';
import { subscriptionSettingsFor } from '../subscriptions/settings';
import type { SubscriptionStore } from '../subscriptions/store';
import { sendEmail } from './email';
import { redactUrl, reasonOf } from './redact';
import { postWebhook } from './webhook';

export type NotificationLevel = 'error' | 'action' | 'info';

export interface Notification {
  connectorId: string;
  /** The marketplace integration it is about: its settings decide where it goes (else the connector's). */
  integrationId?: string;
  level: NotificationLevel;
  title: string;
  message: string;
  details?: Record<string, unknown>;
  workflowId?: string;
}

export interface Notifier {
  notify(n: Notification): Promise<void>;
}

/** Whether a notification of this level leaves the action log (e-mail/webhook) under this setting. */
export function shouldDeliver(level: NotificationLevel, notify: SubscriptionSettings['notify']): boolean {
  return notify === 'all' || level === 'error' || level === 'action';
}

export interface NotifierDeps {
  connectors: Pick<ConnectorStore, 'get'>;
  subscriptions: Pick<SubscriptionStore, 'log'>;
  /** Per-delivery timeout (ms); a hung SMTP server or webhook never holds an activity for long. */
  timeoutMs?: number;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const log = async (n: Notification, kind: string, message: string, details: Record<string, unknown>) => {
    try {
      await deps.subscriptions.log(n.connectorId, kind, message, details, n.workflowId);
    } catch {
      // The action log is the last resort: nothing left to tell.
    }
  };

  return {
    async notify(n) {
      await log(n, `notification.${n.level}`, `${n.title}: ${n.message}`, { title: n.title, level: n.level, ...(n.details ?? {}) });
      let settings: SubscriptionSettings;
      try {
        settings = subscriptionSettingsFor((await deps.connectors.get(n.connectorId)).settings, n.integrationId);
      } catch (err) {
        await log(n, 'notification.failed', `Notification "${n.title}" not delivered: the connector's settings could not be read (${reasonOf(err)})`, { title: n.title });
        return;
      }
      if (!shouldDeliver(n.level, settings.notify)) return;

      const deliveries: Array<Promise<void>> = [];
      if (settings.email) {
        const email = settings.email;
        deliveries.push(
          sendEmail(email, n, timeoutMs).catch((err) =>
            log(n, 'notification.failed', `E-mail "${n.title}" to ${email.to.join(', ')} via ${redactUrl(email.smtpUrl)} failed: ${reasonOf(err)}`, {
              channel: 'email', title: n.title, to: email.to, smtp: redactUrl(email.smtpUrl), reason: reasonOf(err),
            }),
          ),
        );
      }
      if (settings.webhookUrl) {
        const url = settings.webhookUrl;
        deliveries.push(
          postWebhook(url, n, timeoutMs).catch((err) =>
            log(n, 'notification.failed', `Webhook "${n.title}" to ${redactUrl(url)} failed: ${reasonOf(err)}`, {
              channel: 'webhook', title: n.title, url: redactUrl(url), reason: reasonOf(err),
            }),
          ),
        );
      }
      await Promise.all(deliveries);
    },
  };
}
