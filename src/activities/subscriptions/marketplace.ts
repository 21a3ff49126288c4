// Subscription Sync, the marketplace side: Check Changes (marketplace events → sync task rows, from
// the stored cursor), task state and views, and the customer / product / fee mappings — inside a
// task (resolveTask*) and from the mapping commands. Autotask is read to check mapped records and to
// suggest companies; the only Autotask write is "Add Product to Autotask" (a Service, created once).
import type { Suggestion } from '../../subscriptions/suggest';
import { mapWithConcurrency } from '../../concurrency';
import type { MappedBy, SubscriptionTaskRow } from '../../../db/schema/subscriptions';
import { BridgeError } from '../../failures';
import type { MarketplaceAdapter, MarketplaceCustomer, MarketplaceEvent } from '../../marketplaces/adapter';
import type { NotificationLevel } from '../../notifications';
import { clearWinner, companyProblem, describeSuggestions, importedCompanyId, suggestCompanies } from '../../subscriptions/customers';
import { checkCompany, checkService } from '../../subscriptions/autotask';
import { groupEvents, taskIdFor } from '../../subscriptions/merge';
import { ensureService, productKey, serviceProblem } from '../../subscriptions/products';
import { subscriptionSettingsFor } from '../../subscriptions/settings';
import type { IntegrationScope, NewTask } from '../../subscriptions/store';
import type { TaskDecision, TaskEvent, TaskPreview, TaskState, TaskType, TaskView } from '../../subscriptions/types';
import type { CustomerMappingView, FeeMappingView, ProductMappingView } from '../../subscriptions/views';
import { workflowIds } from '../../workflows/ids';
import { beat } from '../heartbeat';
import type { SubscriptionActivityDeps } from './index';

const DAY_MS = 86_400_000;
const DEFAULT_MAX_EVENTS = 500;
/** A stream whose cursor stops moving must not hold the activity forever. */
const MAX_EVENT_CALLS = 1_000;
/** Pages of marketplace customers a mapping list reads (the seed's screen lists them all; this bounds it). */
const MAX_CUSTOMER_PAGES = 50;
/** Unmapped customers a list ranks Autotask companies for (one Autotask query each). */
const MAX_SUGGESTED = 25;
const MAPPED_BY: readonly MappedBy[] = ['operator', 'import', 'task', 'created'];
/** States after which a task no longer changes its subscription's units. */
const SETTLED: readonly TaskState[] = ['synced', 'ignored'];
const NOTIFY_LEVEL: Partial<Record<TaskState, NotificationLevel>> = { error: 'error', action_required: 'action', synced: 'info' };

export interface CheckChangesInput extends IntegrationScope {
  dryRun?: boolean;
  /** Events read per call (default 500); `more` says whether the stream has more. */
  maxEvents?: number;
}


export interface CheckChangesResult {
  /** Task ids inserted by this call (dry run: none). */
  created: string[];
  /** Tasks that already existed (checking twice creates nothing). */
  existing: number;
  /** Events folded into another event's task (same subscription and date). */
  merged: number;
  events: number;
  more: boolean;
  /** The tasks this call created (dry run: would create). */
  preview: TaskPreview[];
}

export interface TaskRef extends IntegrationScope {
  taskId: string;
}

export interface RecordTaskStateInput extends TaskRef {
  state: TaskState;
  reason?: string | null;
  waitingFor?: TaskDecision | null;
  workflowId?: string;
}

const scopeOf = (i: IntegrationScope): IntegrationScope => ({ connectorId: i.connectorId, integrationId: i.integrationId });
const mappedBy = (by: string): MappedBy => (MAPPED_BY.includes(by as MappedBy) ? (by as MappedBy) : 'operator');
const withoutRaw = ({ raw: _raw, ...event }: MarketplaceEvent): TaskEvent => event;

