// What Subscription Sync's workflows need from the settings before they start work: whether tasks are
// created and processed without an operator (workflows cannot read the database themselves); and
// `subscriptions status` / `status`: the seed's Settings dialog as one integration runs with it (its own
// values over the connector's, credentials redacted) and the tasks by state.
import type { SubscriptionSettings } from '../../connector/settings';
import type { ConnectorStore } from '../../connector/store';
import { redactUrl } from '../../notifications/redact';
import { subscriptionOverrides, subscriptionSettingsFor } from '../../subscriptions/settings';
import type { IntegrationScope, SubscriptionStore } from '../../subscriptions/store';
import type { SubscriptionStatusView } from '../../subscriptions/views';

/** The settings as they may be shown: the SMTP and webhook URLs without their credentials. */
export function shownSubscriptionSettings(s: SubscriptionSettings): SubscriptionSettings {
  return { ...s, ...(s.email ? { email: { ...s.email, smtpUrl: redactUrl(s.email.smtpUrl) } } : {}), ...(s.webhookUrl ? { webhookUrl: redactUrl(s.webhookUrl) } : {}) };
}

export function automationActivities(deps: { connectors: ConnectorStore; subscriptions: SubscriptionStore }) {
  return {
    async subscriptionStatus(scope: IntegrationScope): Promise<SubscriptionStatusView> {
      const { settings } = await deps.connectors.get(scope.connectorId);
      const [tasks, cursor] = await Promise.all([deps.subscriptions.taskCounts(scope), deps.subscriptions.cursor(scope)]);
      return {
        settings: shownSubscriptionSettings(subscriptionSettingsFor(settings, scope.integrationId)),
        overrides: subscriptionOverrides(settings, scope.integrationId),
        tasks,
        lastCheckAt: cursor?.checkedAt?.toISOString() ?? null,
      };
    },

    /** `off`: a scheduled Check Changes does nothing and tasks wait for the operator (`tasks sync`). */
    async subscriptionAutomation({ connectorId, integrationId }: { connectorId: string; integrationId?: string }): Promise<{ automatic: SubscriptionSettings['automatic'] }> {
      const connector = await deps.connectors.get(connectorId);
      return { automatic: subscriptionSettingsFor(connector.settings, integrationId).automatic };
    },
  };
}
