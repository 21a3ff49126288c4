// Connector rows: sealed credentials in, opened credentials out (only inside activities).
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { connectorChecks, connectors, connectorTemplates, type ConnectorStatus, type TemplateName } from '../../db/schema/connectors';
import type { AutotaskCredentials } from '../autotask/credentials';
import { openString } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';
import type { ConnectInput } from '../workflows/connector';
import { parseSettings, type ConnectorSettings } from './settings';

export interface DistributorSecrets {
  clientId: string;
  clientSecret: string;
}

export interface Connector {
  id: string;
  name: string;
  status: ConnectorStatus;
  email: string;
  zoneUrl?: string;
  discoveryUrl?: string;
  distributorKind: string;
  distributorSettings: Record<string, unknown>;
  settings: ConnectorSettings;
  updatedAt: Date;
}

/** What `connect` sends (credentials sealed), for one connector. */
export type SaveConnectorInput = ConnectInput & { connectorId: string };

export class ConnectorStore {
  constructor(private readonly database: Database, private readonly ring: KeyRing) {}

  async save(input: SaveConnectorInput): Promise<void> {
    // Validate what we can before storing: the sealed values must open with our keys.
    this.openJson(input.sealedAutotaskCredentials);
    this.openJson(input.sealedDistributorCredentials);
    const values = {
      name: input.name,
      autotaskEmail: input.email,
      autotaskCredentials: input.sealedAutotaskCredentials,
      autotaskZoneUrl: input.zoneUrl ?? null,
      autotaskDiscoveryUrl: input.discoveryUrl ?? null,
      distributorKind: input.distributorKind,
      distributorSettings: input.distributorSettings,
      distributorCredentials: input.sealedDistributorCredentials,
      updatedAt: new Date(),
    };
    const existing = await this.row(input.connectorId);
    const settings = parseSettings({ ...(existing?.settings ?? {}), ...(input.settings ?? {}) });
    await this.database.db
      .insert(connectors)
      .values({ id: input.connectorId, ...values, settings })
      .onConflictDoUpdate({ target: connectors.id, set: { ...values, settings } });
  }

  async get(connectorId: string): Promise<Connector> {
    const row = await this.row(connectorId);
    if (!row) throw new Error(`No connector "${connectorId}"`);
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      email: row.autotaskEmail,
      zoneUrl: row.autotaskZoneUrl ?? undefined,
      discoveryUrl: row.autotaskDiscoveryUrl ?? undefined,
      distributorKind: row.distributorKind,
      distributorSettings: row.distributorSettings,
      settings: parseSettings(row.settings),
      updatedAt: row.updatedAt,
    };
  }

  async autotaskCredentials(connectorId: string): Promise<AutotaskCredentials> {
    const row = await this.row(connectorId);
    if (!row) throw new Error(`No connector "${connectorId}"`);
    return this.openJson(row.autotaskCredentials) as AutotaskCredentials;
  }

  async distributorSecrets(connectorId: string): Promise<DistributorSecrets> {
    const row = await this.row(connectorId);
    if (!row) throw new Error(`No connector "${connectorId}"`);
    return this.openJson(row.distributorCredentials) as DistributorSecrets;
  }

  async setStatus(connectorId: string, status: ConnectorStatus, message: string | undefined, checks: Array<{ check: string; ok: boolean; message: string }>): Promise<void> {
    await this.database.db.update(connectors).set({ status, statusMessage: message ?? null, updatedAt: new Date() }).where(eq(connectors.id, connectorId));
    for (const c of checks) {
      await this.database.db
        .insert(connectorChecks)
        .values({ connectorId, check: c.check, ok: c.ok, message: c.message, checkedAt: new Date() })
        .onConflictDoUpdate({ target: [connectorChecks.connectorId, connectorChecks.check], set: { ok: c.ok, message: c.message, checkedAt: new Date() } });
    }
  }

  async updateSettings(connectorId: string, settings: ConnectorSettings): Promise<void> {
    await this.database.db.update(connectors).set({ settings, updatedAt: new Date() }).where(eq(connectors.id, connectorId));
  }

  async setTemplate(connectorId: string, template: TemplateName, enabled: boolean): Promise<void> {
    await this.database.db
      .insert(connectorTemplates)
      .values({ connectorId, template, enabled })
      .onConflictDoUpdate({ target: [connectorTemplates.connectorId, connectorTemplates.template], set: { enabled, updatedAt: new Date() } });
  }

  async recordTemplateRun(connectorId: string, template: TemplateName, status: string, completed: boolean): Promise<void> {
    const now = new Date();
    await this.database.db
      .insert(connectorTemplates)
      .values({ connectorId, template, enabled: false, lastRunAt: now, lastRunStatus: status, lastCompletedAt: completed ? now : null })
      .onConflictDoUpdate({
        target: [connectorTemplates.connectorId, connectorTemplates.template],
        set: { lastRunAt: now, lastRunStatus: status, ...(completed ? { lastCompletedAt: now } : {}), updatedAt: now },
      });
  }

  async templateCompletedOnce(connectorId: string, template: TemplateName): Promise<boolean> {
    const rows = await this.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(connectorTemplates)
      .where(and(eq(connectorTemplates.connectorId, connectorId), eq(connectorTemplates.template, template), sql`${connectorTemplates.lastCompletedAt} is not null`));
    return (rows[0]?.n ?? 0) > 0;
  }

  private async row(connectorId: string) {
    const [row] = await this.database.db.select().from(connectors).where(eq(connectors.id, connectorId));
    return row;
  }

  private openJson(sealed: string): unknown {
    try {
      return JSON.parse(openString(this.ring, sealed));
    } catch {
      throw new Error('Connector credentials could not be opened with this engine\'s encryption keys (BRIDGE_ENCRYPTION_KEY)');
    }
  }
}
