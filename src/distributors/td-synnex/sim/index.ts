// `startTdSynnexSim(options)`: TD SYNNEX's price file on a real local FTP server and EC Express XML on
// a loopback HTTP server, with orders moved by a simulated clock.
import { utimes } from 'node:fs/promises';
import { SimServer } from '../../../sim/kit/server';
import type { TdSynnexSecrets, TdSynnexSettingsInput } from '../settings';
import { DAY_MS, SimCatalog, type CatalogSettings } from './catalog';
import { FtpSim } from './ftp';
import { OrderBook } from './orders';
import { errorDocument, registerTdSynnexRoutes, type TdSynnexSimState } from './server';

export interface TdSynnexSimOptions {
  /** HTTP port (0, the default: a free one). */
  port?: number;
  catalog?: Partial<CatalogSettings>;
  /** Day of the file written at start (default 0). */
  day?: number;
  /** Write the file at start (default true). */
  writeFile?: boolean;
  customerNumber?: string;
  xmlUser?: string;
  xmlPassword?: string;
  ftpUser?: string;
  ftpPassword?: string;
  pasvRange?: [number, number];
  /** Check every XML request against the request schemas (default true; off only for benchmarks). */
  checkContract?: boolean;
  /** Orders also take one step per this many real milliseconds (default 0: only the simulated clock moves them). */
  msPerStep?: number;
}

export interface FileOptions {
  day?: number;
  /** Leave the file cut after this many bytes (an upload in progress). */
  cutAtBytes?: number;
  /** Backdate the file's modification time by this many hours. */
  ageHours?: number;
}

export interface TdSynnexSim {
  readonly url: string;
  readonly server: SimServer;
  readonly ftp: FtpSim;
  readonly state: TdSynnexSimState;
  readonly catalog: SimCatalog;
  readonly orders: OrderBook;
  /** Path of the price file on the FTP server. */
  readonly fileName: string;
  readonly secrets: TdSynnexSecrets;
  /** Settings pointing an adapter at this simulator. */
  settings(overrides?: Partial<TdSynnexSettingsInput>): TdSynnexSettingsInput;
  /** Rewrites the price file (a new day's prices, a half-written upload, an old file). */
  writeFile(options?: FileOptions): Promise<{ bytes: number; lines: number }>;
  setFileAge(hours: number): Promise<void>;
  /** Moves the order clock (orders progress on it). */
  advanceClock(ms: number): void;
  /** FTP logins + transfers and XML requests so far. */
  requests(): { ftpLogins: number; ftpTransfers: number; xml: number };
  takeViolations(): string[];
  stop(): Promise<void>;
}

export const SIM_CUSTOMER_NUMBER = '786110';
export const SIM_XML_USER = 'sim-xml-user';
export const SIM_XML_PASSWORD = 'sim-xml-password-do-not-log';
export const SIM_FTP_USER = 'sim-ftp-user';
export const SIM_FTP_PASSWORD = 'sim-ftp-password-do-not-log';

