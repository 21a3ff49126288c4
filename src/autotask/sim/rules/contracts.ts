// Recurring-service contracts as Autotask runs them: Contracts, Services, ContractServices,
// ContractServiceAdjustments (create-only), ContractServiceUnits (derived, query-only), ContractCharges;
// plus Companies' lastTrackedModifiedDateTime and company webhooks (./contracts-webhooks.ts).
// Billing arithmetic lives in ../contract-model.ts. Sources: notes/contracts-and-marketplaces.md (N),
// notes/autotask-api.md (A), the entity pages [D:REST/Entities/…] and the spec [S].
import type { EntityConfig } from '../entities';
import { addChange, billedFor as billFor, ContractRuleError, dayOf, serviceUnitRows, type Billed, type ContractTerms, type UnitChange } from '../contract-model';
import { simDateTime, simNow } from '../dates';
import { reject } from '../respond';
import type { SimRecord, SimStore } from '../store';
import {
  afterWebhookChildWrite, beforeWebhookCreate, companyEvent, webhookRoutes, webhooksIdle, webhookState, WEBHOOK_ENTITIES,
  type DeliveryRecord, type WebhookTiming,
} from './contracts-webhooks';
import type { RuleContext, SimRuleModule } from './index';

type Pick = Array<[number, string]>;

// Sim values; clients read them from entityInformation/fields (A §4). 7 = Recurring Service (N).
const CONTRACT_TYPES: Pick = [[1, 'Time and Materials'], [3, 'Fixed Price'], [4, 'Block Hours'], [6, 'Retainer'], [7, 'Recurring Service'], [8, 'Per Ticket']];
const RECURRING = 7;
const CONTRACT_PERIODS: Pick = [[2, 'Monthly'], [3, 'Quarterly'], [4, 'Semi-Annual'], [5, 'Yearly']];
const PERIOD_MONTHS: Record<string, number> = { Monthly: 1, Quarterly: 3, 'Semi-Annual': 6, Yearly: 12 };

