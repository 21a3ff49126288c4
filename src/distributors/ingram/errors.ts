// Classifies every Ingram answer that is not a 2xx into a DistributorError, once; the shared HTTP base
// (src/http/vendor-client.ts) calls it as its `classify` hook. Ingram answers with
// `{errors:[{id,type,message,fields}]}`; its Apigee gateway with `{fault:{faultstring,detail}}`.
import { kindForStatus, type FailureKind, type FieldError } from '../../failures';
import type { FailureContext } from '../../http/vendor-client';
import { DistributorError } from '../errors';
import { errorResponseSchema, gatewayFaultSchema } from './schemas';

export const DISTRIBUTOR = 'ingram';
export const VENDOR = 'Ingram Micro';

export function classifyIngramResponse(status: number, body: unknown, ctx: FailureContext, source = DISTRIBUTOR): DistributorError {
  const { vendorMessage, vendorCode, fieldErrors } = readIngramError(body);
  let kind: FailureKind = kindForStatus(status);
  // The spec's 405 for DELETE /orders/{n}: "Order can not be deleted as the order is not on hold".
  // Nothing we retry changes that; the order's state has to.
  if (ctx.operation.startsWith('DELETE ') && status === 405) kind = 'state';
  // A duplicate customerOrderNumber is not told apart here: Ingram's wording for it is not
  // documented. The adapter looks the PO number up after a refused create instead (adapter.ts).
  const fields = fieldErrors.slice(0, 5).map((f) => `${f.field}: ${f.message}`).join('; ');
  const text = truncate(`${vendorMessage ?? `HTTP ${status}`}${fields ? ` (${fields})` : ''}`);
  return new DistributorError(`${VENDOR} ${ctx.operation} failed (${status}): ${text}`, {
    kind,
    distributor: source,
    status,
    vendorCode,
    correlationId: ctx.correlationId,
    retryAfterMs: kind === 'rate_limited' ? ctx.retryAfterMs ?? 1000 : undefined,
    fieldErrors,
    operation: ctx.operation,
  });
}

/** A refused token request is a credentials problem whatever status the gateway picked (but 429 and 5xx). */
export function classifyTokenResponse(status: number, body: unknown, ctx: FailureContext, source = DISTRIBUTOR): DistributorError {
  if (status >= 500 || status === 429) return classifyIngramResponse(status, body, ctx, source);
  const { vendorCode } = readIngramError(body);
  return new DistributorError(`${VENDOR} OAuth token request was refused (${status}${vendorCode ? ` ${vendorCode}` : ''}); check the client id and secret.`, {
    kind: 'auth', distributor: source, status, vendorCode, correlationId: ctx.correlationId, operation: ctx.operation,
  });
}

function readIngramError(body: unknown): { vendorMessage?: string; vendorCode?: string; fieldErrors: FieldError[] } {
  const parsed = errorResponseSchema.safeParse(body);
  const errors = (parsed.success ? parsed.data.errors : undefined) ?? [];
  const fault = gatewayFaultSchema.safeParse(body);
  const fieldErrors: FieldError[] = [];
  for (const e of errors) {
    for (const f of e.fields ?? []) {
      fieldErrors.push({ field: f.field ?? '', message: f.message ?? '', ...(f.value !== undefined && f.value !== null ? { value: String(f.value) } : {}) });
    }
  }
  const first = errors[0];
  const vendorMessage = first?.message ?? (fault.success ? fault.data.fault?.faultstring ?? fault.data.Error ?? fault.data.message : undefined) ?? undefined;
  const vendorCode = first?.type ?? (fault.success ? fault.data.fault?.detail?.errorcode ?? fault.data.ErrorCode : undefined) ?? undefined;
  return { vendorMessage, vendorCode, fieldErrors };
}

function truncate(s: string, max = 500): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
