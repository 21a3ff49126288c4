// Connector and integration rows: sealed credentials in, opened credentials out (only inside
// activities). The shape of an integration's settings and secrets is its kind's (src/integrations).
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { connectorChecks, connectors, connectorTemplates, integrations, type ConnectorStatus, type IntegrationRow } from '../../db/schema/connectors';
import type { AutotaskCredentials } from '../autotask/credentials';
import { openString } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';
import { BridgeError } from '../failures';
import type { IntegrationRole } from '../integrations/definition';
import { integrationKind, integrationProblems } from '../integrations/registry';
import type { ConnectInput, IntegrationInput } from '../workflows/messages/connector';
import { parseSettings, type ConnectorSettings } from './settings';

export interface Connector {
  id: string;
  name: string;
  status: ConnectorStatus;
  email: string;
  zoneUrl?: string;
  discoveryUrl?: string;
  settings: ConnectorSettings;
  updatedAt: Date;
}

export interface Integration {
  connectorId: string;
  id: string;
  kind: string;
  role: IntegrationRole;
  settings: Record<string, unknown>;
  vendorCompanyId?: number;
  vendorCompanyName?: string;
  status: ConnectorStatus;
  statusMessage?: string;
  checks: Array<{ check: string; ok: boolean; message: string }>;
  updatedAt: Date;
}

export type CheckRecord = { check: string; ok: boolean; message: string };

/** What `connect` sends (credentials sealed), for one connector. */
export type SaveConnectorInput = ConnectInput & { connectorId: string };

const missing = (connectorId: string) =>
  new BridgeError('settings', `No connector "${connectorId}": run \`autotask-bridge connect\` first`, { source: 'engine' });

export class ConnectorStore {
  constructor(private readonly database: Database, private readonly ring: KeyRing) {}

  private get db() {
    return this.database.db;
  }

  async save(input: SaveConnectorInput): Promise<void> {
    // Validate before storing: the sealed values must open with our keys and fit their kind.
    this.openJson(input.sealedAutotaskCredentials);
    for (const i of input.integrations ?? []) this.validateIntegration(i);
    const values = {
      name: input.name,
      autotaskEmail: input.email,
      autotaskCredentials: input.sealedAutotaskCredentials,
      autotaskZoneUrl: input.zoneUrl ?? null,
      autotaskDiscoveryUrl: input.discoveryUrl ?? null,
      updatedAt: new Date(),
    };
    const existing = await this.row(input.connectorId);
    const settings = parseSettings({ ...(existing?.settings ?? {}), ...(input.settings ?? {}) });
    await this.db
      .insert(connectors)
      .values({ id: input.connectorId, ...values, settings })
      .onConflictDoUpdate({ target: connectors.id, set: { ...values, settings } });
    for (const i of input.integrations ?? []) await this.saveIntegration(input.connectorId, i);
  }

  async saveIntegration(connectorId: string, input: IntegrationInput): Promise<void> {
    const definition = this.validateIntegration(input);
    const vendor = input.vendorCompany ? { vendorCompanyId: input.vendorCompany.id ?? null, vendorCompanyName: input.vendorCompany.name ?? null } : {};
    const values = { kind: input.kind, role: definition.role, settings: input.settings, secrets: input.sealedSecrets, ...vendor, updatedAt: new Date() };
    await this.db
      .insert(integrations)
      .values({ connectorId, id: input.id, ...values })
      .onConflictDoUpdate({ target: [integrations.connectorId, integrations.id], set: values });
  }