export function marketplaceActivities({ clients, subscriptions, notifier }: SubscriptionActivityDeps) {
  const market = (i: IntegrationScope) => clients.marketplace(i.connectorId, i.integrationId);

  /** Reads events from the cursor until `max` are read or the stream ends. */
  async function readEvents(marketplace: MarketplaceAdapter, cursor: string | null, since: string | undefined, max: number) {
    const events: MarketplaceEvent[] = [];
    let more = true;
    for (let calls = 0; more && events.length < max; calls++) {
      if (calls >= MAX_EVENT_CALLS) throw new BridgeError('transient', `the marketplace event stream did not end after ${MAX_EVENT_CALLS} calls`, { source: 'engine' });
      const page = await marketplace.events({ cursor, ...(cursor ? {} : { since }), limit: Math.min(marketplace.maxPageSize, max - events.length) });
      events.push(...page.events);
      cursor = page.cursor;
      more = page.more;
      beat({ events: events.length });
    }
    return { events, cursor, more };
  }

  function view(row: SubscriptionTaskRow, suggestions?: Suggestion[]): TaskView {
    return {
      connectorId: row.connectorId, integrationId: row.integrationId, taskId: row.taskId,
      workflowId: workflowIds.subscriptionTask(row.connectorId, row.integrationId, row.taskId),
      type: row.type, state: row.state, reason: row.reason, waitingFor: (row.waitingFor as TaskDecision | null) ?? null,
      customerId: row.customerId, subscriptionId: row.subscriptionId, productId: row.productId, effectiveDate: row.effectiveDate,
      contractId: row.contractId, plan: (row.plan as unknown as TaskView['plan']) ?? null,
      ...(suggestions ? { suggestions } : {}),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  const customerName = (c: MarketplaceCustomer | null, id: string) => (c ? `"${c.name}" (${id})` : id);

  /** The task's subscription's tasks before and after it, in marketplace order (none without a subscription). */
  async function subscriptionQueue(i: TaskRef): Promise<{ before: SubscriptionTaskRow[]; after: SubscriptionTaskRow[] }> {
    const all = await subscriptions.subscriptionQueue(scopeOf(i), i.taskId);
    const at = all.findIndex((t) => t.taskId === i.taskId);
    if (at < 0) {
      await subscriptions.task(scopeOf(i), i.taskId); // a task that does not exist is an error; one without a subscription has no queue
      return { before: [], after: [] };
    }
    return { before: all.slice(0, Math.max(0, at)), after: all.slice(at + 1) };
  }

  return {
    /**
     * Check Changes: marketplace events since the stored cursor (first run: no older than
     * `firstCheckDays`) become one pending task per order; same-day events of a subscription merge.
     * The cursor is saved after the tasks are, so a crash in between only re-reads (insert ignores repeats).
     */
    async checkSubscriptionChanges(i: CheckChangesInput): Promise<CheckChangesResult> {
      const s = scopeOf(i);
      const { connector, marketplace } = await market(s);
      const stored = await subscriptions.cursor(s);
      let since: string | undefined;
      if (!stored?.cursor) {
        const last = stored?.lastEventAt ?? (await subscriptions.lastTaskEventAt(s));
        since = (last ?? new Date(Date.now() - subscriptionSettingsFor(connector.settings, s.integrationId).firstCheckDays * DAY_MS)).toISOString();
      }
      const read = await readEvents(marketplace, stored?.cursor ?? null, since, Math.max(1, i.maxEvents ?? DEFAULT_MAX_EVENTS));
      // The adapters start at `since`; an event recorded before it (a vendor's loose filter) is not taken either.
      const events = read.events.filter((e) => !since || Date.parse(e.createdAt) >= Date.parse(since)).map(withoutRaw);
      const groups = groupEvents(events);
      const rows: NewTask[] = groups.map(({ primary, merged, effective }) => ({
        ...s,
        taskId: taskIdFor(primary),
        eventId: primary.id,
        mergedEventIds: merged.map((e) => e.id).filter((id) => id !== primary.id),
        type: effective.type,
        customerId: effective.customerId,
        subscriptionId: effective.subscriptionId,
        productId: productKey(effective),
        effectiveDate: effective.effectiveDate.slice(0, 10),
        event: effective as unknown as Record<string, unknown>,
        eventCreatedAt: new Date(primary.createdAt),
      }));
      const merged = rows.reduce((n, r) => n + (r.mergedEventIds?.length ?? 0), 0);
      const preview = (taskIds: Set<string>): TaskPreview[] =>
        rows.filter((r) => taskIds.has(r.taskId)).map((r) => ({ taskId: r.taskId, type: r.type, customerId: r.customerId, subscriptionId: r.subscriptionId ?? null, effectiveDate: r.effectiveDate }));

      if (i.dryRun) {
        const known = await Promise.all(rows.map((r) => subscriptions.findTask(s, r.taskId)));
        const fresh = new Set(rows.filter((_, n) => !known[n]).map((r) => r.taskId));
        return { created: [], existing: rows.length - fresh.size, merged, events: events.length, more: read.more, preview: preview(fresh) };
      }
      const created = await subscriptions.insertTasks(rows);
      const lastEventAt = read.events.reduce<Date | null>((max, e) => (!max || Date.parse(e.createdAt) > max.getTime() ? new Date(e.createdAt) : max), null);
      await subscriptions.saveCursor(s, read.cursor, lastEventAt);
      if (created.length) {
        await subscriptions.log(s.connectorId, 'subscription.check', `Check Changes on ${s.integrationId}: ${created.length} new sync task(s) from ${events.length} event(s)`, { integrationId: s.integrationId, created: created.length, events: events.length, merged });
      }
      return { created, existing: rows.length - created.length, merged, events: events.length, more: read.more, preview: preview(new Set(created)) };
    },

    /** Moves a task to `state`, writes the action log and notifies (error → error, action required → action, synced → info). */
    async recordTaskState(i: RecordTaskStateInput): Promise<void> {
      const s = scopeOf(i);
      const row = await subscriptions.task(s, i.taskId);
      const reason = i.reason ?? null;
      const waitingFor = i.waitingFor ?? null;
      // A retried activity (or the workflow saying it again) records nothing twice.
      if (row.state === i.state && row.reason === reason && (row.waitingFor ?? null) === waitingFor) return;
      await subscriptions.updateTask(s, i.taskId, { state: i.state, reason, waitingFor });
      const workflowId = i.workflowId ?? workflowIds.subscriptionTask(s.connectorId, s.integrationId, i.taskId);
      const what = `${row.type} task ${i.taskId} (subscription ${row.subscriptionId ?? '—'}, customer ${row.customerId}, ${row.effectiveDate})`;
      const message = `Subscription Sync ${what}: ${i.state.replace('_', ' ')}${reason ? ` — ${reason}` : ''}`;
      const details = { integrationId: s.integrationId, taskId: i.taskId, type: row.type, state: i.state, from: row.state, reason, waitingFor, subscriptionId: row.subscriptionId, customerId: row.customerId };
      await subscriptions.log(s.connectorId, `subscription.task.${i.state}`, message, details, workflowId);
      const level = NOTIFY_LEVEL[i.state];
      if (level) {
        const title = { error: 'Sync task failed', action: 'Sync task needs a decision', info: 'Sync task synced' }[level];
        await notifier.notify({ connectorId: s.connectorId, integrationId: s.integrationId, level, title, message, details, workflowId });
      }
    },

    /**
     * Earlier tasks of the same subscription not yet synced or ignored. Tasks of one subscription are
     * planned and written in marketplace order: each plans against the units the earlier ones left.
     */
    async earlierOpenTasks(i: TaskRef): Promise<string[]> {
      const { before } = await subscriptionQueue(i);
      return before.filter((t) => !SETTLED.includes(t.state)).map((t) => t.taskId);
    },

    /** Workflow ids of the later open tasks of the same subscription (told when this one settles). */
    async laterOpenTaskWorkflows(i: TaskRef): Promise<string[]> {
      const { after } = await subscriptionQueue(i);
      return after.filter((t) => !SETTLED.includes(t.state)).slice(0, 20).map((t) => workflowIds.subscriptionTask(t.connectorId, t.integrationId, t.taskId));
    },

    async getTaskView(i: TaskRef): Promise<TaskView> {
      const s = scopeOf(i);
      const row = await subscriptions.task(s, i.taskId);
      if (row.waitingFor !== 'customer') return view(row);
      // Waiting for a customer: what the operator could choose. Best effort: the view never fails for want of them.
      const suggestions = await (async () => {
        const { autotask, marketplace } = await market(s);
        const customer = await marketplace.getCustomer(row.customerId);
        return customer ? suggestCompanies(autotask, customer) : [];
      })().catch(() => undefined);
      return view(row, suggestions);
    },

    async listSyncTasks(i: { connectorId: string; integrationId?: string; states?: TaskState[]; limit?: number }): Promise<TaskView[]> {
      const rows = await subscriptions.tasks({ connectorId: i.connectorId, integrationId: i.integrationId, states: i.states, limit: i.limit });
      return rows.map((r) => ({ ...view(r), plan: null }));
    },

    /**
     * The task's Autotask company: its mapping when the company is still there and active (a deleted
     * or inactive one flags the mapping, never reused); an imported customer's company; with `auto`,
     * a clear best suggestion. Otherwise null, the reason and the suggestions.
     */
    async resolveTaskCustomer(i: TaskRef & { auto: boolean }): Promise<{ companyId: number | null; reason: string | null; suggestions: Suggestion[] }> {
      const s = scopeOf(i);
      const row = await subscriptions.task(s, i.taskId);
      const { autotask, marketplace } = await market(s);
      const mapping = await subscriptions.customerMapping(s, row.customerId);
      let flagged = mapping?.flaggedReason ?? null;
      if (mapping && !flagged) {
        const { problem } = await checkCompany(autotask, mapping.companyId);
        if (!problem) return { companyId: mapping.companyId, reason: null, suggestions: [] };
        flagged = problem;
        await subscriptions.flagCustomerMapping(s, row.customerId, problem);
        await subscriptions.log(s.connectorId, 'subscription.mapping.flagged', `Customer mapping ${row.customerId} → company ${mapping.companyId} flagged: ${problem}`, { integrationId: s.integrationId, marketplaceCustomerId: row.customerId, companyId: mapping.companyId, reason: problem });
      }
      const customer = await marketplace.getCustomer(row.customerId);
      if (!customer) return { companyId: null, reason: `Marketplace customer ${row.customerId} was not found in ${s.integrationId}`, suggestions: [] };
      const imported = mapping ? null : importedCompanyId(customer);
      if (imported !== null) {
        const { problem, name } = await companyProblem(autotask, imported);
        if (!problem) {
          await subscriptions.saveCustomerMapping({ ...s, marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: imported, companyName: name ?? '', mappedBy: 'import' });
          return { companyId: imported, reason: null, suggestions: [] };
        }
      }
      const suggestions = (await suggestCompanies(autotask, customer)).filter((x) => x.id !== mapping?.companyId);
      const top = !mapping && i.auto ? clearWinner(suggestions) : null;
      if (top) {
        await subscriptions.saveCustomerMapping({ ...s, marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: top.id, companyName: top.name, mappedBy: 'task' });
        await subscriptions.log(s.connectorId, 'subscription.mapping.customer', `Customer ${customerName(customer, customer.id)} mapped to Autotask company ${top.name} (${top.id}) by task ${i.taskId}: ${top.why}`, { integrationId: s.integrationId, marketplaceCustomerId: customer.id, companyId: top.id, score: top.score, by: 'task' });
        return { companyId: top.id, reason: null, suggestions };
      }
      const how = `map it with \`autotask-bridge tasks map-customer ${i.taskId} <company id>\` (suggestions: ${describeSuggestions(suggestions)})`;
      const reason = flagged
        ? `${flagged}: the mapping of customer ${customerName(customer, customer.id)} is flagged and not used; ${how}`
        : `Customer ${customerName(customer, customer.id)} is not mapped to an Autotask company${i.auto ? ' and no company matches clearly enough to map it automatically' : ''}: ${how}`;
      return { companyId: null, reason, suggestions };
    },

    /** The task's Autotask Service: its mapping when the Service is still there and active (else flagged); unmapped → null and how to map it. */
    async resolveTaskProduct(i: TaskRef & { auto: boolean }): Promise<{ serviceId: number | null; reason: string | null }> {
      const s = scopeOf(i);
      const row = await subscriptions.task(s, i.taskId);
      if (!row.productId) return { serviceId: null, reason: `The marketplace event ${row.eventId} names no product: nothing to map (ignore the task with \`autotask-bridge tasks ignore ${i.taskId}\`)` };
      const { autotask, marketplace } = await market(s);
      const mapping = await subscriptions.productMapping(s, row.productId);
      let flagged = mapping?.flaggedReason ?? null;
      if (mapping && !flagged) {
        const { problem } = await checkService(autotask, mapping.serviceId);
        if (!problem) return { serviceId: mapping.serviceId, reason: null };
        flagged = problem;
        await subscriptions.flagProductMapping(s, row.productId, problem);
        await subscriptions.log(s.connectorId, 'subscription.mapping.flagged', `Product mapping ${row.productId} → service ${mapping.serviceId} flagged: ${problem}`, { integrationId: s.integrationId, marketplaceProductId: row.productId, serviceId: mapping.serviceId, reason: problem });
      }
      const product = await marketplace.getProduct(row.productId);
      const name = product ? `"${product.name}" (${row.productId})` : row.productId;
      const how = `map it with \`autotask-bridge tasks map-product ${i.taskId} <service id>\`, or add it to Autotask with \`autotask-bridge tasks map-product ${i.taskId} --create\``;
      return { serviceId: null, reason: flagged ? `${flagged}: the mapping of product ${name} is flagged and not used; ${how}` : `Product ${name} is not mapped to an Autotask service: ${how}` };
    },

    async mapCustomer(i: IntegrationScope & { marketplaceCustomerId: string; companyId: number; by: string }): Promise<CustomerMappingView> {
      const s = scopeOf(i);
      const { autotask, marketplace } = await market(s);
      const [customer, company] = await Promise.all([marketplace.getCustomer(i.marketplaceCustomerId), companyProblem(autotask, i.companyId)]);
      if (!customer) throw new BridgeError('validation', `Marketplace customer ${i.marketplaceCustomerId} does not exist in ${s.integrationId}`, { source: s.integrationId });
      if (company.problem) throw new BridgeError('validation', `${company.problem}: map customer ${customerName(customer, customer.id)} to an active company`, { source: 'autotask' });
      const companyName = company.name ?? `Company ${i.companyId}`;
      await subscriptions.saveCustomerMapping({ ...s, marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: i.companyId, companyName, mappedBy: mappedBy(i.by) });
      await subscriptions.log(s.connectorId, 'subscription.mapping.customer', `Customer ${customerName(customer, customer.id)} mapped to Autotask company ${companyName} (${i.companyId}) by ${i.by}`, { integrationId: s.integrationId, marketplaceCustomerId: customer.id, companyId: i.companyId, by: i.by });
      return { marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: i.companyId, companyName, mappedBy: mappedBy(i.by), flaggedReason: null };
    },

    /** Forgets the mapping; nothing in Autotask changes. */
    async unmapCustomer(i: IntegrationScope & { marketplaceCustomerId: string }): Promise<{ removed: boolean }> {
      const removed = await subscriptions.removeCustomerMapping(scopeOf(i), i.marketplaceCustomerId);
      if (removed) await subscriptions.log(i.connectorId, 'subscription.mapping.customer', `Customer ${i.marketplaceCustomerId} unmapped (nothing changed in Autotask)`, { integrationId: i.integrationId, marketplaceCustomerId: i.marketplaceCustomerId, removed });
      return { removed };
    },

    /** The marketplace's customers with their mappings (mapped ones the marketplace no longer lists too). */
    async listCustomerMappings(i: IntegrationScope & { unmapped?: boolean; search?: string; suggest?: boolean }): Promise<CustomerMappingView[]> {
      const s = scopeOf(i);
      const { autotask, marketplace } = await market(s);
      const mappings = new Map((await subscriptions.customerMappings(s)).map((m) => [m.marketplaceCustomerId, m]));
      const customers = new Map<string, MarketplaceCustomer>();
      let cursor: string | null = null;
      for (let page = 0; page < MAX_CUSTOMER_PAGES; page++) {
        const p = await marketplace.listCustomers({ cursor });
        for (const c of p.items) customers.set(c.id, c);
        cursor = p.next;
        if (!cursor) break;
      }
      const ids = new Set([...customers.keys(), ...mappings.keys()]);
      const needle = i.search?.trim().toLowerCase();
      let rows: CustomerMappingView[] = [...ids].map((id) => {
        const m = mappings.get(id);
        return {
          marketplaceCustomerId: id, marketplaceName: customers.get(id)?.name ?? m?.marketplaceName ?? id,
          companyId: m?.companyId ?? null, companyName: m?.companyName ?? null, mappedBy: m?.mappedBy ?? null, flaggedReason: m?.flaggedReason ?? null,
        };
      });
      if (i.unmapped) rows = rows.filter((r) => r.companyId === null || r.flaggedReason);
      if (needle) rows = rows.filter((r) => [r.marketplaceCustomerId, r.marketplaceName, r.companyName ?? ''].some((v) => v.toLowerCase().includes(needle)));
      rows.sort((a, b) => a.marketplaceName.localeCompare(b.marketplaceName) || a.marketplaceCustomerId.localeCompare(b.marketplaceCustomerId));
      if (i.suggest) {
        const open = rows.filter((r) => (r.companyId === null || r.flaggedReason) && customers.has(r.marketplaceCustomerId)).slice(0, MAX_SUGGESTED);
        await mapWithConcurrency(open, 4, async (r) => {
          r.suggestions = (await suggestCompanies(autotask, customers.get(r.marketplaceCustomerId)!)).filter((x) => x.id !== r.companyId);
        });
      }
      return rows;
    },

    /** Maps a marketplace plan to a Service, or with `create` adds the Service to Autotask first (once). */
    async mapProduct(i: IntegrationScope & { marketplaceProductId: string; serviceId?: number; create?: boolean; by: string }): Promise<ProductMappingView> {
      const s = scopeOf(i);
      if (!i.create && i.serviceId === undefined) throw new BridgeError('validation', `Map product ${i.marketplaceProductId} to a service id, or create the service with --create`, { source: 'engine' });
      const { autotask, marketplace } = await market(s);
      const product = await marketplace.getProduct(i.marketplaceProductId);
      if (!product) throw new BridgeError('validation', `Marketplace product ${i.marketplaceProductId} does not exist in ${s.integrationId}`, { source: s.integrationId });
      let service: { id: number; name: string };
      let by = mappedBy(i.by);
      if (i.create) {
        const ref = await ensureService(autotask, s.integrationId, product);
        service = ref;
        by = 'created';
        await subscriptions.log(s.connectorId, 'subscription.product.created', `${ref.created ? 'Added' : 'Found'} Autotask service ${ref.name} (${ref.id}) for marketplace product ${product.name} (${i.marketplaceProductId})`, { integrationId: s.integrationId, marketplaceProductId: i.marketplaceProductId, serviceId: ref.id, created: ref.created, by: i.by });
      } else {
        const { problem, name } = await serviceProblem(autotask, i.serviceId!);
        if (problem) throw new BridgeError('validation', `${problem}: map product "${product.name}" (${i.marketplaceProductId}) to an active service`, { source: 'autotask' });
        service = { id: i.serviceId!, name: name ?? `Service ${i.serviceId}` };
      }
      await subscriptions.saveProductMapping({ ...s, marketplaceProductId: i.marketplaceProductId, marketplaceName: product.name, serviceId: service.id, serviceName: service.name, mappedBy: by });
      await subscriptions.log(s.connectorId, 'subscription.mapping.product', `Product "${product.name}" (${i.marketplaceProductId}) mapped to Autotask service ${service.name} (${service.id}) by ${i.by}`, { integrationId: s.integrationId, marketplaceProductId: i.marketplaceProductId, serviceId: service.id, by: i.by });
      return { marketplaceProductId: i.marketplaceProductId, marketplaceName: product.name, billingCycle: product.billingCycle, price: product.price, currency: product.currency, serviceId: service.id, serviceName: service.name, flaggedReason: null };
    },

    async unmapProduct(i: IntegrationScope & { marketplaceProductId: string }): Promise<{ removed: boolean }> {
      const removed = await subscriptions.removeProductMapping(scopeOf(i), i.marketplaceProductId);
      if (removed) await subscriptions.log(i.connectorId, 'subscription.mapping.product', `Product ${i.marketplaceProductId} unmapped (nothing changed in Autotask)`, { integrationId: i.integrationId, marketplaceProductId: i.marketplaceProductId, removed });
      return { removed };
    },

    /**
     * Mapped products and the products sync tasks met (whole catalogs can be large — Pax8 prices
     * cost a request per product — so the catalog is not walked).
     */
    async listProductMappings(i: IntegrationScope & { unmapped?: boolean; search?: string }): Promise<ProductMappingView[]> {
      const s = scopeOf(i);
      const { marketplace } = await market(s);
      const mappings = new Map((await subscriptions.productMappings(s)).map((m) => [m.marketplaceProductId, m]));
      const seen = (await subscriptions.tasks({ connectorId: s.connectorId, integrationId: s.integrationId, limit: 10_000 })).map((t) => t.productId).filter((p): p is string => !!p);
      let ids = [...new Set([...mappings.keys(), ...seen])];
      if (i.unmapped) ids = ids.filter((id) => !mappings.get(id) || mappings.get(id)!.flaggedReason);
      const rows = await mapWithConcurrency(ids, 4, async (id): Promise<ProductMappingView> => {
        const m = mappings.get(id);
        const p = await marketplace.getProduct(id);
        return {
          marketplaceProductId: id, marketplaceName: p?.name ?? m?.marketplaceName ?? id, billingCycle: p?.billingCycle ?? null, price: p?.price ?? null, currency: p?.currency ?? null,
          serviceId: m?.serviceId ?? null, serviceName: m?.serviceName ?? null, flaggedReason: m?.flaggedReason ?? null,
        };
      });
      const needle = i.search?.trim().toLowerCase();
      return rows
        .filter((r) => !needle || [r.marketplaceProductId, r.marketplaceName, r.serviceName ?? ''].some((v) => v.toLowerCase().includes(needle)))
        .sort((a, b) => a.marketplaceName.localeCompare(b.marketplaceName) || a.marketplaceProductId.localeCompare(b.marketplaceProductId));
    },

    /** A marketplace fee (`cancellation` or `cancellation:<product id>`) → the Autotask charge it becomes. */
    async mapFee(i: IntegrationScope & { feeKey: string; billingCodeId: number; chargeName: string }): Promise<FeeMappingView> {
      const s = scopeOf(i);
      const feeKey = i.feeKey.trim();
      const chargeName = i.chargeName.trim();
      if (!/^cancellation(:.+)?$/.test(feeKey)) throw new BridgeError('validation', `Fee key "${i.feeKey}" is not one of \`cancellation\` or \`cancellation:<marketplace product id>\``, { source: 'engine' });
      if (!chargeName || chargeName.length > 100) throw new BridgeError('validation', 'The charge name must be 1 to 100 characters', { source: 'engine' });
      const { autotask } = await market(s);
      const code = await autotask.billingCodes.get(i.billingCodeId);
      if (!code) throw new BridgeError('validation', `Autotask billing code ${i.billingCodeId} does not exist`, { source: 'autotask', operation: 'GET BillingCodes/{id}' });
      if (code.isActive === false) throw new BridgeError('validation', `Autotask billing code ${i.billingCodeId} (${code.name ?? 'no name'}) is inactive`, { source: 'autotask', operation: 'GET BillingCodes/{id}' });
      await subscriptions.saveFeeMapping({ ...s, feeKey, billingCodeId: i.billingCodeId, chargeName });
      await subscriptions.log(s.connectorId, 'subscription.mapping.fee', `Fee ${feeKey} mapped to charge "${chargeName}" on billing code ${code.name ?? ''} (${i.billingCodeId})`, { integrationId: s.integrationId, feeKey, billingCodeId: i.billingCodeId, chargeName });
      return { feeKey, billingCodeId: i.billingCodeId, chargeName };
    },

    async unmapFee(i: IntegrationScope & { feeKey: string }): Promise<{ removed: boolean }> {
      const removed = await subscriptions.removeFeeMapping(scopeOf(i), i.feeKey.trim());
      if (removed) await subscriptions.log(i.connectorId, 'subscription.mapping.fee', `Fee ${i.feeKey} unmapped`, { integrationId: i.integrationId, feeKey: i.feeKey, removed });
      return { removed };
    },

    async listFeeMappings(i: IntegrationScope): Promise<FeeMappingView[]> {
      return (await subscriptions.feeMappings(scopeOf(i))).map((m) => ({ feeKey: m.feeKey, billingCodeId: m.billingCodeId, chargeName: m.chargeName }));
    },
  };
}
