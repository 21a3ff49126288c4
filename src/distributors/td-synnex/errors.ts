// Classifies every TD SYNNEX failure into the engine's failure vocabulary, once. EC Express answers
// errors as XML carrying `errorResponse` / `errorDetail` — with HTTP 200 as far as peers' clients show
// (they test the body, not the status) [unverified]; gateways answer 4xx/5xx with anything at all.
// Messages name the operation and TD SYNNEX's text only: never the request (it holds the password).
import { BridgeError, kindForStatus, type FailureKind } from '../../failures';
import type { FailureContext } from '../../http/vendor-client';
import { errorContentSchema } from './schemas';
import { MalformedXmlError, parseXml, root } from './xml';

export const VENDOR = 'TD SYNNEX';

/** `errorResponse`/`errorDetail` text of an answer's root, if it is an error answer. */
export function errorText(content: Record<string, unknown>): { summary: string; detail: string } | null {
  const e = errorContentSchema.safeParse(content);
  if (!e.success) return null;
  const { errorresponse, errordetail, errormessage } = e.data;
  if (errorresponse === undefined && errordetail === undefined && errormessage === undefined) return null;
  return { summary: (errorresponse ?? '').trim(), detail: (errordetail ?? errormessage ?? '').trim() };
}

/** Kind from TD SYNNEX's words: log-in failures are `auth`, authorisation `permission`, the rest the request's fault. */
export function kindForText(text: string, fallback: FailureKind): FailureKind {
  if (/log ?in|logon|password|credential|authenticat|invalid user/i.test(text)) return 'auth';
  if (/not authori[sz]ed|permission|not allowed|access denied|not enabled/i.test(text)) return 'permission';
  if (/try again|temporar|unavailable|timeout|busy/i.test(text)) return 'transient';
  return fallback;
}

/** A 2xx answer whose body is an error document. */
export function errorAnswer(error: { summary: string; detail: string }, ctx: { operation: string; correlationId?: string; status?: number }, source: string): BridgeError {
  const said = [error.summary, error.detail].filter(Boolean).join(': ').slice(0, 300);
  const kind = kindForText(said, 'validation');
  const hint = kind === 'auth' ? ' Check the EC Express XML user name and password (no extra spaces) and the customer number.' : '';
  return new BridgeError(kind, `${VENDOR} ${ctx.operation} refused: ${said || 'no reason given'}.${hint}`, {
    source, operation: ctx.operation, status: ctx.status, correlationId: ctx.correlationId, vendorCode: error.summary || undefined, details: said ? [said] : [],
  });
}

/** The VendorClient `classify` hook: a non-2xx answer → BridgeError. */
export function classifyTdSynnex(status: number, body: unknown, ctx: FailureContext, source: string): BridgeError {
  let said = '';
  if (typeof body === 'string' && body.trim()) {
    try {
      const err = errorText(root(parseXml(body)).content);
      said = err ? [err.summary, err.detail].filter(Boolean).join(': ') : '';
    } catch (e) {
      if (!(e instanceof MalformedXmlError)) throw e;
      // An HTML error page or plain text from a gateway: its status says enough.
    }
  }
  said = said.slice(0, 300);
  let kind: FailureKind = kindForStatus(status);
  if (status === 400 || status === 422) kind = kindForText(said, 'validation');
  return new BridgeError(kind, `${VENDOR} ${ctx.operation} failed (${status})${said ? `: ${said}` : ''}`, {
    source, operation: ctx.operation, status, correlationId: ctx.correlationId, retryAfterMs: ctx.retryAfterMs, details: said ? [said] : [],
  });
}
