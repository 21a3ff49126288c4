// The signature a webhook export target checks: `X-Bridge-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, "<t>.<raw body>")>` (Stripe's scheme: the timestamp is signed too, so a
// captured delivery cannot be replayed later with a new time). Shared by the client and its simulator.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Bridge-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signDelivery(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** Whether `header` signs `body` under `secret` and is at most `toleranceSeconds` old; false for anything missing. */
export function verifyDelivery(secret: string, body: string, header: string | string[] | undefined, nowSeconds: number, toleranceSeconds = 300): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !secret) return false;
  const parts = Object.fromEntries(value.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signDelivery(secret, body, t).split('v1=')[1], 'utf8');
  const given = Buffer.from(parts.v1, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
