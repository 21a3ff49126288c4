// An Autotask API user. Every value here is a secret: never log it, never put it in a message.
export interface AutotaskCredentials {
  /** The API user's user name (an e-mail address); sent as `UserName`. */
  username: string;
  secret: string;
  /** The integration's tracking identifier; sent as `ApiIntegrationCode`. */
  integrationCode: string;
  /** Resource to act as on writes (`ImpersonationResourceId`). */
  impersonationResourceId?: number;
}

export function authHeaders(c: AutotaskCredentials): Record<string, string> {
  const headers: Record<string, string> = { ApiIntegrationCode: c.integrationCode, UserName: c.username, Secret: c.secret };
  if (c.impersonationResourceId !== undefined) headers.ImpersonationResourceId = String(c.impersonationResourceId);
  return headers;
}

/** Replaces every credential value found in `text` (e.g. an upstream error message) with `[redacted]`. */
export function scrub(text: string, c: AutotaskCredentials | undefined): string {
  if (!c) return text;
  let out = text;
  for (const value of [c.secret, c.username, c.integrationCode, encodeURIComponent(c.username)]) {
    if (value && value.length >= 3) out = out.split(value).join('[redacted]');
  }
  return out;
}
