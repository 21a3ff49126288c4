// Notifications leave the engine for real: a local SMTP server (smtp-server) receives the e-mail and a
// local HTTP server the webhook; both are read back. Levels follow `settings.subscriptions.notify`, and a
// failing delivery is written to the action log (credentials redacted), never thrown at the caller.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { actionLog } from '../../db/schema/action-log';
import { parseSettings, type SubscriptionSettings } from '../../src/connector/settings';
import type { Connector } from '../../src/connector/store';
import { createNotifier, type Notification } from '../../src/notifications';
import { redactUrl } from '../../src/notifications/redact';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { testDatabases } from '../helpers/db';

interface Mail { from: string; to: string[]; raw: string }

/** A local SMTP server: accepts any login, keeps every message; `reject` makes it refuse mail. */
async function startSmtp(options: { reject?: string } = {}) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'any' }),
    onRcptTo: (address, _session, cb) => (options.reject ? cb(new Error(options.reject)) : cb()),
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A local webhook receiver; answers `status`. */
async function startWebhook(status = 200) {
  const bodies: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      bodies.push({ contentType: req.headers['content-type'], path: req.url, body: JSON.parse(raw) });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'invalid_token');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { bodies, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const db = testDatabases()[0]!; // PGlite: the action log is all the database this needs

describe('notifications', () => {
  let database: Database;
  let store: SubscriptionStore;
  let settings: Partial<SubscriptionSettings> = {};
  const connectors = { get: async (id: string) => ({ id, settings: parseSettings({ subscriptions: settings }) }) as Connector };

  beforeAll(async () => {
    database = await db.open();
    store = new SubscriptionStore(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  const logOf = async (connectorId: string) =>
    database.db.select().from(actionLog).where(eq(actionLog.connectorId, connectorId)).orderBy(actionLog.id);

  const note = (connectorId: string, level: Notification['level'], title = `${level} title`): Notification => ({
    connectorId, level, title, message: `${level} happened`, details: { taskId: 'T-1' }, workflowId: 'subscription-task/x/y/T-1',
  });

  it('e-mails and posts the webhook for errors and actions; info stays in the action log under "errors"', async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook();
    try {
      settings = {
        notify: 'errors',
        email: { to: ['ops@example.com', 'billing@example.com'], from: 'bridge@example.com', smtpUrl: `smtp://127.0.0.1:${smtp.port}` },
        webhookUrl: `http://127.0.0.1:${hook.port}/hooks/abc`,
      };
      const notifier = createNotifier({ connectors, subscriptions: store });
      await notifier.notify(note('c1', 'error', 'Task T-1 failed'));
      await notifier.notify(note('c1', 'action', 'Task T-2 needs a customer'));
      await notifier.notify(note('c1', 'info', 'Task T-3 synced'));

      expect(smtp.mails).toHaveLength(2);
      expect(smtp.mails[0]!.from).toBe('bridge@example.com');
      expect(smtp.mails[0]!.to).toEqual(['ops@example.com', 'billing@example.com']);
      expect(smtp.mails[0]!.raw).toContain('Subject: [autotask-bridge c1] Error: Task T-1 failed');
      expect(smtp.mails[0]!.raw).toContain('error happened');
      expect(smtp.mails[1]!.raw).toContain('Action required: Task T-2 needs a customer');
      expect(smtp.mails.some((m) => m.raw.includes('T-3'))).toBe(false);

      expect(hook.bodies).toHaveLength(2);
      expect(hook.bodies[0]).toEqual({
        contentType: 'application/json',
        path: '/hooks/abc',
        body: { text: 'Task T-1 failed: error happened', title: 'Task T-1 failed', level: 'error', connectorId: 'c1', details: { taskId: 'T-1' }, workflowId: 'subscription-task/x/y/T-1' },
      });
      expect((hook.bodies[1]!.body as { level: string }).level).toBe('action');

      // The action log has all three, including the info one that was not sent anywhere.
      const log = await logOf('c1');
      expect(log.map((r) => r.kind)).toEqual(['notification.error', 'notification.action', 'notification.info']);
      expect(log[2]!.message).toBe('Task T-3 synced: info happened');
      expect(log[2]!.workflowId).toBe('subscription-task/x/y/T-1');
    } finally {
      await smtp.close();
      await hook.close();
    }
  });

  it('sends everything under "all", and nothing but the action log without channels', async () => {
    const smtp = await startSmtp();
    try {
      settings = { notify: 'all', email: { to: ['ops@example.com'], from: 'bridge@example.com', smtpUrl: `smtp://127.0.0.1:${smtp.port}` } };
      await createNotifier({ connectors, subscriptions: store }).notify(note('c2', 'info', 'Task T-9 synced'));
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]!.raw).toContain('Info: Task T-9 synced');

      settings = { notify: 'all' };
      await createNotifier({ connectors, subscriptions: store }).notify(note('c2', 'error', 'Task T-10 failed'));
      expect(smtp.mails).toHaveLength(1);
      expect((await logOf('c2')).map((r) => r.kind)).toEqual(['notification.info', 'notification.error']);
    } finally {
      await smtp.close();
    }
  });

  it('logs a refusing SMTP server, an unreachable one and a failing webhook without throwing or leaking credentials', async () => {
    const smtp = await startSmtp({ reject: 'mailbox unavailable' });
    const hook = await startWebhook(403);
    const closed = await startSmtp();
    await closed.close(); // a port nobody listens on any more
    try {
      settings = {
        notify: 'errors',
        email: { to: ['ops@example.com'], from: 'bridge@example.com', smtpUrl: `smtp://mailer:s3cr3t-pw@127.0.0.1:${smtp.port}` },
        webhookUrl: `http://127.0.0.1:${hook.port}/webhookb2/T0KEN-SECRET/IncomingWebhook`,
      };
      const notifier = createNotifier({ connectors, subscriptions: store, timeoutMs: 3000 });
      await expect(notifier.notify(note('c3', 'error', 'Task T-4 failed'))).resolves.toBeUndefined();
      expect(smtp.mails).toHaveLength(0);
      expect(hook.bodies).toHaveLength(1);

      settings = { notify: 'errors', email: { to: ['ops@example.com'], from: 'b@example.com', smtpUrl: `smtp://mailer:s3cr3t-pw@127.0.0.1:${closed.port}` } };
      await expect(notifier.notify(note('c3', 'action', 'Task T-5 waits'))).resolves.toBeUndefined();

      const log = await logOf('c3');
      const failed = log.filter((r) => r.kind === 'notification.failed');
      expect(failed).toHaveLength(3);
      const email = failed.filter((r) => (r.details as { channel: string }).channel === 'email');
      expect(email).toHaveLength(2);
      expect(email[0]!.message).toMatch(/mailbox unavailable/);
      expect(email[1]!.message).toMatch(/ECONNREFUSED|connect/i);
      expect((email[0]!.details as { smtp: string }).smtp).toBe(`smtp://***@127.0.0.1:${smtp.port}`);
      const webhook = failed.find((r) => (r.details as { channel: string }).channel === 'webhook')!;
      expect(webhook.message).toMatch(/HTTP 403/);
      const all = JSON.stringify(log);
      expect(all).not.toContain('s3cr3t-pw');
      expect(all).not.toContain('T0KEN-SECRET');
    } finally {
      await smtp.close();
      await hook.close();
    }
  });

  it('still logs when the connector cannot be read, and never throws when the action log itself fails', async () => {
    const notifier = createNotifier({ connectors: { get: async () => Promise.reject(new Error('No connector "gone"')) }, subscriptions: store });
    await notifier.notify(note('gone', 'error'));
    expect((await logOf('gone')).map((r) => r.kind)).toEqual(['notification.error', 'notification.failed']);

    const broken = createNotifier({ connectors, subscriptions: { log: async () => Promise.reject(new Error('database down')) } });
    settings = { notify: 'errors' };
    await expect(broken.notify(note('c4', 'error'))).resolves.toBeUndefined();
  });

  it('redacts user info from SMTP URLs and the secret path of webhook URLs', () => {
    expect(redactUrl('smtps://user:pw@mail.example.com:465')).toBe('smtps://***@mail.example.com:465');
    expect(redactUrl('https://hooks.slack.com/services/T00/B00/XXXX')).toBe('https://hooks.slack.com/services/…');
    expect(redactUrl('https://example.com/hook?token=abc')).toBe('https://example.com/hook');
    expect(redactUrl('not a url')).toBe('(unparseable URL)');
  });
});
