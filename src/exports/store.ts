// The export's rows (db/schema/export.ts): records with their hashes, versions and dead letters, and
// each target's cursors and Autotask webhook. One select and one upsert per page of records.
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { exportRecords, exportTargets, type ExportRecordKind, type ExportRecordRow, type ExportRecordState, type ExportTargetRow } from '../../db/schema/export';

export interface ExportScope {
  connectorId: string;
  integrationId: string;
}

export type NewExportRecord = typeof exportRecords.$inferInsert;

const scoped = (s: ExportScope) => and(eq(exportRecords.connectorId, s.connectorId), eq(exportRecords.integrationId, s.integrationId));
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class ExportStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /** The records of `kind` with these ids, by id. */
  async records(s: ExportScope, kind: ExportRecordKind, ids: number[]): Promise<Map<number, ExportRecordRow>> {
    const out = new Map<number, ExportRecordRow>();
    for (const part of chunks([...new Set(ids)])) {
      if (!part.length) continue;
      const rows = await this.db.select().from(exportRecords).where(and(scoped(s), eq(exportRecords.kind, kind), inArray(exportRecords.recordId, part)));
      for (const r of rows) out.set(r.recordId, r);
    }
    return out;
  }

  /** Contract records of these companies. */
  async contractsOfCompanies(s: ExportScope, companyIds: number[]): Promise<ExportRecordRow[]> {
    const out: ExportRecordRow[] = [];
    for (const part of chunks([...new Set(companyIds)])) {
      if (part.length) out.push(...(await this.db.select().from(exportRecords).where(and(scoped(s), eq(exportRecords.kind, 'contract'), inArray(exportRecords.companyId, part)))));
    }
    return out;
  }

  /** Inserts or replaces whole records (every column given). */
  async upsert(rows: NewExportRecord[]): Promise<void> {
    for (const part of chunks(rows)) {
      if (!part.length) continue;
      await this.db
        .insert(exportRecords)
        .values(part)
        .onConflictDoUpdate({
          target: [exportRecords.connectorId, exportRecords.integrationId, exportRecords.kind, exportRecords.recordId],
          set: {
            companyId: sql`excluded.company_id`, companyName: sql`excluded.company_name`, active: sql`excluded.active`, hash: sql`excluded.hash`,
            docType: sql`excluded.doc_type`, version: sql`excluded.version`, deliveredVersion: sql`excluded.delivered_version`, state: sql`excluded.state`,
            document: sql`excluded.document`, lastError: sql`excluded.last_error`, attempts: sql`excluded.attempts`, updatedAt: sql`excluded.updated_at`,
            deliveredAt: sql`excluded.delivered_at`,
          },
        });
    }
  }

  /** Marks these versions delivered (a newer version written meanwhile stays pending). */
  async markDelivered(s: ExportScope, kind: ExportRecordKind, delivered: Array<{ recordId: number; version: number }>): Promise<void> {
    const byVersion = new Map<number, number[]>();
    for (const d of delivered) byVersion.set(d.version, [...(byVersion.get(d.version) ?? []), d.recordId]);
    const now = new Date();
    for (const [version, ids] of byVersion) {
      for (const part of chunks(ids)) {
        await this.db
          .update(exportRecords)
          .set({ state: 'delivered', deliveredVersion: version, document: null, lastError: null, attempts: sql`${exportRecords.attempts} + 1`, deliveredAt: now, updatedAt: now })
          .where(and(scoped(s), eq(exportRecords.kind, kind), eq(exportRecords.version, version), inArray(exportRecords.recordId, part)));
      }
    }
  }

  async markDead(s: ExportScope, kind: ExportRecordKind, recordId: number, version: number, error: string): Promise<void> {
    await this.db
      .update(exportRecords)
      .set({ state: 'dead', lastError: error, attempts: sql`${exportRecords.attempts} + 1`, updatedAt: new Date() })
      .where(and(scoped(s), eq(exportRecords.kind, kind), eq(exportRecords.recordId, recordId), eq(exportRecords.version, version)));
  }

  /** The dead-letter list (oldest first), optionally only some records (`customer:12`). */
  async deadLetters(s: ExportScope, only?: Array<{ kind: ExportRecordKind; recordId: number }>, limit = 500): Promise<ExportRecordRow[]> {
    const rows = await this.db.select().from(exportRecords).where(and(scoped(s), eq(exportRecords.state, 'dead'))).orderBy(asc(exportRecords.updatedAt)).limit(only ? 100_000 : limit);
    return only ? rows.filter((r) => only.some((o) => o.kind === r.kind && o.recordId === r.recordId)) : rows;
  }

  /** Records per kind and state. */
  async counts(s: ExportScope): Promise<Array<{ kind: ExportRecordKind; state: ExportRecordState; n: number }>> {
    const rows = await this.db.select({ kind: exportRecords.kind, state: exportRecords.state, n: count() }).from(exportRecords).where(scoped(s)).groupBy(exportRecords.kind, exportRecords.state);
    return rows.map((r) => ({ kind: r.kind, state: r.state, n: Number(r.n) }));
  }

  // ── targets ───────────────────────────────────────────────────────────────

  async target(s: ExportScope): Promise<ExportTargetRow | undefined> {
    const [row] = await this.db.select().from(exportTargets).where(and(eq(exportTargets.connectorId, s.connectorId), eq(exportTargets.integrationId, s.integrationId)));
    return row;
  }

  async updateTarget(s: ExportScope, patch: Partial<Omit<ExportTargetRow, 'connectorId' | 'integrationId'>>): Promise<void> {
    const values = { ...patch, updatedAt: new Date() };
    await this.db
      .insert(exportTargets)
      .values({ connectorId: s.connectorId, integrationId: s.integrationId, ...values })
      .onConflictDoUpdate({ target: [exportTargets.connectorId, exportTargets.integrationId], set: values });
  }
}
