// One Autotask entity: queries, get, count, paging and writes. Resources only declare their entity
// name, schema and (for children) parent path; everything else is shared here.
import { z } from 'zod';
import type { MetadataCache, WriteMode } from './metadata';
import { pageById, type Page, type PageOptions } from './pager';
import { countUdfFilters, queryModel, type Filter, type QueryModel } from './query';
import { toAutotaskDates } from './dates';
import { AutotaskError } from './errors';
import { countResultSchema, itemResultSchema, operationResultSchema, queryResultSchema, type PageDetails } from './schemas/common';
import type { Transport } from './transport';

export interface ResourceContext {
  transport: Transport;
  metadata: MetadataCache;
  /** Check writes against entityInformation/fields before sending (default true). */
  checkWrites: boolean;
}

export interface QueryOptions {
  includeFields?: string[];
  /** 1..500 */
  maxRecords?: number;
}

export interface QueryPage<T> {
  items: T[];
  pageDetails: PageDetails;
}

export interface CreateOptions {
  /**
   * Looks up the record this create makes (by a unique key such as the SKU), returning its id or
   * null. Given it, a create whose answer was lost (reset, timeout, gateway error) is checked and
   * retried without creating twice; without it, such a create fails with `outcome_unknown`.
   */
  recover?: () => Promise<number | null>;
}

/** Records as sent on writes: any subset of the entity's fields. */
export type WriteBody<T> = Partial<Omit<T, 'id'>> & Record<string, unknown>;

export class EntityResource<S extends z.ZodType<{ id: number }>> {
  private readonly pageSchema;
  private readonly itemSchema;

  constructor(protected readonly ctx: ResourceContext, readonly entity: string, readonly schema: S) {
    this.pageSchema = queryResultSchema(schema);
    this.itemSchema = itemResultSchema(schema);
  }

  /** One page (up to `maxRecords`, at most 500) of records matching `filter`. */
  async query(filter?: Filter | Filter[], options: QueryOptions = {}): Promise<QueryPage<z.infer<S>>> {
    return this.runQuery(queryModel(filter, options));
  }

  /** Follows a `nextPageUrl`: POSTed with the same body, and only to the zone's own host. */
  async queryNext(nextPageUrl: string, filter?: Filter | Filter[], options: QueryOptions = {}): Promise<QueryPage<z.infer<S>>> {
    const body = queryModel(filter, options);
    return this.ctx.transport.request({ method: 'POST', url: nextPageUrl, body, endpoint: this.entity, idempotent: true }, this.pageSchema) as Promise<QueryPage<z.infer<S>>>;
  }

  async count(filter?: Filter | Filter[]): Promise<number> {
    const body = queryModel(filter);
    this.checkQuery(body);
    const result = await this.ctx.transport.request({ method: 'POST', path: `${this.entity}/query/count`, body, endpoint: this.entity, idempotent: true }, countResultSchema);
    return result.queryCount;
  }

  /** The record, or null when Autotask says it does not exist. */
  async get(id: number): Promise<z.infer<S> | null> {
    try {
      const result = await this.ctx.transport.request({ method: 'GET', path: `${this.entity}/${id}`, endpoint: this.entity, idempotent: true }, this.itemSchema);
      return ((result as { item?: unknown }).item ?? null) as z.infer<S> | null;
    } catch (err) {
      if (err instanceof AutotaskError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  /** Walks every matching record by id; see pager.ts. */
  pages(options: PageOptions = {}): AsyncGenerator<Page<z.infer<S>>, void, undefined> {
    return pageById((body) => this.runQuery(body), options);
  }

  async *all(options: PageOptions = {}): AsyncGenerator<z.infer<S>, void, undefined> {
    for await (const page of this.pages(options)) yield* page.items;
  }

  protected async runQuery(body: QueryModel): Promise<QueryPage<z.infer<S>>> {
    this.checkQuery(body);
    return this.ctx.transport.request({ method: 'POST', path: `${this.entity}/query`, body, endpoint: this.entity, idempotent: true }, this.pageSchema) as Promise<QueryPage<z.infer<S>>>;
  }

  protected async write(method: 'POST' | 'PATCH' | 'PUT', path: string, mode: WriteMode, body: Record<string, unknown>, options: CreateOptions = {}): Promise<number> {
    if (this.ctx.checkWrites) await this.ctx.metadata.checkWrite(this.entity, mode, body);
    // PATCH/PUT send the same values again, so the transport may repeat them; a create only with `recover`.
    const result = await this.ctx.transport.request({ method, path, body: toAutotaskDates(body), endpoint: this.entity, idempotent: method !== 'POST', recover: options.recover }, operationResultSchema);
    return result.itemId;
  }

  private checkQuery(body: QueryModel): void {
    if (body.maxRecords !== undefined && (body.maxRecords < 1 || body.maxRecords > 500)) {
      throw new AutotaskError('validation', `${this.entity} query: maxRecords must be 1..500`, { field: 'maxRecords' });
    }
    if (countUdfFilters(body.filter) > 1) throw new AutotaskError('validation', `${this.entity} query: Autotask allows one user-defined field per query`, { field: 'filter' });
  }
}

/** An entity written at its own collection path (`POST/PATCH/PUT /Products`). */
export class RootResource<S extends z.ZodType<{ id: number }>> extends EntityResource<S> {
  /** Creates the record and returns its id. */
  create(body: WriteBody<z.infer<S>>, options?: CreateOptions): Promise<number> {
    return this.write('POST', this.entity, 'create', body, options);
  }

  /** PATCH: changes only the given fields. */
  update(body: WriteBody<z.infer<S>> & { id: number }): Promise<number> {
    return this.write('PATCH', this.entity, 'update', body);
  }

  /** PUT: Autotask sets every writable field you leave out to null or its default. */
  replace(body: WriteBody<z.infer<S>> & { id: number }): Promise<number> {
    return this.write('PUT', this.entity, 'replace', body);
  }
}

/** A child entity: queried at its root (`/ProductVendors/query`), written through its parent. */
export class ChildResource<S extends z.ZodType<{ id: number }>> extends EntityResource<S> {
  constructor(ctx: ResourceContext, entity: string, schema: S, readonly parent: { entity: string; child: string; field: string }) {
    super(ctx, entity, schema);
  }

  create(parentId: number, body: WriteBody<z.infer<S>>, options?: CreateOptions): Promise<number> {
    return this.write('POST', this.childPath(parentId), 'create', { ...body, [this.parent.field]: body[this.parent.field] ?? parentId }, options);
  }

  update(parentId: number, body: WriteBody<z.infer<S>> & { id: number }): Promise<number> {
    return this.write('PATCH', this.childPath(parentId), 'update', body);
  }

  replace(parentId: number, body: WriteBody<z.infer<S>> & { id: number }): Promise<number> {
    return this.write('PUT', this.childPath(parentId), 'replace', { ...body, [this.parent.field]: body[this.parent.field] ?? parentId });
  }

  /** Records under one parent, e.g. the items of one purchase order. */
  async forParent(parentId: number, options: QueryOptions = {}): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    for await (const page of this.pages({ filter: { op: 'eq', field: this.parent.field, value: parentId }, includeFields: options.includeFields })) out.push(...page.items);
    return out;
  }

  private childPath(parentId: number): string {
    if (!Number.isInteger(parentId) || parentId <= 0) throw new AutotaskError('validation', `${this.entity}: parent id must be a positive integer`, { field: this.parent.field });
    return `${this.parent.entity}/${parentId}/${this.parent.child}`;
  }
}
