// Settings and secrets of a CloudBlue Commerce (SimpleAPI) integration: the only place their shape is written.
import { z } from 'zod';

export const cloudBlueSettingsSchema = z.object({
  /** SimpleAPI base URL, e.g. `https://api.cloud.im/marketplace/eu` (per marketplace). */
  baseUrl: z.string().url(),
  /** Marketplace code sent in the token request (`TokenRequest.marketplace`, e.g. `uk`); optional in the spec. */
  marketplace: z.string().min(1).optional(),
  /** Currency whose prices are read when a product lists several (default: the first recurring price). */
  currency: z.string().length(3).optional(),
  /** Language of customers we create (`Account.language`, required by the spec). */
  language: z.string().min(2).default('en'),
  /** Page size for `offset`/`limit` paging. The spec sets no maximum; 100 is our choice [unverified]. */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /** Parallel detail reads (GET /orders/{id}, /subscriptions/{id}). */
  detailConcurrency: z.number().int().min(1).max(32).default(8),
  /** Name of the rated-data report the usage events come from (configured per marketplace). */
  usageReportName: z.string().min(1).default('Rated Data'),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Longest total wait for 429s inside one request. */
  maxRateLimitWaitMs: z.number().int().nonnegative().default(60_000),
});
export type CloudBlueSettings = z.output<typeof cloudBlueSettingsSchema>;
export type CloudBlueSettingsInput = z.input<typeof cloudBlueSettingsSchema>;

export const cloudBlueSecretsSchema = z.object({
  /** API user (staff member) for Basic authentication at POST /token. */
  username: z.string().min(1),
  password: z.string().min(1),
  /** The reseller's API gateway subscription key, sent as `X-Subscription-Key` on every call. */
  subscriptionKey: z.string().min(1),
});
export type CloudBlueSecrets = z.output<typeof cloudBlueSecretsSchema>;
