// E-mail over SMTP (nodemailer). One transport per send: notifications are rare, and a fresh
// connection means a changed smtpUrl takes effect at once.
import nodemailer from 'nodemailer';
import type { SubscriptionSettings } from '../connector/settings';
import type { Notification } from './index';

export type EmailSettings = NonNullable<SubscriptionSettings['email']>;

const LEVEL_LABEL = { error: 'Error', action: 'Action required', info: 'Info' } as const;

export function emailSubject(n: Notification): string {
  return `[autotask-bridge ${n.connectorId}] ${LEVEL_LABEL[n.level]}: ${n.title}`;
}

export function emailText(n: Notification): string {
  const lines = [n.message, '', `Connector: ${n.connectorId}`];
  if (n.workflowId) lines.push(`Workflow: ${n.workflowId}`);
  if (n.details && Object.keys(n.details).length) lines.push('', JSON.stringify(n.details, null, 2));
  return lines.join('\n');
}

export async function sendEmail(settings: EmailSettings, n: Notification, timeoutMs: number): Promise<void> {
  const transport = nodemailer.createTransport(settings.smtpUrl, {
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  } as nodemailer.TransportOptions);
  try {
    await transport.sendMail({ from: settings.from, to: settings.to, subject: emailSubject(n), text: emailText(n) });
  } finally {
    transport.close();
  }
}
