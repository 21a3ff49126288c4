// Client pieces for recurring-service contracts and company webhooks that the generic resources
// don't cover: a create-only child (ContractServiceAdjustments cannot be queried, read or updated
// [D:REST/Entities/ContractServiceAdjustmentsEntity.htm]), deletable webhook resources ([S]
// DELETE /CompanyWebhooks/{id} and /CompanyWebhooks/{parentId}/{Child}/{id}), and verification of
// the deliveries Autotask signs (`X-Hook-Signature: sha1=<base64 HMAC-SHA1(secretKey, raw body)>`,
// notes/autotask-api.md §9: verify the raw bytes, never a re-serialised body, and fail closed).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AutotaskError } from './errors';
import { ChildResource, RootResource, type ResourceContext, type WriteBody } from './resource';
import { operationResultSchema } from './schemas/common';
import { webhookPayloadSchema, type WebhookPayload } from './schemas/customers';

/** A child entity that can only be created, through its parent (`POST /Contracts/{id}/ServiceAdjustments`). */
export class CreateOnlyChildResource<S extends z.ZodType<{ id: number }>> {
  constructor(
    private readonly ctx: ResourceContext,
    readonly entity: string,
    readonly schema: S,
    readonly parent: { entity: string; child: string; field: string },
  ) {}

  async create(parentId: number, body: WriteBody<z.infer<S>>): Promise<number> {
    if (!Number.isInteger(parentId) || parentId <= 0) throw new AutotaskError('validation', `${this.entity}: parent id must be a positive integer`, { field: this.parent.field });
    const full = { ...body, [this.parent.field]: body[this.parent.field] ?? parentId };
    if (this.ctx.checkWrites) await this.ctx.metadata.checkWrite(this.entity, 'create', full);
    const path = `${this.parent.entity}/${parentId}/${this.parent.child}`;
    const result = await this.ctx.transport.request({ method: 'POST', path, body: full, endpoint: this.entity, idempotent: false }, operationResultSchema);
    return result.itemId;
  }
}

/** A root entity that also has `DELETE /{Entity}/{id}` (CompanyWebhooks). */
export class DeletableRootResource<S extends z.ZodType<{ id: number }>> extends RootResource<S> {
  async delete(id: number): Promise<void> {
    await this.ctx.transport.request({ method: 'DELETE', path: `${this.entity}/${id}`, endpoint: this.entity, idempotent: true }, operationResultSchema);
  }
}

/** A child entity with `DELETE /{Parent}/{parentId}/{Child}/{id}` (a webhook's fields and excluded resources). */
export class DeletableChildResource<S extends z.ZodType<{ id: number }>> extends ChildResource<S> {
  async delete(parentId: number, id: number): Promise<void> {
    const path = `${this.parent.entity}/${parentId}/${this.parent.child}/${id}`;
    await this.ctx.transport.request({ method: 'DELETE', path, endpoint: this.entity, idempotent: true }, operationResultSchema);
  }
}

/**
 * Whether `signature` (the `X-Hook-Signature` header) is Autotask's signature of `rawBody` under
 * `secretKey`. False for a missing header or secret: an unsigned event is never trusted.
 */
export function verifyWebhookSignature(rawBody: string | Buffer, signature: string | string[] | undefined, secretKey: string | undefined): boolean {
  const header = Array.isArray(signature) ? signature[0] : signature;
  if (!header || !secretKey) return false;
  const given = Buffer.from(header.replace(/^sha1=/i, ''), 'utf8');
  const expected = Buffer.from(createHmac('sha1', secretKey).update(rawBody).digest('base64'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Verifies and parses a delivery; throws `auth` for a bad signature and `validation` for a body that isn't a payload. */
export function parseWebhookDelivery(rawBody: string | Buffer, signature: string | string[] | undefined, secretKey: string | undefined): WebhookPayload {
  if (!verifyWebhookSignature(rawBody, signature, secretKey)) throw new AutotaskError('auth', 'webhook delivery: the X-Hook-Signature does not match the body');
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString());
  } catch {
    throw new AutotaskError('validation', 'webhook delivery: the body is not JSON');
  }
  const parsed = webhookPayloadSchema.safeParse(json);
  if (!parsed.success) throw new AutotaskError('validation', `webhook delivery: ${parsed.error.issues[0]?.message ?? 'unexpected payload'}`);
  return parsed.data;
}
