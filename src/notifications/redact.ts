// Delivery failures are logged: their URLs and reasons must not carry credentials
// (smtp://user:password@host, webhook URLs whose path or query is the secret token).

/** The URL with user info and query removed, and a webhook path shortened to its first segment. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const auth = u.username || u.password ? '***@' : '';
    const isSmtp = u.protocol.startsWith('smtp');
    // Teams/Slack webhook URLs carry their secret in the path: keep only the first segment.
    const path = isSmtp ? '' : u.pathname.split('/').filter(Boolean).length > 1 ? `/${u.pathname.split('/').filter(Boolean)[0]}/…` : u.pathname;
    return `${u.protocol}//${auth}${u.host}${path === '/' ? '' : path}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** An error's message, with anything URL-shaped redacted (nodemailer and fetch may quote the URL). */
export function reasonOf(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  // fetch says only "fetch failed": the reason (ECONNREFUSED, a timeout…) is its cause.
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause && (cause.code || cause.message)) message += ` (${cause.code ?? cause.message})`;
  return message.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (m) => redactUrl(m)).slice(0, 500);
}
