// Address normalisation before an order is validated: US states and Canadian provinces to their
// two-letter postal codes, country names to ISO 3166-1 alpha-2 codes, and the checks of an address
// against what the distributor accepts (lengths, required fields). Pure.
import type { Address, AddressRules } from '../distributors/adapter';

const US_STATES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut', DE: 'Delaware',
  DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa',
  KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
  MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey',
  NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon',
  PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  AS: 'American Samoa', GU: 'Guam', MP: 'Northern Mariana Islands', PR: 'Puerto Rico', VI: 'U.S. Virgin Islands',
  AA: 'Armed Forces Americas', AE: 'Armed Forces Europe', AP: 'Armed Forces Pacific',
};

const CA_PROVINCES: Record<string, string> = {
  AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick', NL: 'Newfoundland and Labrador', NS: 'Nova Scotia',
  NT: 'Northwest Territories', NU: 'Nunavut', ON: 'Ontario', PE: 'Prince Edward Island', QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
};

const STATE_ALIASES: Record<string, string> = {
  'washington dc': 'DC', 'washington d c': 'DC', 'virgin islands': 'VI', 'us virgin islands': 'VI', newfoundland: 'NL', labrador: 'NL',
  'pei': 'PE', 'yukon territory': 'YT', 'quebec city': 'QC',
};

/** Lower case, accents and punctuation gone, spaces single: `Québec` → `quebec`, `U.S.A.` → `u s a`. */
export function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const byName = (table: Record<string, string>) => new Map(Object.entries(table).map(([code, name]) => [fold(name), code]));
const REGIONS: Record<string, { codes: Record<string, string>; names: Map<string, string> }> = {
  US: { codes: US_STATES, names: byName(US_STATES) },
  CA: { codes: CA_PROVINCES, names: byName(CA_PROVINCES) },
};

/** A US state or Canadian province as its two-letter code; anything else (or elsewhere) trimmed as given. */
export function normaliseState(state: string, countryCode: string): string {
  const value = state.trim();
  const region = REGIONS[countryCode.toUpperCase()];
  if (!region) return value;
  if (/^[a-z]{2}$/i.test(value) && region.codes[value.toUpperCase()]) return value.toUpperCase();
  const folded = fold(value);
  const alias = STATE_ALIASES[folded];
  if (alias && region.codes[alias]) return alias;
  return region.names.get(folded) ?? region.names.get(folded.replace(/^(state of|province of) /, '')) ?? value;
}

// Codes ICU names that are not assigned ISO 3166-1 countries: reserved, withdrawn or groupings.
const NOT_COUNTRIES = new Set([
  'AC', 'AN', 'BU', 'CP', 'CQ', 'CS', 'DD', 'DG', 'DY', 'EA', 'EU', 'EZ', 'FX', 'HV', 'IC', 'NH', 'QO', 'RH', 'SU', 'TA', 'TP', 'UK', 'UN',
  'VD', 'XA', 'XB', 'XK', 'YD', 'YU', 'ZR', 'ZZ',
]);

const COUNTRY_ALIASES: Record<string, string> = {
  usa: 'US', 'u s': 'US', 'u s a': 'US', 'united states of america': 'US', america: 'US', us: 'US',
  uk: 'GB', 'u k': 'GB', 'great britain': 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB',
  holland: 'NL', 'the netherlands': 'NL', 'czech republic': 'CZ', turkey: 'TR', 'republic of korea': 'KR', korea: 'KR',
  'russian federation': 'RU', 'viet nam': 'VN', 'hong kong': 'HK', macau: 'MO', macao: 'MO', 'ivory coast': 'CI', swaziland: 'SZ',
  macedonia: 'MK', 'cabo verde': 'CV', deutschland: 'DE', 'united arab emirates': 'AE', uae: 'AE',
  // ISO 3166-1 alpha-3 for the markets we expect most.
  can: 'CA', gbr: 'GB', mex: 'MX', aus: 'AU', nzl: 'NZ', deu: 'DE', fra: 'FR', nld: 'NL', irl: 'IE', bel: 'BE', esp: 'ES', ita: 'IT',
};

let countries: { codes: Set<string>; names: Map<string, string> } | undefined;
function countryTables(): { codes: Set<string>; names: Map<string, string> } {
  if (countries) return countries;
  // English region names from the runtime's ICU data: every ISO 3166-1 alpha-2 code without a table here.
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  const codes = new Set<string>();
  const names = new Map<string, string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      let name: string | undefined;
      try {
        name = display.of(code);
      } catch {
        name = undefined;
      }
      if (!name || name === code) continue;
      codes.add(code);
      names.set(fold(name), code);
      // "Hong Kong SAR China", "Côte d’Ivoire": also the name without a trailing qualifier.
      names.set(fold(name.replace(/\s+SAR\s+China$/i, '')), code);
    }
  }
  countries = { codes, names };
  return countries;
}

/** A country name or code as its ISO 3166-1 alpha-2 code, or null when it is not recognisable. */
export function normaliseCountry(country: string): string | null {
  const value = country.trim();
  const { codes, names } = countryTables();
  if (/^[a-z]{2}$/i.test(value) && codes.has(value.toUpperCase())) return value.toUpperCase();
  const folded = fold(value);
  return COUNTRY_ALIASES[folded] ?? names.get(folded) ?? names.get(folded.replace(/^the /, '')) ?? null;
}

const FIELD_LABELS: Record<keyof Address, string> = {
  companyName: 'name', contact: 'contact', addressLine1: 'address', addressLine2: 'address line 2', addressLine3: 'address line 3',
  city: 'city', state: 'state', postalCode: 'postal code', countryCode: 'country', phoneNumber: 'phone', email: 'e-mail',
};

/**
 * What a distributor would refuse in this address, in words for the PO: missing required fields and
 * values longer than it takes. `what` names the address, e.g. `The ship-to address`.
 */
export function addressProblems(address: Address, rules: AddressRules, what: string, vendorName: string): string[] {
  const problems: string[] = [];
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  const required = [...rules.required, ...(rules.stateRequiredIn.includes(address.countryCode ?? '') ? (['state'] as const) : [])];
  const missing = required.filter((k) => blank(address[k])).map((k) => FIELD_LABELS[k]);
  if (missing.length) problems.push(`${what} is incomplete for ${vendorName}: no ${[...new Set(missing)].join(', ')}.`);
  for (const [key, max] of Object.entries(rules.maxLength) as Array<[keyof Address, number]>) {
    const v = address[key];
    if (v !== undefined && v.length > max) {
      problems.push(`${what}: the ${FIELD_LABELS[key]} "${v.length > 60 ? `${v.slice(0, 57)}...` : v}" has ${v.length} characters; ${vendorName} accepts at most ${max}.`);
    }
  }
  return problems;
}
