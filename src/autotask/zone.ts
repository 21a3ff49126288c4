// Which Autotask zone (webservicesN host) serves this API user. Discovered once through the
// zone-less host and cached per process; a configured zone URL skips discovery altogether.
import crypto from 'node:crypto';
import type { Got } from 'got';
import { authHeaders, scrub, type AutotaskCredentials } from './credentials';
import { AutotaskError, errorFromResponse } from './errors';
import { zoneInformationSchema } from './schemas/common';

export const DEFAULT_DISCOVERY_URL = 'https://webservices.autotask.net/atservicesrest';

export interface Zone {
  /** Base URL ending in `/`, e.g. `https://webservices14.autotask.net/atservicesrest/`. */
  url: string;
  zoneName?: string | null;
  /** Autotask's id for the customer database; the hourly budget is kept per database. */
  ci?: number | null;
  manual: boolean;
  discoveredAt: number;
}

const cache = new Map<string, Zone>();

export class ZoneResolver {
  private readonly key: string;
  private pending?: Promise<Zone>;

  constructor(
    private readonly http: Got,
    private readonly credentials: AutotaskCredentials,
    private readonly options: { discoveryUrl?: string; zoneUrl?: string } = {},
  ) {
    const who = crypto.createHash('sha256').update(credentials.username.toLowerCase()).digest('hex').slice(0, 16);
    this.key = `${this.discoveryUrl}|${who}`;
  }

  get discoveryUrl(): string {
    return (this.options.discoveryUrl ?? DEFAULT_DISCOVERY_URL).replace(/\/+$/, '');
  }

  async current(): Promise<Zone> {
    if (this.options.zoneUrl) return { url: withSlash(this.options.zoneUrl), manual: true, discoveredAt: 0 };
    const cached = cache.get(this.key);
    if (cached) return cached;
    return this.discover();
  }

  /** Asks again (one request shared by concurrent callers) and says whether the zone changed. */
  async rediscover(previous: Zone): Promise<{ zone: Zone; moved: boolean }> {
    if (previous.manual) return { zone: previous, moved: false };
    const latest = cache.get(this.key);
    if (latest && latest.url !== previous.url) return { zone: latest, moved: true };
    const zone = await this.discover();
    return { zone, moved: zone.url.toLowerCase() !== previous.url.toLowerCase() };
  }

  private discover(): Promise<Zone> {
    this.pending ??= this.fetchZone().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchZone(): Promise<Zone> {
    const url = `${this.discoveryUrl}/V1.0/ZoneInformation?user=${encodeURIComponent(this.credentials.username)}`;
    const clean = (s: string) => scrub(s, this.credentials);
    let response;
    try {
      response = await this.http.get(url, { headers: authHeaders(this.credentials) });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw new AutotaskError('network', `Autotask GET ZoneInformation: zone discovery got no answer (${clean(e.code ?? e.message ?? 'network error')})`, { operation: 'GET ZoneInformation', cause: new Error(clean(e.message ?? '')) });
    }
    const body = parseJson(response.body);
    if (response.statusCode !== 200) throw errorFromResponse('GET ZoneInformation', response.statusCode, body, undefined, clean);
    const parsed = zoneInformationSchema.safeParse(body);
    if (!parsed.success) throw new AutotaskError('unexpected_response', 'Autotask GET ZoneInformation: zone discovery returned an unexpected body', { operation: 'GET ZoneInformation', status: response.statusCode });
    const zone: Zone = { url: withSlash(parsed.data.url), zoneName: parsed.data.zoneName, ci: parsed.data.ci, manual: false, discoveredAt: Date.now() };
    cache.set(this.key, zone);
    return zone;
  }
}

/** Forgets every discovered zone (tests). */
export function clearZoneCache(): void {
  cache.clear();
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
