// Countries: a read-only system table (CountryModel in spec/autotask-openapi.json: id, countryCode,
// name, displayName, isActive, isDefaultCountry; the spec declares query and GET, no writes). Company
// `countryID` points into it; the customer import reads `countryCode` (ISO 3166-1 alpha-2) from it.
// The simulator fills the table on first read (a fresh database already has it).
import type { RuleContext, SimRuleModule } from './index';

/**
 * [unverified] Autotask's own country ids are not published in the spec; 237 = United States matches the
 * sandbox's seeded company (src/sim/index.ts). The codes are ISO 3166-1 alpha-2.
 */
export const SIM_COUNTRIES: Array<[id: number, code: string, name: string]> = [
  [237, 'US', 'United States'],
  [236, 'GB', 'United Kingdom'],
  [39, 'CA', 'Canada'],
  [14, 'AU', 'Australia'],
  [83, 'DE', 'Germany'],
  [76, 'FR', 'France'],
  [155, 'NL', 'Netherlands'],
  [106, 'IE', 'Ireland'],
  [208, 'ES', 'Spain'],
  [110, 'IT', 'Italy'],
  [158, 'NZ', 'New Zealand'],
  [211, 'SE', 'Sweden'],
];

function fill(ctx: RuleContext): void {
  const table = ctx.store.table('Countries');
  if (table.ids.length) return;
  for (const [id, countryCode, name] of SIM_COUNTRIES) {
    ctx.store.insertFull('Countries', { id, countryCode, name, displayName: name, isActive: true, isDefaultCountry: countryCode === 'US' });
  }
}

export const countries: SimRuleModule = {
  name: 'countries',
  entities: ['Countries'],
  define: { Countries: { model: 'CountryModel', canCreate: false, canUpdate: false, rootWrites: [] } },
  beforeQuery(ctx) {
    fill(ctx);
  },
};
