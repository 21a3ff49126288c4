// The order lifecycle workflow's type name and messages: the one definition the workflow, the
// starters (client and activities) and the CLI import. Wire names are fixed: renaming one breaks
// running workflows.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderView, SubmitOutcome } from '../../orders/types';

export type { OrderLifecycleInput, OrderView, SubmitOutcome } from '../../orders/types';

export const ORDER_WORKFLOW_TYPE = 'orderLifecycleWorkflow';

export interface SubmitRequest {
  /** Who asked (operator name, `web-ui`, `cli`, or the trigger that started the workflow). */
  by?: string;
}

export interface CancelRequest {
  reason?: string;
  by?: string;
}

/** A distributor webhook (or an operator's nudge): poll now. */
export interface DistributorEvent {
  distributorOrderId?: string;
  status?: string;
  at?: string;
}

export const submitSignal = defineSignal<[SubmitRequest]>('submit');
export const distributorEventSignal = defineSignal<[DistributorEvent]>('distributorEvent');
export const submitOrderUpdate = defineUpdate<SubmitOutcome, [SubmitRequest]>('submitOrder');
export const retryOrderUpdate = defineUpdate<OrderView, [SubmitRequest]>('retryOrder');
export const cancelOrderUpdate = defineUpdate<OrderView, [CancelRequest]>('cancelOrder');
export const orderQuery = defineQuery<OrderView>('order');
