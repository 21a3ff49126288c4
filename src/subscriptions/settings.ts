// The Subscription Sync settings one marketplace integration runs with: the connector's
// (`settings.subscriptions`), each value the integration sets itself winning over it
// (`settings.subscriptions.integrations[<integration id>]`). Every reader goes through here.
// Pure: the schedule (templates) and workflows may import it.
import type { ConnectorSettings, SubscriptionOverride, SubscriptionSettings } from '../connector/settings';

export type SubscriptionSettingName = keyof SubscriptionSettings;

/** The effective settings of `integrationId` (the connector's own without one). */
export function subscriptionSettingsFor(settings: Pick<ConnectorSettings, 'subscriptions'>, integrationId?: string | null): SubscriptionSettings {
  const { integrations, ...connector } = settings.subscriptions;
  const own = integrationId ? integrations[integrationId] : undefined;
  if (!own) return connector;
  const { email, webhookUrl, ...values } = own;
  const effective: SubscriptionSettings = { ...connector, ...definedOnly(values) };
  // `false`: none for this integration, whatever the connector says.
  if (email === false) delete effective.email;
  else if (email) effective.email = email;
  if (webhookUrl === false) delete effective.webhookUrl;
  else if (webhookUrl) effective.webhookUrl = webhookUrl;
  return effective;
}

/** Names of the values the integration sets itself (shown by `status` next to the effective values). */
export function subscriptionOverrides(settings: Pick<ConnectorSettings, 'subscriptions'>, integrationId: string): SubscriptionSettingName[] {
  const own: SubscriptionOverride = settings.subscriptions.integrations[integrationId] ?? {};
  return (Object.keys(own) as SubscriptionSettingName[]).filter((k) => own[k] !== undefined).sort();
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
