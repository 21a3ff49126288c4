// Classifies every Ingram failure into a DistributorError, once. Ingram answers with
// `{errors:[{id,type,message,fields}]}`; its Apigee gateway with `{fault:{faultstring,detail}}`.
import { DistributorError, kindForStatus, type DistributorErrorKind, type FieldError } from '../errors';
import { errorResponseSchema, gatewayFaultSchema } from './schemas';

export const DISTRIBUTOR = 'ingram';

export interface FailureContext {
  operation: string;
  correlationId?: string;
  retryAfterMs?: number;
}

const DUPLICATE_PO = /duplicate|already exists/i;

export function classifyIngramResponse(status: number, body: unknown, ctx: FailureContext): DistributorError {
  const parsed = errorResponseSchema.safeParse(body);
  const first = parsed.success ? parsed.data.errors?.[0] : undefined;
  const fault = gatewayFaultSchema.safeParse(body);
  const fieldErrors: FieldError[] = [];
  for (const e of (parsed.success ? parsed.data.errors : undefined) ?? []) {
    for (const f of e.fields ?? []) {
      fieldErrors.push({ field: f.field ?? '', message: f.message ?? '', ...(f.value !== undefined && f.value !== null ? { value: String(f.value) } : {}) });
    }
  }
  const vendorMessage =
    first?.message ??
    (fault.success ? fault.data.fault?.faultstring ?? fault.data.Error ?? fault.data.message : undefined) ??
    undefined;
  const vendorCode =
    first?.type ?? (fault.success ? fault.data.fault?.detail?.errorcode ?? fault.data.ErrorCode : undefined) ?? undefined;

  let kind: DistributorErrorKind = kindForStatus(status);
  if (status === 400 || status === 409) {
    const duplicate =
      fieldErrors.some((f) => /customerOrderNumber/i.test(f.field) && DUPLICATE_PO.test(f.message)) ||
      (vendorMessage !== undefined && /customer ?order ?number/i.test(vendorMessage) && DUPLICATE_PO.test(vendorMessage));
    if (duplicate) kind = 'duplicate';
  }
  // Ingram refuses to cancel an order that is not on customer hold: retrying will not help.
  if (ctx.operation.startsWith('DELETE ') && (status === 400 || status === 405)) kind = 'permanent';
  const text = truncate(vendorMessage ?? `HTTP ${status}`);
  return new DistributorError(`Ingram ${ctx.operation} failed (${status}): ${text}`, {
    kind,
    distributor: DISTRIBUTOR,
    status,
    vendorCode: vendorCode ?? undefined,
    correlationId: ctx.correlationId,
    retryAfterMs: kind === 'rate_limited' ? ctx.retryAfterMs ?? 1000 : undefined,
    fieldErrors,
    operation: ctx.operation,
  });
}

const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * A request that got no HTTP answer. For a non-idempotent call the outcome is unknown unless
 * the connection was never made. The cause is copied without the request options (they hold
 * the bearer token or, for the token call, the client secret).
 */
export function classifyTransportError(err: unknown, ctx: FailureContext & { idempotent: boolean }): DistributorError {
  const e = err as { code?: string; name?: string; message?: string; stack?: string };
  const code = e?.code ?? e?.name ?? 'ERR';
  const cause = Object.assign(new Error(e?.message ?? String(err)), { name: e?.name ?? 'Error', code });
  if (e?.stack) cause.stack = e.stack;
  return new DistributorError(`Ingram ${ctx.operation} got no response (${code})`, {
    kind: 'transient',
    distributor: DISTRIBUTOR,
    vendorCode: code,
    correlationId: ctx.correlationId,
    outcomeUnknown: !ctx.idempotent && !UNSENT.has(code),
    operation: ctx.operation,
    cause,
  });
}

function truncate(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