const DEFINE: Record<string, EntityConfig> = {
  Contracts: {
    model: 'ContractModel',
    // SOAP-required fields (A §8); contractPeriodType is required for recurring-service contracts (below).
    required: ['companyID', 'contractName', 'contractType', 'status', 'startDate', 'endDate', 'timeReportingRequiresStartAndStopTimes'],
    readOnly: ['contactName', 'isCompliant', 'internalCurrencyOverageBillingRate', 'internalCurrencySetupFee', 'renewedContractID'],
    lengths: { contractName: 100, contractNumber: 50, description: 2000, purchaseOrderNumber: 50 },
    picklists: {
      contractType: CONTRACT_TYPES,
      // "Status 1 = In Effect, 0 = Inactive [U: read the picklist]" (N).
      status: [[0, 'Inactive'], [1, 'In Effect']],
      billingPreference: [[1, 'Manually'], [2, 'Immediately'], [3, 'Timesheet Approval']],
      contractPeriodType: CONTRACT_PERIODS,
    },
    references: { companyID: 'Company', contactID: 'Contact', billToCompanyID: 'Company' },
    hasUdfs: true,
  },
  Services: {
    model: 'ServiceModel',
    required: ['name', 'unitPrice', 'periodType', 'billingCodeID'], // (N; A §8)
    readOnly: ['updateResourceID'],
    lengths: { name: 150, description: 400, invoiceDescription: 1000, sku: 50, url: 500 },
    picklists: { periodType: [[2, 'Monthly'], [3, 'Quarterly'], [4, 'Semi-Annual'], [5, 'Yearly']] },
    references: { billingCodeID: 'BillingCode', vendorCompanyID: 'Company' },
    hasUdfs: true,
    defaults: { isActive: true },
  },
  ContractServices: {
    model: 'ContractServiceModel',
    required: ['contractID', 'serviceID'],
    readOnly: ['internalCurrencyAdjustedPrice', 'internalCurrencyUnitPrice'],
    lengths: { invoiceDescription: 1000, internalDescription: 100 },
    references: { contractID: 'Contract', serviceID: 'Service' },
    // "The entity specifies an adjustedPrice" [D:REST/Entities/ContractServicesEntity.htm]; the spec's model lacks it.
    extraFields: { adjustedPrice: { type: 'number', format: 'double' } },
    rootWrites: [],
    // [S] /Contracts/{parentId}/Services: GET POST PATCH PUT, no DELETE (services can't be removed, N).
    parent: { entity: 'Contracts', child: 'Services', field: 'contractID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
  },
  ContractServiceAdjustments: {
    model: 'ContractServiceAdjustmentModel',
    required: ['contractID', 'serviceID', 'unitChange', 'effectiveDate'],
    // "It can only be created; it CANNOT be queried or updated" [D:REST/Entities/ContractServiceAdjustmentsEntity.htm].
    canQuery: false,
    canUpdate: false,
    rootWrites: ['POST'],
    parent: { entity: 'Contracts', child: 'ServiceAdjustments', field: 'contractID', methods: ['POST'] },
  },
  ContractServiceUnits: {
    model: 'ContractServiceUnitModel',
    canCreate: false,
    canUpdate: false,
    rootWrites: [],
    parent: { entity: 'Contracts', child: 'ServiceUnits', field: 'contractID', methods: ['GET'] },
  },
  ContractCharges: {
    model: 'ContractChargeModel',
    // Unverified: the SOAP ContractCost entity's required fields; picklist values are the simulator's.
    required: ['contractID', 'name', 'datePurchased', 'unitQuantity', 'chargeType', 'status'],
    readOnly: ['extendedCost', 'billableAmount', 'internalCurrencyBillableAmount', 'internalCurrencyUnitPrice', 'statusLastModifiedBy', 'statusLastModifiedDate', 'isBilled'],
    lengths: { name: 100, description: 2000, notes: 2000, purchaseOrderNumber: 50, internalPurchaseOrderNumber: 50 },
    picklists: { chargeType: [[1, 'Operational'], [2, 'Capitalized']], status: [[1, 'Pending Approval'], [2, 'Approved'], [3, 'Posted']] },
    references: { contractID: 'Contract', productID: 'Product', billingCodeID: 'BillingCode' },
    rootWrites: [],
    parent: { entity: 'Contracts', child: 'Charges', field: 'contractID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
    defaults: { isBillableToCompany: true, isBilled: false },
  },
  // [S] /Currencies: query, get and PATCH/PUT, no create (a database's currencies are set up in the UI).
  // A company's currencyID points here; contracts bill in it (N). Seed rows with `sim.seed('Currencies', …)`.
  Currencies: {
    model: 'CurrencyModel',
    canCreate: false,
    rootWrites: ['PATCH', 'PUT'],
  },
  ...WEBHOOK_ENTITIES,
};

// --- per-simulator state -------------------------------------------------------------------------

interface ContractState {
  /** Usernames (lower case) without cost permission. */
  hiddenCosts: Set<string>;
}

const states = new WeakMap<SimStore, ContractState>();

function state(store: SimStore): ContractState {
  let s = states.get(store);
  if (!s) states.set(store, (s = { hiddenCosts: new Set() }));
  return s;
}

// --- helpers ---------------------------------------------------------------------------------------

function picklistLabel(list: Pick, value: unknown): string | undefined {
  return list.find(([v]) => v === value)?.[1];
}

function terms(contract: SimRecord): ContractTerms {
  const months = PERIOD_MONTHS[picklistLabel(CONTRACT_PERIODS, contract.contractPeriodType) ?? ''];
  return { startDate: dayOf(contract.startDate), endDate: dayOf(contract.endDate), periodMonths: months ?? 0 };
}

/** A day as the simulator stores date-times (../dates.ts). */
function apiDate(day: string): string {
  return simDateTime(day)!;
}

function rows(store: SimStore, entity: string, pred: (r: SimRecord) => boolean): SimRecord[] {
  return [...store.table(entity).rows.values()].filter(pred);
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ContractRuleError) throw reject(err.message);
    throw err;
  }
}

function changesOf(store: SimStore, contractServiceId: number): UnitChange[] {
  return rows(store, 'ContractServiceAdjustments', (a) => a.contractServiceID === contractServiceId).map((a) => ({
    effectiveDate: dayOf(a.effectiveDate), unitChange: a.unitChange as number, unitPrice: a.adjustedUnitPrice as number | null, unitCost: a.adjustedUnitCost as number | null,
  }));
}

