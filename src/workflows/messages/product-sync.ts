// The Product Sync workflow's input, state view and messages: the one definition the workflow, the
// client and the CLI import (wire names are fixed: renaming one breaks running workflows).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SyncCounters } from '../../../db/schema/catalog';
import type { PlanSamples } from '../../product-sync/counters';

export type ProductSyncStatus = 'running' | 'awaiting_approval' | 'deactivating' | 'completed' | 'dry_run' | 'skipped' | 'failed';

export interface ProductSyncInput {
  connectorId: string;
  /** The distributor integration; absent → the connector's only distributor. */
  integrationId?: string;
  dryRun?: boolean;
  trigger?: 'schedule' | 'manual';
  /** How soon a silent page activity (a dead worker) is retried elsewhere; tests shorten it. */
  heartbeatTimeout?: string;
  /** Carried across continue-as-new. */
  state?: ProductSyncState;
}

export interface ProductSyncState {
  runId: string;
  integrationId: string;
  status: ProductSyncStatus;
  cursor: string | null;
  /** Page lanes (productSync.parallelPages), each with its next cursor; absent: one lane at `cursor`. */
  lanes?: PageLane[];
  pages: number;
  counters: SyncCounters;
  samples: PlanSamples;
  endOfCatalog: boolean;
  limitReached: boolean;
  limit: number;
  deactivation?: { candidates: number; active: number; share: number; guardShare: number; approved?: boolean };
  message?: string;
}

export interface PageLane {
  cursor: string | null;
  /** The lane read its last page. */
  ended: boolean;
  /** What the lane's finished page activities did (absent in runs begun before it: counted from then). */
  counters?: SyncCounters;
}

export type ProductSyncResult = ProductSyncState;

export interface DeactivationDecision {
  approve: boolean;
  by?: string;
}

export const progressQuery = defineQuery<ProductSyncState>('progress');
export const approveDeactivationUpdate = defineUpdate<ProductSyncState, [DeactivationDecision]>('approveDeactivation');
