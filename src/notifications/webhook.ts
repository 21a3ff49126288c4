// A JSON webhook, Teams/Slack style: both accept `{ text }` (Slack incoming webhooks, Teams
// workflow/connector webhooks); the other fields are for receivers that read structured data.
import type { Notification } from './index';

export interface WebhookBody {
  text: string;
  title: string;
  level: Notification['level'];
  connectorId: string;
  details: Record<string, unknown>;
  workflowId?: string;
}

export function webhookBody(n: Notification): WebhookBody {
  return {
    text: `${n.title}: ${n.message}`,
    title: n.title,
    level: n.level,
    connectorId: n.connectorId,
    details: n.details ?? {},
    ...(n.workflowId ? { workflowId: n.workflowId } : {}),
  };
}

export async function postWebhook(url: string, n: Notification, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(webhookBody(n)),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Slack answers "ok", Teams 200/202: any 2xx is delivered. The body is read so the socket is freed.
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? ` ${text.slice(0, 200)}` : ''}`);
}
