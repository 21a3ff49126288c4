// Settings and secrets of a TD SYNNEX (US/CA) integration: the only place their shape is written.
// EC Express XML for price and availability, orders and order status; the daily price-and-availability
// flat file (`<account>.ap`) over FTP for the catalog. Sources: shared notes "TD SYNNEX" (EC Express hosts,
// `testec.` sandbox, invoice web service on `ws.`), bipin0x01/synnex-xml-sdk (hosts per environment and country).
import { z } from 'zod';

export const TD_SYNNEX_REGIONS = ['us', 'ca'] as const;
export type TdSynnexRegion = (typeof TD_SYNNEX_REGIONS)[number];

export const tdSynnexSettingsSchema = z.object({
  region: z.enum(TD_SYNNEX_REGIONS).default('us'),
  /** `sandbox` uses TD SYNNEX's test hosts (`testec.`, `testws.`). */
  environment: z.enum(['production', 'sandbox']).default('sandbox'),
  /** EC Express XML origin; default `https://{testec|ec}.{region}.tdsynnex.com` (paths `/SynnexXML/...`). */
  xmlUrl: z.string().url().optional(),
  /** Invoice web service origin; default `https://{testws|ws}.{region}.tdsynnex.com` (path `/webservice/invoice/query`). */
  invoiceUrl: z.string().url().optional(),
  /** TD SYNNEX customer (account) number: `customerNo` / `CustomerNumber` / `BillTo code`. */
  customerNumber: z.string().min(1).max(20),

  ftpHost: z.string().min(1),
  ftpPort: z.number().int().min(1).max(65535).default(21),
  /** FTPS (explicit TLS); TD SYNNEX also offers plain FTP [unverified which one an account gets]. */
  ftpSecure: z.boolean().default(false),
  /** Directory holding the price file. */
  ftpPath: z.string().default('/'),
  /** The price-and-availability file; default `<customerNumber>.ap`. */
  priceFile: z.string().min(1).optional(),
  /** Text encoding of the file [unverified: the v2.61 spec predates UTF-8 feeds; latin1 reads any byte]. */
  fileEncoding: z.enum(['latin1', 'utf8']).default('latin1'),
  /**
   * Lines per catalog page. 250 keeps a page's records short-lived: with 1,000, every page outlived V8's young
   * generation and peak RSS of a 100k-line walk was 1.36× that of 20k lines (250: 1.04×; bench distributor-catalog).
   */
  pageSize: z.number().int().min(1).max(10_000).default(250),
  /** A file older than this is not trusted for prices: price and availability come from the XML P&A call. */
  maxFileAgeHours: z.number().positive().default(36),
  /**
   * Warehouses whose stock counts as availability (the availability UDF, in stock or not), each by id — the XML
   * warehouse number or the file's column as `col<n>` — or by city (`Chicago`, matched without case). Empty: every
   * warehouse (the file's total on hand). An MSP served from one region sets the warehouses that ship to it.
   */
  availabilityWarehouses: z.array(z.string().trim().min(1)).default([]),
  /** When a resumed walk finds a different file: start over on the new one, or fail. */
  onFileChange: z.enum(['restart', 'fail']).default('restart'),

  /** SKUs per XML P&A call [unverified: no published maximum; 50 as peers use]. */
  pnaBatchSize: z.number().int().min(1).max(200).default(50),
  /** `ShipMethod/Code`; default FedEx Ground (US) / Purolator Ground (CA), codes from bipin0x01/synnex-xml-sdk. */
  shipMethodCode: z.string().min(1).max(8).optional(),
  /** `ShipFromWarehouse`; empty lets TD SYNNEX choose. */
  shipFromWarehouse: z.string().max(8).optional(),
  /** Default `BackOrderFlag` for orders that do not say. */
  acceptBackOrder: z.boolean().default(true),
  /** How often and how far apart `findOrderByPoWithin` looks for a PO just placed [unverified: how soon status shows a new PO]. */
  poSearchAttempts: z.number().int().min(1).max(10).default(3),
  poSearchDelayMs: z.number().int().min(0).default(5_000),
  timeoutMs: z.number().int().positive().default(30_000),
  ftpTimeoutMs: z.number().int().positive().default(30_000),
});
export type TdSynnexSettings = z.output<typeof tdSynnexSettingsSchema>;
export type TdSynnexSettingsInput = z.input<typeof tdSynnexSettingsSchema>;

export const tdSynnexSecretsSchema = z.object({
  /** EC Express XML user (`userName` / `Credential/UserID`). */
  xmlUsername: z.string().min(1),
  xmlPassword: z.string().min(1),
  ftpUser: z.string().min(1),
  ftpPassword: z.string().min(1),
});
export type TdSynnexSecrets = z.output<typeof tdSynnexSecretsSchema>;

export function xmlOrigin(s: TdSynnexSettings): string {
  return (s.xmlUrl ?? `https://${s.environment === 'sandbox' ? 'testec' : 'ec'}.${s.region}.tdsynnex.com`).replace(/\/+$/, '');
}

export function invoiceOrigin(s: TdSynnexSettings): string {
  return (s.invoiceUrl ?? `https://${s.environment === 'sandbox' ? 'testws' : 'ws'}.${s.region}.tdsynnex.com`).replace(/\/+$/, '');
}

export function priceFilePath(s: TdSynnexSettings): string {
  const dir = s.ftpPath.endsWith('/') ? s.ftpPath : `${s.ftpPath}/`;
  return `${dir}${s.priceFile ?? `${s.customerNumber}.ap`}`;
}

export function defaultShipMethod(s: TdSynnexSettings): string {
  return s.shipMethodCode ?? (s.region === 'ca' ? 'PUG' : 'FG');
}
