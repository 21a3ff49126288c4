// Pax8 adapter settings, parsed once with zod. Credentials are the integration's secrets.
import { z } from 'zod';

export const PAX8_BASE_URL = 'https://api.pax8.com/v1';
/** Largest `size` Pax8 accepts on every paged endpoint (spec: `maximum: 200`). */
export const PAX8_MAX_PAGE_SIZE = 200;

export const pax8SettingsSchema = z.object({
  /** Prefix of the partner endpoints (the spec's server). */
  baseUrl: z.string().url().default(PAX8_BASE_URL),
  /** Token endpoint; default `<baseUrl>/token` (authentication spec: `POST /token` on the same server). */
  tokenUrl: z.string().url().optional(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /**
   * The partner's currency. Pax8 pricing carries no currency field (subscriptions and invoices do),
   * so product prices are reported in this one.
   */
  currency: z.string().length(3).default('USD'),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Longest total wait inside one call for 429s before `rate_limited` is thrown. */
  maxRateLimitWaitMs: z.number().int().min(0).default(30_000),
  pageSize: z.number().int().min(1).max(PAX8_MAX_PAGE_SIZE).default(PAX8_MAX_PAGE_SIZE),
  /** Per-record calls (subscription history, pricing) in flight at once. */
  concurrency: z.number().int().min(1).max(32).default(8),
});

export type Pax8SettingsInput = z.input<typeof pax8SettingsSchema>;
export type Pax8Settings = z.output<typeof pax8SettingsSchema>;
