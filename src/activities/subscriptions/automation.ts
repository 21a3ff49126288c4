// What Subscription Sync's workflows need from the connector's settings before they start work: whether
// tasks are created and processed without an operator (workflows cannot read the database themselves).
import type { SubscriptionSettings } from '../../connector/settings';
import type { ConnectorStore } from '../../connector/store';

export function automationActivities(deps: { connectors: ConnectorStore }) {
  return {
    /** `off`: a scheduled Check Changes does nothing and tasks wait for the operator (`tasks sync`). */
    async subscriptionAutomation({ connectorId }: { connectorId: string }): Promise<{ automatic: SubscriptionSettings['automatic'] }> {
      const connector = await deps.connectors.get(connectorId);
      return { automatic: connector.settings.subscriptions.automatic };
    },
  };
}