export async function startTdSynnexSim(options: TdSynnexSimOptions = {}): Promise<TdSynnexSim> {
  const customerNumber = options.customerNumber ?? SIM_CUSTOMER_NUMBER;
  const secrets: TdSynnexSecrets = {
    xmlUsername: options.xmlUser ?? SIM_XML_USER,
    xmlPassword: options.xmlPassword ?? SIM_XML_PASSWORD,
    ftpUser: options.ftpUser ?? SIM_FTP_USER,
    ftpPassword: options.ftpPassword ?? SIM_FTP_PASSWORD,
  };
  const catalog = new SimCatalog(options.catalog);
  const state: TdSynnexSimState = {
    catalog,
    day: options.day ?? 0,
    customerNumber,
    xmlUser: secrets.xmlUsername,
    xmlPassword: secrets.xmlPassword,
    orders: undefined as unknown as OrderBook,
  };
  state.orders = new OrderBook(() => state.catalog, () => state.day, options.msPerStep ?? 0);
  const server = new SimServer({
    name: 'td-synnex',
    checkContract: options.checkContract ?? true,
    errorBody: (status, message) => errorDocument('SynnexB2B', status >= 500 ? 'Service unavailable' : 'Error', message),
  });
  registerTdSynnexRoutes(server, () => state);
  // FTP logins and transfers count with the XML requests (`/__admin/counts`, `server.counts`).
  const ftp = new FtpSim({ user: secrets.ftpUser, password: secrets.ftpPassword, pasvRange: options.pasvRange, onRequest: (key) => server.counts.set(key, (server.counts.get(key) ?? 0) + 1) });
  await ftp.start();
  const fileName = `/${customerNumber}.ap`;
  const writeFile = async (o: FileOptions = {}) => {
    if (o.day !== undefined) state.day = o.day;
    const modifiedAt = o.ageHours !== undefined ? new Date(Date.now() - o.ageHours * 3_600_000) : undefined;
    return state.catalog.writeFile(ftp.path(fileName), { day: state.day, cutAtBytes: o.cutAtBytes, modifiedAt });
  };
  const setFileAge = async (hours: number) => {
    const at = new Date(Date.now() - hours * 3_600_000);
    await utimes(ftp.path(fileName), at, at);
  };
  registerAdmin(server, state, writeFile);
  let url: string;
  try {
    if (options.writeFile ?? true) await writeFile();
    url = await server.start(options.port ?? 0);
  } catch (err) {
    await ftp.stop();
    throw err;
  }
  return {
    url,
    server,
    ftp,
    state,
    get catalog() {
      return state.catalog;
    },
    get orders() {
      return state.orders;
    },
    fileName,
    secrets,
    settings: (overrides = {}) => ({
      region: state.catalog.settings.region,
      environment: 'sandbox',
      xmlUrl: url,
      invoiceUrl: url,
      customerNumber,
      ftpHost: '127.0.0.1',
      ftpPort: ftp.port,
      ftpPath: '/',
      fileEncoding: state.catalog.settings.encoding,
      ...overrides,
    }),
    writeFile,
    setFileAge,
    advanceClock: (ms) => state.orders.advanceClock(ms),
    requests: () => ({ ftpLogins: ftp.counts.logins, ftpTransfers: ftp.counts.retr, xml: server.totalRequests((k) => !k.startsWith('FTP ')) }),
    takeViolations: () => server.takeViolations(),
    stop: async () => {
      await server.stop();
      await ftp.stop();
    },
  };
}

function registerAdmin(server: SimServer, state: TdSynnexSimState, writeFile: (o?: FileOptions) => Promise<{ bytes: number; lines: number }>): void {
  const ok = (body: unknown) => ({ status: 200, body });
  server.adminRoute('GET', '/state', () => ok({ day: state.day, catalog: state.catalog.settings, clock: new Date(state.orders.now).toISOString(), orders: state.orders.list().length }));
  server.adminRoute('POST', '/file', async (req) => ok(await writeFile((req.body ?? {}) as FileOptions)));
  // The next day's file, as the Ingram simulator's `/catalog/day` (benchmarks use both alike).
  server.adminRoute('POST', '/catalog/day', async (req) => ok(await writeFile({ day: state.day + Number((req.body as { advance?: number } | undefined)?.advance ?? 1) })));
  server.adminRoute('POST', '/catalog', async (req) => {
    state.catalog = new SimCatalog({ ...state.catalog.settings, ...(req.body as Partial<CatalogSettings>) });
    return ok(await writeFile());
  });
  server.adminRoute('POST', '/clock', (req) => {
    const b = (req.body ?? {}) as { hours?: number; days?: number; ms?: number };
    state.orders.advanceClock((b.ms ?? 0) + (b.hours ?? 0) * 3_600_000 + (b.days ?? 0) * DAY_MS);
    return ok({ clock: new Date(state.orders.now).toISOString() });
  });
  server.adminRoute('GET', '/orders', () => ok(state.orders.list()));
  server.adminRoute('GET', '/orders/:po', (req) => {
    const o = state.orders.get(req.params.po);
    return o ? ok(o) : { status: 404, body: { message: 'no such order' } };
  });
  server.adminRoute('POST', '/orders/:po/advance', (req) => {
    const o = state.orders.advance(req.params.po);
    return o ? ok(o) : { status: 404, body: { message: 'no such order' } };
  });
}

export { SimCatalog, BAD_RECORD_KINDS, SKU_BASE, SIM_EPOCH, DAY_MS } from './catalog';
export type { CatalogSettings, SimRecord, BadRecordKind } from './catalog';
export { OrderBook } from './orders';
export type { SimOrder, SimLine } from './orders';