/** Rewrites a contract service's ContractServiceUnits rows (ids kept where a row's start date survives). */
function refreshUnits(store: SimStore, contractService: SimRecord): void {
  const contract = store.get('Contracts', contractService.contractID as number)!;
  const computed = serviceUnitRows(terms(contract), changesOf(store, contractService.id), {
    unitPrice: (contractService.unitPrice as number) ?? 0, unitCost: (contractService.unitCost as number | null) ?? null,
  });
  const table = store.table('ContractServiceUnits');
  const existing = new Map(rows(store, 'ContractServiceUnits', (u) => u.contractServiceID === contractService.id).map((u) => [dayOf(u.startDate), u]));
  for (const r of computed) {
    const values = {
      contractID: contractService.contractID, contractServiceID: contractService.id, serviceID: contractService.serviceID,
      startDate: apiDate(r.startDate), endDate: apiDate(r.endDate), units: r.units, price: r.price, cost: r.cost, internalCurrencyPrice: r.price,
    };
    const old = existing.get(r.startDate);
    if (old) {
      Object.assign(old, values);
      existing.delete(r.startDate);
    } else store.insertFull('ContractServiceUnits', values);
  }
  for (const stale of existing.values()) {
    table.rows.delete(stale.id);
    table.ids.splice(table.ids.indexOf(stale.id), 1);
  }
}

function checkRecurring(store: SimStore, contractId: unknown): SimRecord {
  const contract = store.get('Contracts', contractId as number);
  if (!contract) throw reject('Value does not reference an existing entity for contractID.');
  // "contractID must reference a Recurring Service type Contract (Contract.ContractType = 7)" [D:REST/Entities/ContractServicesEntity.htm].
  if (contract.contractType !== RECURRING) throw reject('The contract must be a Recurring Service contract (contractType 7) to hold services.');
  return contract;
}

function canSeeCosts(ctx: RuleContext): boolean {
  return !state(ctx.store).hiddenCosts.has(ctx.user.username.toLowerCase());
}

// --- rules ------------------------------------------------------------------------------------------

const CONTRACT_SERVICE_WRITABLE = new Set(['adjustedPrice', 'invoiceDescription']);

