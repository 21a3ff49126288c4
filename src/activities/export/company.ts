// The webhook path's activity: one company read again (the webhook's Fields are only the changed
// ones, and a burst's last state is what counts) and exported, with its contracts when its name or
// active state changed. One read for the company, one for its contracts when needed.
import { exportCompanies, exportContractsOfCompanies, addCounts, type ExportCounts } from '../../exports/pipeline';
import type { ExportScope } from '../../exports/store';
import { pipelineFor, type ExportActivityDeps } from './context';

export function companyActivities(deps: ExportActivityDeps) {
  return {
    async exportCompany(input: ExportScope & { companyId: number }): Promise<ExportCounts> {
      const ctx = await pipelineFor(deps, input);
      const company = await ctx.autotask.companies.get(input.companyId);
      const counts = company ? await exportCompanies(ctx, [company]) : await exportCompanies(ctx, [], { deletedIds: [input.companyId] });
      const { changedCompanies, ...rest } = counts;
      return changedCompanies.length ? addCounts(rest, { ...(await exportContractsOfCompanies(ctx, changedCompanies)), read: 0 }) : rest;
    },
  };
}
