// Reads a whole entity by walking ids (`id > lastId`, ascending, up to 500 per page), as Autotask's
// docs advise instead of nextPageUrl. Every page carries `lastId`, so a caller can checkpoint it
// and resume later with `afterId`.
import { f, MAX_PAGE_SIZE, type Filter } from './query';

export interface PageOptions {
  /** Extra conditions, ANDed with the id walk. */
  filter?: Filter | Filter[];
  /** Fields to return (`id` is always added). */
  includeFields?: string[];
  /** Resume after this id (a checkpoint from `page.lastId`). */
  afterId?: number;
  /** 1..500 (default 500). */
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  /** Highest id in this page: the resume point. Equals the previous one for an empty page. */
  lastId: number;
  /** 1-based page number within this walk. */
  page: number;
}

type QueryFn<T> = (body: { filter: Filter[]; includeFields?: string[]; maxRecords: number }) => Promise<{ items: T[]; pageDetails: { nextPageUrl?: string | null } }>;

export async function* pageById<T extends { id: number }>(query: QueryFn<T>, options: PageOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  const extra = options.filter === undefined ? [] : Array.isArray(options.filter) ? options.filter : [options.filter];
  const includeFields = options.includeFields?.length
    ? [...new Set(['id', ...options.includeFields.filter((x) => x.toLowerCase() !== 'id')])]
    : undefined;
  let lastId = options.afterId ?? -1;
  for (let page = 1; ; page++) {
    const result = await query({ filter: [f.gt('id', lastId), ...extra], ...(includeFields ? { includeFields } : {}), maxRecords: pageSize });
    const items = result.items;
    // Autotask returns ascending ids, but the walk must not depend on it.
    const top = items.reduce((max, item) => (item.id > max ? item.id : max), lastId);
    lastId = top;
    yield { items, lastId, page };
    if (items.length < pageSize || !result.pageDetails.nextPageUrl) return;
  }
}
