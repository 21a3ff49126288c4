// Ingram Micro Reseller v6 adapter settings, parsed once with zod (see ../README.md).
import { z } from 'zod';

export const INGRAM_SANDBOX_URL = 'https://api.ingrammicro.com:443/sandbox';
export const INGRAM_PRODUCTION_URL = 'https://api.ingrammicro.com:443';

/** The settings' fields; `ingramSettingsSchema` adds the base-URL rule. */
export const ingramSettingsObject = z.object({
  /** Prefix for `/resellers/...` paths. Required: production and sandbox must never be mixed up silently. */
  baseUrl: z.string().url().optional(),
  /** `true` (and no `baseUrl`): Ingram's sandbox, `INGRAM_SANDBOX_URL`. */
  sandbox: z.boolean().optional(),
  /** Token endpoint; default: `/oauth/oauth20/token` at the origin of `baseUrl`. */
  tokenUrl: z.string().url().optional(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  customerNumber: z.string().min(1).max(10),
  countryCode: z.string().length(2).default('US'),
  /** Optional `IM-SenderID` header (the spec does not require it). */
  senderId: z.string().min(1).max(32).optional(),
  /** Per-request timeout, ms. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Transport retries for connection failures on idempotent calls only. */
  transportRetries: z.number().int().min(0).max(5).default(2),
  /** Longest total wait inside one call for 429s before throwing `rate_limited`. */
  maxRateLimitWaitMs: z.number().int().min(0).default(10_000),
  /** Catalog page size (Ingram allows 1..100). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /** SKUs per price-and-availability call (Ingram allows up to 50). */
  pnaBatchSize: z.number().int().min(1).max(50).default(50),
  /** Refresh the OAuth token this long before it expires. */
  tokenRefreshSkewMs: z.number().int().min(0).default(60_000),
  /** Default for orders that do not say. */
  acceptBackOrder: z.boolean().default(true),
  /**
   * A new order may take a while to appear in the order search by PO number (unverified how long):
   * `findOrderByPoWithin` searches this many times, this far apart, before concluding none exists.
   */
  poSearchAttempts: z.number().int().min(1).max(20).default(4),
  poSearchDelayMs: z.number().int().min(0).max(60_000).default(2_000),
});

/** A settings object without a base URL must say `sandbox: true` explicitly. */
export function requireBaseUrl(v: { baseUrl?: string; sandbox?: boolean }, ctx: z.RefinementCtx): void {
  if (!v.baseUrl && v.sandbox !== true) {
    ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `baseUrl is required (production: ${INGRAM_PRODUCTION_URL}); set sandbox: true for Ingram's sandbox` });
  }
}

export const ingramSettingsSchema = ingramSettingsObject.superRefine(requireBaseUrl);

export type IngramSettingsInput = z.input<typeof ingramSettingsSchema>;
export type IngramSettings = Omit<z.output<typeof ingramSettingsSchema>, 'baseUrl'> & { baseUrl: string };

export function parseIngramSettings(input: IngramSettingsInput): IngramSettings {
  const parsed = ingramSettingsSchema.parse(input);
  return { ...parsed, baseUrl: parsed.baseUrl ?? INGRAM_SANDBOX_URL };
}

/** Settings from `INGRAM_*` environment variables (overridden by `overrides`). */
export function ingramSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<IngramSettingsInput> = {}): IngramSettings {
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const input: Record<string, unknown> = {
    baseUrl: env.INGRAM_BASE_URL || undefined,
    sandbox: env.INGRAM_SANDBOX === undefined || env.INGRAM_SANDBOX === '' ? undefined : /^(1|true|yes)$/i.test(env.INGRAM_SANDBOX),
    tokenUrl: env.INGRAM_TOKEN_URL || undefined,
    clientId: env.INGRAM_CLIENT_ID,
    clientSecret: env.INGRAM_CLIENT_SECRET,
    customerNumber: env.INGRAM_CUSTOMER_NUMBER,
    countryCode: env.INGRAM_COUNTRY_CODE || undefined,
    senderId: env.INGRAM_SENDER_ID || undefined,
    timeoutMs: num(env.INGRAM_TIMEOUT_MS),
    maxRateLimitWaitMs: num(env.INGRAM_MAX_RATE_LIMIT_WAIT_MS),
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return parseIngramSettings({ ...input, ...overrides } as IngramSettingsInput);
}
