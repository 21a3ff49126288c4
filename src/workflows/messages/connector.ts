// The connector workflow's messages and views: the one definition the workflow, the client and the
// CLI import (wire names are fixed: renaming one breaks running workflows).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConnectorStatus } from '../../../db/schema/connectors';
import type { IntegrationRole } from '../../integrations/definition';

export interface CheckResult {
  check: string;
  ok: boolean;
  message: string;
  /** Passed, but something waits for an operator (e.g. a submit status not yet confirmed). */
  warning?: boolean;
}

/** What a check that passes with a caveat returns (a plain string is a clean pass). */
export interface CheckOutcome {
  message: string;
  warning?: boolean;
}

export interface IntegrationView {
  id: string;
  kind: string;
  role: IntegrationRole;
  label: string;
  status: ConnectorStatus;
  statusMessage?: string;
  checks: CheckResult[];
}

export interface TemplateView {
  template: string;
  integrationId: string;
  enabled: boolean;
  lastRunAt?: string;
  lastRunStatus?: string;
  lastCompletedAt?: string;
}

export interface ConnectorView {
  connectorId: string;
  status: ConnectorStatus;
  statusMessage?: string;
  /** The Autotask side's checks. */
  checks: CheckResult[];
  integrations: IntegrationView[];
  /** Keyed by `instanceKey(template, integrationId)`. */
  templates: Record<string, TemplateView>;
}

/** One integration as `connect` / `integrations add` send it: secrets sealed with the engine's key ring. */
export interface IntegrationInput {
  id: string;
  kind: string;
  settings: Record<string, unknown>;
  sealedSecrets: string;
  /** A distributor's Autotask vendor company, when it is not the company named like the kind's label. */
  vendorCompany?: { id?: number; name?: string };
}

/** What `autotask-bridge connect` sends. Credentials arrive sealed with the engine's key ring. */
export interface ConnectInput {
  name: string;
  email: string;
  zoneUrl?: string;
  discoveryUrl?: string;
  sealedAutotaskCredentials: string;
  /** Added or replaced alongside the Autotask side (the `--distributor` shorthand). */
  integrations?: IntegrationInput[];
  settings?: Record<string, unknown>;
}

export interface TemplateRunReport {
  template: string;
  integrationId: string;
  status: 'completed' | 'failed' | 'awaiting_approval' | 'dry_run';
  at: string;
  summary?: string;
}

export interface TemplateRef {
  template: string;
  /** Optional when the connector has exactly one integration of the template's role. */
  integrationId?: string;
}

/** `settings --submit-status` / `templates enable submit-order`: read, choose or confirm Submit Order's PO status. */
export interface SubmitStatusRequest {
  /** Labels or values of the database's PurchaseOrders status picklist; none = the current choice (or a proposal). */
  statuses?: string[];
  /** Store the statuses as confirmed; otherwise nothing is stored. */
  confirm: boolean;
  /** How it was confirmed (recorded with the setting). */
  by?: string;
}

export interface SubmitStatusView {
  values: number[];
  labels: string[];
  confirmed: boolean;
  confirmedAt?: string;
  confirmedBy?: string;
  /** The database's active PO statuses, to choose from. */
  options: Array<{ value: number; label: string }>;
  /** POs of the connector's distributors' vendor companies in these statuses now: the first scan submits them. */
  waiting: number;
  /** The `submit-status` check as `status` shows it. */
  check: CheckOutcome;
}

export const connectUpdate = defineUpdate<ConnectorView, [ConnectInput]>('connect');
export const reconnectUpdate = defineUpdate<ConnectorView>('reconnect');
export const disableConnectorUpdate = defineUpdate<ConnectorView>('disableConnector');
export const enableTemplateUpdate = defineUpdate<ConnectorView, [TemplateRef]>('enableTemplate');
export const disableTemplateUpdate = defineUpdate<ConnectorView, [TemplateRef]>('disableTemplate');
export const updateSettingsUpdate = defineUpdate<ConnectorView, [Record<string, unknown>]>('updateSettings');
export const addIntegrationUpdate = defineUpdate<ConnectorView, [IntegrationInput]>('addIntegration');
export const removeIntegrationUpdate = defineUpdate<ConnectorView, [string]>('removeIntegration');
export const checkIntegrationUpdate = defineUpdate<ConnectorView, [string]>('checkIntegration');
export const submitStatusUpdate = defineUpdate<SubmitStatusView, [SubmitStatusRequest]>('submitStatus');
export const templateRunSignal = defineSignal<[TemplateRunReport]>('templateRun');
export const connectorQuery = defineQuery<ConnectorView>('connector');
