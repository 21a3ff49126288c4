// The simulator's entity rules, one module per area. The generic write/query path in ../server.ts
// does what every Autotask entity does (field types, lengths, picklists, required fields, references,
// read-only fields ignored); a rule module adds what one entity does beyond that.
//
// Adding a module:
//   1. Create `rules/<area>.ts` exporting a `SimRuleModule`:
//        export const contracts: SimRuleModule = {
//          name: 'contracts',
//          entities: ['Contracts', 'ContractServices'],        // hooks run only for these
//          define: { ContractCharges: { model: 'ContractChargeModel', required: [...] } }, // new/overridden entities
//          beforeCreate(ctx, entity, values) { if (...) throw reject('Autotask's message'); },
//          afterCreate(ctx, entity, row) { ... },
//          routes(r) { r.route('GET', 'CompanyWebhooks/:id/Fields', 'CompanyWebhookFields', (req, c) => ({ status: 200, body: ... })) },
//        };
//   2. Add ONE line to SIM_RULES below.
// Import `reject`/`SimRejection` from '../respond' and only types from './index' (no import cycle).
// Hooks throw `reject(message)` (HTTP 500 `{"errors":[message]}`, Autotask's answer to bad input) or
// `new SimRejection(status, message)`; `routes` registers extra API routes, which run behind the same
// auth, thread and hourly limits and are matched before the generic entity routes (an operation the
// spec does not declare still answers 405, as Autotask does). Reference fields declared in an entity's
// `references` are checked by the server for every module. Every rule names
// its source in a comment (a spec path, a vendor doc, or "unverified" and why).
import type { SimRequest, SimResponse } from '../../../sim/kit/server';
import type { EntityConfig, SimEntity } from '../entities';
import type { SimRecord, SimStore } from '../store';
import { catalog } from './catalog';
import { purchasing } from './purchasing';
import { inventory } from './inventory';
import { contracts } from './contracts';
import { contacts } from './contacts';
import { countries } from './countries';
import { udfs } from './udfs';

export { reject, SimRejection, errorsBody, methodNotAllowed } from '../respond';

/** The API user making the request, as a rule sees it. */
export interface RuleUser {
  username: string;
  resourceId?: number;
}

export interface RuleContext {
  readonly store: SimStore;
  readonly user: RuleUser;
  /** An entity definition by name (case-insensitive); undefined when the simulator has none. */
  entity(name: string): SimEntity | undefined;
  /** Now, as Autotask stores date-times (UTC, `yyyy-mm-ddThh:mm:ss.sss`, see ../dates.ts). */
  now(): string;
  /** This zone's base URL (`…/atservicesrest/`), for URLs in answers. */
  readonly zoneUrl: string;
}

export type RuleHandler = (req: SimRequest, ctx: RuleContext) => SimResponse | Promise<SimResponse>;

export interface RuleRouter {
  /**
   * An API route below `/atservicesrest/V1.0/` (`:name` segments become `req.params`). `endpoint`
   * is what the thread limit counts it against (an entity name, or a function of the request;
   * undefined → 404).
   */
  route(method: string, path: string, endpoint: string | ((req: SimRequest) => string | undefined), handler: RuleHandler): void;
}

export interface SimRuleModule {
  name: string;
  /** Entities whose writes and queries this module's hooks see. */
  entities: string[];
  /** Entity definitions this module adds, or replaces by name (see EntityConfig in ../entities.ts). */
  define?: Record<string, EntityConfig>;
  /**
   * Before a create is stored: `values` has passed field, reference and required checks; change it
   * or throw. `parentId` is set when the create came through the parent path.
   */
  beforeCreate?(ctx: RuleContext, entity: SimEntity, values: Record<string, unknown>, parentId?: number): void;
  afterCreate?(ctx: RuleContext, entity: SimEntity, row: SimRecord): void;
  /** Before an update is stored: `next` is the whole record after the change, `current` as stored now. */
  beforeUpdate?(ctx: RuleContext, entity: SimEntity, next: Record<string, unknown>, current: SimRecord): void;
  afterUpdate?(ctx: RuleContext, entity: SimEntity, row: SimRecord, previous: Record<string, unknown>): void;
  /** Before a query or count runs; throw to refuse it. `body` is the query model as received. */
  beforeQuery?(ctx: RuleContext, entity: SimEntity, body: unknown): void;
  /** Extra API routes (entities or paths the generic routes don't serve). */
  routes?(router: RuleRouter): void;
}

/** Every rule module, in the order their hooks run. */
export const SIM_RULES: readonly SimRuleModule[] = [
  catalog,
  purchasing,
  inventory,
  udfs,
  contracts,
  countries,
  contacts,
];

/** The modules whose hooks apply to an entity. */
export function rulesFor(entity: string): SimRuleModule[] {
  const lower = entity.toLowerCase();
  let list = byEntity.get(lower);
  if (!list) byEntity.set(lower, (list = SIM_RULES.filter((m) => m.entities.some((e) => e.toLowerCase() === lower))));
  return list;
}

const byEntity = new Map<string, SimRuleModule[]>();
