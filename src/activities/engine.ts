// Engine-level activities: the action log operators read.
import { eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { actionLog } from '../../db/schema';

export interface RecordActionInput {
  kind: string;
  message: string;
  connectorId?: string;
  workflowId?: string;
  details?: Record<string, unknown>;
}

export function createEngineActivities({ database }: { database: Database }) {
  return {
    async recordAction(input: RecordActionInput): Promise<{ actionId: number }> {
      const [row] = await database.db.insert(actionLog).values(input).returning({ id: actionLog.id });
      return { actionId: row.id };
    },

    async readAction({ actionId }: { actionId: number }): Promise<{ kind: string; details: Record<string, unknown> | null; driver: string }> {
      const [row] = await database.db.select().from(actionLog).where(eq(actionLog.id, actionId));
      if (!row) throw new Error(`action ${actionId} not found`);
      return { kind: row.kind, details: row.details, driver: database.driver };
    },
  };
}