export const contracts: SimRuleModule = {
  name: 'contracts',
  entities: ['Contracts', 'Services', 'ContractServices', 'ContractServiceAdjustments', 'ContractCharges', 'Companies', ...Object.keys(WEBHOOK_ENTITIES)],
  define: DEFINE,

  beforeCreate(ctx, entity, values) {
    const store = ctx.store;
    switch (entity.name) {
      case 'Contracts': {
        if (!store.get('Companies', values.companyID as number)) throw reject('Value does not reference an existing entity for companyID.'); // A §7
        if (values.contractType === RECURRING && (values.contractPeriodType === undefined || values.contractPeriodType === null)) {
          throw reject('Missing required field(s): contractPeriodType.'); // N: "must be given on create"
        }
        if (dayOf(values.endDate) < dayOf(values.startDate)) throw reject('The endDate must be on or after the startDate.'); // unverified text
        values.lastModifiedDateTime = ctx.now(); // [S] ContractModel.lastModifiedDateTime, set by Autotask (read-only)
        break;
      }
      case 'Services': {
        // "create requires billingCodeID (an active recurring-contract-service billing code)" (N).
        const code = store.get('BillingCodes', values.billingCodeID as number);
        if (!code) throw reject('Value does not reference an existing entity for billingCodeID.');
        if (code.isActive === false || code.useType !== 4) throw reject('The billingCodeID must reference an active billing code of the Recurring Contract type.'); // unverified text
        // "unitCost is hidden and writes to it ignored without cost permission" (N).
        if (!canSeeCosts(ctx)) values.unitCost = null;
        break;
      }
      case 'ContractServices': {
        checkRecurring(store, values.contractID);
        const service = store.get('Services', values.serviceID as number);
        if (!service) throw reject('Value does not reference an existing entity for serviceID.');
        values.unitPrice ??= service.unitPrice;
        values.unitCost ??= service.unitCost;
        values.internalCurrencyUnitPrice = values.unitPrice;
        values.internalCurrencyAdjustedPrice = values.adjustedPrice ?? null;
        break;
      }
      case 'ContractServiceAdjustments': {
        const contract = checkRecurring(store, values.contractID);
        const service = store.get('Services', values.serviceID as number);
        if (!service) throw reject('Value does not reference an existing entity for serviceID.');
        const named = values.contractServiceID !== undefined && values.contractServiceID !== null;
        let cs: SimRecord | undefined = named ? store.get('ContractServices', values.contractServiceID as number) : undefined;
        if (named && (!cs || cs.contractID !== contract.id || cs.serviceID !== service.id)) {
          throw reject('contractServiceID does not match the contract and service.'); // unverified text
        }
        // [S] ContractServiceAdjustmentModel.allowRepeatService; unverified beyond integrators' notes ("must be true to
        // create a duplicate service on the contract"): true without a contractServiceID adds the service again as a
        // contract service of its own; otherwise the adjustment goes to the service's (first) contract service.
        if (!cs && values.allowRepeatService !== true) cs = rows(store, 'ContractServices', (s) => s.contractID === contract.id && s.serviceID === service.id)[0];
        const day = guard(() => dayOf(values.effectiveDate));
        guard(() => addChange(terms(contract), cs ? changesOf(store, cs.id) : [], {
          effectiveDate: day, unitChange: values.unitChange as number, unitPrice: values.adjustedUnitPrice as number | null, unitCost: values.adjustedUnitCost as number | null,
        }));
        // "Creating one for a service not yet on the contract adds it" [D:REST/Entities/ContractServiceAdjustmentsEntity.htm].
        cs ??= store.insertFull('ContractServices', {
          contractID: contract.id, serviceID: service.id, unitPrice: service.unitPrice, unitCost: service.unitCost,
          internalCurrencyUnitPrice: service.unitPrice, quoteItemID: values.quoteItemID ?? null,
        });
        values.contractServiceID = cs.id;
        if (!canSeeCosts(ctx)) values.adjustedUnitCost = null;
        break;
      }
      case 'ContractCharges': {
        if (!store.get('Contracts', values.contractID as number)) throw reject('Value does not reference an existing entity for contractID.');
        const qty = values.unitQuantity as number;
        values.billableAmount = typeof values.unitPrice === 'number' ? qty * (values.unitPrice as number) : null;
        values.extendedCost = typeof values.unitCost === 'number' ? qty * (values.unitCost as number) : null;
        values.internalCurrencyBillableAmount = values.billableAmount;
        values.internalCurrencyUnitPrice = values.unitPrice ?? null;
        values.isBilled = false;
        break;
      }
      case 'Companies':
        values.lastTrackedModifiedDateTime = ctx.now();
        break;
      default:
        beforeWebhookCreate(ctx, entity.name, values);
    }
  },

  afterCreate(ctx, entity, row) {
    switch (entity.name) {
      case 'ContractServiceAdjustments': {
        const cs = ctx.store.get('ContractServices', row.contractServiceID as number)!;
        // Unverified: an adjustment's adjustedUnitPrice becomes the contract service's current price.
        if (typeof row.adjustedUnitPrice === 'number') cs.adjustedPrice = cs.internalCurrencyAdjustedPrice = row.adjustedUnitPrice;
        refreshUnits(ctx.store, cs);
        break;
      }
      case 'Companies':
        companyEvent(ctx, 'Create', row);
        break;
      default:
        if (entity.name.startsWith('CompanyWebhook')) afterWebhookChildWrite(ctx, entity.name, row);
    }
  },

  beforeUpdate(ctx, entity, next, current) {
    switch (entity.name) {
      case 'Contracts':
        // "contractPeriodType must be given on create and cannot change afterwards" (N); the text is ours.
        if (next.contractPeriodType !== current.contractPeriodType) throw reject('contractPeriodType cannot be changed after the contract is created.');
        if (next.contractType !== current.contractType && current.contractType === RECURRING) throw reject('contractType cannot be changed on a Recurring Service contract.'); // unverified
        if (dayOf(next.endDate) < dayOf(next.startDate)) throw reject('The endDate must be on or after the startDate.');
        next.lastModifiedDateTime = ctx.now(); // [S] ContractModel.lastModifiedDateTime
        break;
      case 'ContractServices':
        // "On Update(), all fields are Read-Only except for adjustedPrice and invoiceDescription" [D:REST/Entities/ContractServicesEntity.htm].
        for (const [k, v] of Object.entries(next)) {
          if (CONTRACT_SERVICE_WRITABLE.has(k) || entity.byLowerName.get(k.toLowerCase())?.isReadOnly) continue;
          if (JSON.stringify(v ?? null) !== JSON.stringify(current[k] ?? null)) throw reject(`${k} is read-only on an existing contract service: only adjustedPrice and invoiceDescription can be updated.`);
        }
        next.internalCurrencyAdjustedPrice = next.adjustedPrice ?? null;
        break;
      case 'Services':
        if (!canSeeCosts(ctx)) next.unitCost = current.unitCost;
        break;
      case 'ContractCharges': {
        const qty = next.unitQuantity as number;
        next.billableAmount = next.internalCurrencyBillableAmount = typeof next.unitPrice === 'number' ? qty * (next.unitPrice as number) : null;
        next.extendedCost = typeof next.unitCost === 'number' ? qty * (next.unitCost as number) : null;
        break;
      }
      case 'Companies':
        next.lastTrackedModifiedDateTime = ctx.now();
        break;
    }
  },

  afterUpdate(ctx, entity, row, previous) {
    if (entity.name === 'Contracts' && (row.startDate !== previous.startDate || row.endDate !== previous.endDate)) {
      // Moving the dates re-cuts the periods; elements after a shortened end date go (N: "Resetting the End Date will remove all elements…").
      for (const cs of rows(ctx.store, 'ContractServices', (s) => s.contractID === row.id)) refreshUnits(ctx.store, cs);
    }
    if (entity.name === 'Companies') companyEvent(ctx, 'Update', row, previous);
    if (entity.name.startsWith('CompanyWebhook')) afterWebhookChildWrite(ctx, entity.name, row);
  },

  routes: webhookRoutes,
};

