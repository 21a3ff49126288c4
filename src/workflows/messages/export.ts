// The customer export's workflow messages, inputs, results and ids (pure: workflows, activities and
// the client import it). One polling pass per export target on the template's schedule; one short
// workflow per company that webhooks signal, so a burst of events for one company is one export.
import { defineSignal } from '@temporalio/workflow';
import type { ExportCounts } from '../../exports/pipeline';
import type { TemplateRunInput } from '../../templates/template';

export const EXPORT_TEMPLATE = 'customer-export';

export const exportWorkflowIds = {
  /** The template's polling pass (a manual run adds its time via workflowIds.manualRun). */
  pass: (connectorId: string, integrationId: string) => `customer-export/${connectorId}/${integrationId}`,
  /** One per company with pending webhook events. */
  company: (connectorId: string, integrationId: string, companyId: number) => `customer-export-company/${connectorId}/${integrationId}/${companyId}`,
  /** An operator command (`export status`, `export retry`). */
  command: (connectorId: string, integrationId: string, command: string, at: string) => `customer-export-command/${connectorId}/${integrationId || '-'}/${command}-${at}`,
};

export interface CompanyChange {
  action: 'Create' | 'Update' | 'Delete';
  /** Autotask's EventTime of the delivery. */
  eventTime?: string;
}

/** A webhook event for the company: signal-with-start, so the first event starts the workflow. */
export const companyChangedSignal = defineSignal<[CompanyChange]>('companyChanged');

export interface CompanyExportInput {
  connectorId: string;
  integrationId: string;
  companyId: number;
  /** The export runs once no event came for this long (default 2 s)… */
  quietMs?: number;
  /** …or this long after the first event at the latest (default 30 s). */
  maxWaitMs?: number;
}

export interface CompanyExportResult {
  events: number;
  exports: number;
}

export interface ExportPlan {
  syncCustomers: boolean;
  syncContracts: boolean;
  /** A full pass: first enable, settings changed, or asked for. */
  full: boolean;
  companiesSince: string | null;
  contractsSince: string | null;
  settingsHash: string;
  /** When the plan was made: the cursors saved at the end are never later (see finishExportPass). */
  startedAt?: string;
  warning?: string;
  receiverUrl?: string;
}

export interface ExportPassProgress {
  /** `contacts`: incremental passes, Contacts changed since the companies cursor (their companies exported again). */
  phase: 'companies' | 'contacts' | 'contracts' | 'done';
  afterId: number;
  companiesSeen: string | null;
  contractsSeen: string | null;
  customers: ExportCounts;
  contracts: ExportCounts;
}

export interface CustomerExportInput extends TemplateRunInput {
  /** Read everything, not only what changed since the cursors. */
  full?: boolean;
  /** Carried across continue-as-new. */
  carry?: { integrationId: string; plan: ExportPlan; webhook?: string; progress: ExportPassProgress };
}

export interface CustomerExportResult {
  integrationId: string;
  full: boolean;
  customers: ExportCounts;
  contracts: ExportCounts;
  webhook?: string;
  warning?: string;
  summary: string;
}

export interface ExportPageResult {
  lastId: number;
  more: boolean;
  /** Newest change date among the page's records. */
  maxSeen: string | null;
  counts: ExportCounts;
}

export type ExportCommandInput =
  | { connectorId: string; integrationId?: string; command: 'status' }
  | { connectorId: string; integrationId?: string; command: 'retry'; all?: boolean; records?: Array<{ kind: 'customer' | 'contract'; recordId: number }> };

export interface ExportStatus {
  integrationId: string;
  syncCustomers: boolean;
  syncContracts: boolean;
  /** Minutes between polling passes (the target's `pollMinutes`). */
  pollMinutes: number;
  warning?: string;
  counts: Array<{ kind: string; state: string; n: number }>;
  deadLetters: Array<{ kind: string; recordId: number; version: number; error: string; at: string }>;
  companiesSince: string | null;
  contractsSince: string | null;
  fullPassAt: string | null;
  lastRunAt: string | null;
  lastRunSummary: string | null;
  webhook: { id: number | null; url: string | null; status: string | null; checkedAt: string | null; deactivatedAt: string | null };
}

export interface ExportRetryResult {
  integrationId: string;
  tried: number;
  delivered: number;
  dead: number;
  errors: string[];
}
