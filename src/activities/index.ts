// createActivities(deps): the one place activities get their clients and database.
import type { Database } from '../../db';
import { createEngineActivities } from './engine';

export interface ActivityDeps {
  database: Database;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createEngineActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