// --- test and admin helpers -----------------------------------------------------------------------

export interface ContractSim {
  /** What Autotask would bill for one service of a contract in the period containing `day` (yyyy-mm-dd). */
  billedFor(contractId: number, serviceId: number, day: string): Billed;
  /** The API user no longer sees or writes costs (Services.unitCost, adjustedUnitCost). */
  hideCosts(username: string, hidden?: boolean): void;
  /** A company deleted in the UI (the API cannot delete companies): Delete webhooks fire. */
  deleteCompany(id: number, byResourceId?: number): void;
  webhookTiming(timing: Partial<WebhookTiming>): void;
  deliveries(): DeliveryRecord[];
  /** Resolves when no webhook delivery (or retry) is pending. */
  idle(): Promise<void>;
}

export function contractSim(store: SimStore): ContractSim {
  return {
    billedFor(contractId, serviceId, day) {
      const contract = store.get('Contracts', contractId);
      if (!contract) throw new Error(`no contract ${contractId}`);
      const cs = rows(store, 'ContractServices', (s) => s.contractID === contractId && s.serviceID === serviceId)[0];
      const t = terms(contract);
      const unitRows = cs ? serviceUnitRows(t, changesOf(store, cs.id), { unitPrice: (cs.unitPrice as number) ?? 0, unitCost: (cs.unitCost as number | null) ?? null }) : [];
      return billFor(t, unitRows, dayOf(day));
    },
    hideCosts(username, hidden = true) {
      const set = state(store).hiddenCosts;
      if (hidden) set.add(username.toLowerCase());
      else set.delete(username.toLowerCase());
    },
    deleteCompany(id, byResourceId) {
      const company = store.get('Companies', id);
      if (!company) throw new Error(`no company ${id}`);
      const t = store.table('Companies');
      t.rows.delete(id);
      t.ids.splice(t.ids.indexOf(id), 1);
      const ctx = { store, user: { username: 'ui', resourceId: byResourceId }, now: simNow } as unknown as RuleContext;
      companyEvent(ctx, 'Delete', company);
    },
    webhookTiming(timing) {
      Object.assign(webhookState(store).timing, timing);
    },
    deliveries: () => webhookState(store).deliveries,
    idle: () => webhooksIdle(store),
  };
}
