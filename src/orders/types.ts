// Order lifecycle vocabulary shared by the workflow (deterministic, no I/O) and the activities.
import type { PoForValidation, PoItemForValidation } from './validate';

export const ORDER_STATES = [
  'awaiting_submission', 'validated', 'submitted', 'processing', 'backordered', 'partially_shipped', 'shipped', 'delivered', 'closed',
  'rejected', 'cancelled', 'error',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** Where status tracking stops (cancelled always stops it). */
export type TrackUntil = 'shipped' | 'delivered' | 'closed';

/** States after a successful submission, in lifecycle order. */
const PROGRESS: OrderState[] = ['submitted', 'processing', 'backordered', 'partially_shipped', 'shipped', 'delivered', 'closed'];

export function isTracking(state: OrderState): boolean {
  return PROGRESS.includes(state);
}

/** Nothing more will happen to an order in this state (with this tracking setting). */
export function isTerminal(state: OrderState, trackUntil: TrackUntil): boolean {
  if (state === 'cancelled' || state === 'closed') return true;
  if (state === 'delivered') return trackUntil !== 'closed';
  if (state === 'shipped') return trackUntil === 'shipped';
  return false;
}

/** Every live line has shipped but tracking goes on (for the invoice, or delivery): a wait bounded by `invoiceWaitMs`. */
export function isAwaitingAfterShipment(state: OrderState, trackUntil: TrackUntil): boolean {
  return (state === 'shipped' || state === 'delivered') && !isTerminal(state, trackUntil);
}

/** States whose lifecycle workflow must be running (Get Order Status sweep). */
export function isOpen(state: OrderState, trackUntil: TrackUntil): boolean {
  return state === 'validated' || state === 'error' || (isTracking(state) && !isTerminal(state, trackUntil));
}

export interface OrderTiming {
  pollInitialMs: number;
  pollMaxMs: number;
  pollBackoff: number;
  trackUntil: TrackUntil;
  /** How long a shipped order waits for its invoice (or delivery, tracking until delivered) before it is closed; absent in runs carried over from older code. */
  invoiceWaitMs?: number;
}

/** What the `submit` update returns: the validation result and where the order stands. */
export interface SubmitOutcome {
  accepted: boolean;
  state: OrderState;
  problems: string[];
  purchaseOrderNumber: string | null;
  clientPoNumber: string | null;
  distributorOrderIds: string[];
  /** The order had already been submitted before this request. */
  alreadySubmitted: boolean;
  message: string;
}

export interface LineView {
  lineNumber: string;
  purchaseOrderItemId: number;
  distributorSku: string;
  distributorOrderId: string | null;
  status: string;
  ordered: number;
  shipped: number;
  backordered: number;
  eta: string | null;
  tracking: string[];
}

export interface OrderView {
  connectorId: string;
  purchaseOrderId: number;
  purchaseOrderNumber: string | null;
  clientPoNumber: string | null;
  state: OrderState;
  distributorOrderIds: string[];
  /** The distributor's own status text (per order when split). */
  lastStatus: string | null;
  lastError: string | null;
  problems: string[];
  lines: LineView[];
  polls: number;
  lastPolledAt: string | null;
  trigger: string;
}

export type OrderTrigger = 'manual' | 'schedule' | 'opportunity' | 'sweep';

export interface OrderLifecycleInput {
  connectorId: string;
  purchaseOrderId: number;
  /** The distributor; absent → the one whose vendor company the PO names, or the connector's only one. */
  integrationId?: string;
  /** `schedule` and `opportunity` submit at once; `manual` waits for the submit signal/update; `sweep` resumes from the link. */
  trigger: OrderTrigger;
  opportunityId?: number;
  /** Overrides the connector's settings (tests, benchmarks). */
  timing?: Partial<OrderTiming>;
  /** Activity start-to-close timeout (default 2 minutes). */
  activityTimeoutMs?: number;
  /**
   * The PO and its items as the Submit Order scan just read them (no memos): the first validation uses
   * them instead of reading them again while they are fresh (`SCANNED_PO_MAX_AGE_MS`).
   */
  scanned?: ScannedPurchaseOrder;
  /** Carried across continue-as-new. */
  carry?: OrderCarry;
}

/** `items`: all of the PO's items, absent when the scan did not carry them (too many: validation reads them). */
export type ScannedPurchaseOrder = PoForValidation & { scannedAt: string; items?: PoItemForValidation[] };

/** How long the scan's copy of a PO may stand in for reading it (else validation reads it). */
export const SCANNED_PO_MAX_AGE_MS = 60_000;
/** The PO fields validation needs: what the scan reads. */
export const SCANNED_PO_FIELDS = ['id', 'vendorID', 'purchaseOrderNumber', 'shipToName', 'shipToAddress1', 'shipToAddress2', 'shipToCity', 'shipToState', 'shipToPostalCode', 'phone'] as const;
/** The item fields validation needs (and `orderID`, to group them): what the scan reads of the POs it starts. */
export const SCANNED_ITEM_FIELDS = ['id', 'orderID', 'productID', 'quantity', 'unitCost'] as const;
/** A PO with more items than this has them read by its validation instead (the workflow input stays small). */
export const SCANNED_ITEMS_MAX = 100;

export interface OrderCarry {
  view: OrderView;
  timing: OrderTiming;
  submitRequested: boolean;
  delayMs: number;
}