  async removeIntegration(connectorId: string, integrationId: string): Promise<boolean> {
    const rows = await this.db.delete(integrations).where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, integrationId))).returning({ id: integrations.id });
    return rows.length > 0;
  }

  async get(connectorId: string): Promise<Connector> {
    const row = await this.row(connectorId);
    if (!row) throw missing(connectorId);
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      email: row.autotaskEmail,
      zoneUrl: row.autotaskZoneUrl ?? undefined,
      discoveryUrl: row.autotaskDiscoveryUrl ?? undefined,
      settings: parseSettings(row.settings),
      updatedAt: row.updatedAt,
    };
  }

  async integrations(connectorId: string): Promise<Integration[]> {
    const rows = await this.db.select().from(integrations).where(eq(integrations.connectorId, connectorId)).orderBy(integrations.createdAt, integrations.id);
    return rows.map(toIntegration);
  }

  async integration(connectorId: string, integrationId: string): Promise<Integration> {
    const [row] = await this.db.select().from(integrations).where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, integrationId)));
    if (!row) throw new BridgeError('settings', `Connector ${connectorId} has no integration "${integrationId}": see \`autotask-bridge integrations list\``, { source: 'engine' });
    return toIntegration(row);
  }

  async autotaskCredentials(connectorId: string): Promise<AutotaskCredentials> {
    const row = await this.row(connectorId);
    if (!row) throw missing(connectorId);
    return this.openJson(row.autotaskCredentials) as AutotaskCredentials;
  }

  /** The integration's secrets, opened and parsed by its kind's schema. */
  async integrationSecrets(connectorId: string, integrationId: string): Promise<Record<string, unknown>> {
    const [row] = await this.db.select({ kind: integrations.kind, secrets: integrations.secrets }).from(integrations).where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, integrationId)));
    if (!row) throw new BridgeError('settings', `Connector ${connectorId} has no integration "${integrationId}"`, { source: 'engine' });
    return integrationKind(row.kind).secretsSchema.parse(this.openJson(row.secrets)) as Record<string, unknown>;
  }

  async setStatus(connectorId: string, status: ConnectorStatus, message: string | undefined, checks: CheckRecord[]): Promise<void> {
    await this.db.update(connectors).set({ status, statusMessage: message ?? null, updatedAt: new Date() }).where(eq(connectors.id, connectorId));
    for (const c of checks) {
      await this.db
        .insert(connectorChecks)
        .values({ connectorId, check: c.check, ok: c.ok, message: c.message, checkedAt: new Date() })
        .onConflictDoUpdate({ target: [connectorChecks.connectorId, connectorChecks.check], set: { ok: c.ok, message: c.message, checkedAt: new Date() } });
    }
  }

  async setIntegrationStatus(connectorId: string, integrationId: string, status: ConnectorStatus, message: string | undefined, checks: CheckRecord[]): Promise<void> {
    await this.db
      .update(integrations)
      .set({ status, statusMessage: message ?? null, checks })
      .where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, integrationId)));
  }

  async setVendorCompany(connectorId: string, integrationId: string, vendorCompanyId: number, vendorCompanyName: string): Promise<void> {
    await this.db
      .update(integrations)
      .set({ vendorCompanyId, vendorCompanyName, updatedAt: new Date() })
      .where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, integrationId)));
  }

  async updateSettings(connectorId: string, settings: ConnectorSettings): Promise<void> {
    await this.db.update(connectors).set({ settings, updatedAt: new Date() }).where(eq(connectors.id, connectorId));
  }

  async setTemplate(connectorId: string, template: string, integrationId: string, enabled: boolean): Promise<void> {
    await this.db
      .insert(connectorTemplates)
      .values({ connectorId, template, integrationId, enabled })
      .onConflictDoUpdate({ target: [connectorTemplates.connectorId, connectorTemplates.template, connectorTemplates.integrationId], set: { enabled, updatedAt: new Date() } });
  }

  async recordTemplateRun(connectorId: string, template: string, integrationId: string, status: string, completed: boolean): Promise<void> {
    const now = new Date();
    await this.db
      .insert(connectorTemplates)
      .values({ connectorId, template, integrationId, enabled: false, lastRunAt: now, lastRunStatus: status, lastCompletedAt: completed ? now : null })
      .onConflictDoUpdate({
        target: [connectorTemplates.connectorId, connectorTemplates.template, connectorTemplates.integrationId],
        set: { lastRunAt: now, lastRunStatus: status, ...(completed ? { lastCompletedAt: now } : {}), updatedAt: now },
      });
  }

  async templateCompletedOnce(connectorId: string, template: string, integrationId: string): Promise<boolean> {
    const rows = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(connectorTemplates)
      .where(and(eq(connectorTemplates.connectorId, connectorId), eq(connectorTemplates.template, template), eq(connectorTemplates.integrationId, integrationId), sql`${connectorTemplates.lastCompletedAt} is not null`));
    return (rows[0]?.n ?? 0) > 0;
  }

  private validateIntegration(input: IntegrationInput) {
    const definition = integrationKind(input.kind);
    const problems = integrationProblems(input.kind, input.settings, this.openJson(input.sealedSecrets));
    if (problems.length) throw new BridgeError('settings', `${definition.label} integration "${input.id}": ${problems.join('; ')}`, { source: input.id });
    return definition;
  }

  private async row(connectorId: string) {
    const [row] = await this.db.select().from(connectors).where(eq(connectors.id, connectorId));
    return row;
  }

  private openJson(sealed: string): unknown {
    try {
      return JSON.parse(openString(this.ring, sealed));
    } catch {
      throw new BridgeError('settings', "Connector credentials could not be opened with this engine's encryption keys (BRIDGE_ENCRYPTION_KEY)", { source: 'engine' });
    }
  }
}

function toIntegration(row: IntegrationRow): Integration {
  return {
    connectorId: row.connectorId,
    id: row.id,
    kind: row.kind,
    role: row.role as IntegrationRole,
    settings: row.settings,
    vendorCompanyId: row.vendorCompanyId ?? undefined,
    vendorCompanyName: row.vendorCompanyName ?? undefined,
    status: row.status,
    statusMessage: row.statusMessage ?? undefined,
    checks: row.checks,
    updatedAt: row.updatedAt,
  };
}
