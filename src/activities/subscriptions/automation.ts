// What Subscription Sync's workflows need from the connector's settings before they start work: whether
// tasks are created and processed without an operator (workflows cannot read the database themselves);
// and `subscriptions status`: the seed's Settings dialog and the tasks by state.
import type { SubscriptionSettings } from '../../connector/settings';
import type { ConnectorStore } from '../../connector/store';
import { redactUrl } from '../../notifications/redact';
import type { IntegrationScope, SubscriptionStore } from '../../subscriptions/store';
import type { SubscriptionStatusView } from '../../subscriptions/views';

export function automationActivities(deps: { connectors: ConnectorStore; subscriptions: SubscriptionStore }) {
  return {
    async subscriptionStatus(scope: IntegrationScope): Promise<SubscriptionStatusView> {
      const { settings } = await deps.connectors.get(scope.connectorId);
      const s = settings.subscriptions;
      const shown: SubscriptionSettings = { ...s, ...(s.email ? { email: { ...s.email, smtpUrl: redactUrl(s.email.smtpUrl) } } : {}), ...(s.webhookUrl ? { webhookUrl: redactUrl(s.webhookUrl) } : {}) };
      const [tasks, cursor] = await Promise.all([deps.subscriptions.taskCounts(scope), deps.subscriptions.cursor(scope)]);
      return { settings: shown, tasks, lastCheckAt: cursor?.checkedAt?.toISOString() ?? null };
    },

    /** `off`: a scheduled Check Changes does nothing and tasks wait for the operator (`tasks sync`). */
    async subscriptionAutomation({ connectorId }: { connectorId: string }): Promise<{ automatic: SubscriptionSettings['automatic'] }> {
      const connector = await deps.connectors.get(connectorId);
      return { automatic: connector.settings.subscriptions.automatic };
    },
  };
}
