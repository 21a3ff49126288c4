// Catalog pages from the price file. One open transfer follows the walk from page to page (a page
// asked for at the position where the transfer stands continues it; any other position reconnects
// and resumes with REST at the cursor's byte offset). An idle transfer is closed after a while.
import { BridgeError } from '../../failures';
import type { PriceAvailability, Product, ProductPage } from '../adapter';
import { decodeCursor, describe, encodeCursor, PriceFileFtp, sameFile, type FileIdentity, type FilePosition, type Transfer } from './ftp-file';
import { parseLine, toPriceAvailability, toProduct } from './price-file';
import type { TdSynnexSecrets, TdSynnexSettings } from './settings';

const IDLE_CLOSE_MS = 20_000;

export class PriceFileCatalog {
  readonly ftp: PriceFileFtp;
  private transfer?: Transfer;
  private idle?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  /** The file most recently read. */
  file?: FileIdentity;
  /**
   * Records of the last two pages by SKU, for `priceAndAvailability` (the engine asks for a page's
   * prices after it has started reading the next page). Only those: records kept longer are promoted to
   * V8's old generation, and RSS then grows with the file until a major GC.
   */
  private current = new Map<string, PriceAvailability>();
  private previous = new Map<string, PriceAvailability>();

  constructor(readonly settings: TdSynnexSettings, secrets: TdSynnexSecrets, readonly source: string) {
    this.ftp = new PriceFileFtp(settings, secrets, source);
  }

  /** One page of `settings.pageSize` records from `cursor` (null: the start). Calls run one at a time. */
  page(cursor: string | null | undefined): Promise<ProductPage> {
    const run = this.queue.then(() => this.readPage(cursor ?? null));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readPage(cursor: string | null): Promise<ProductPage> {
    clearTimeout(this.idle);
    const want = cursor ? decodeCursor(cursor, this.source) : null;
    let transfer = this.transfer;
    if (!transfer || !want || !samePosition(transfer.position, want)) {
      this.close();
      transfer = await this.open(want);
    }
    this.transfer = transfer;
    this.file = transfer.position.file;
    this.previous = this.current;
    this.current = new Map();
    const items: Product[] = [];
    const invalid: ProductPage['invalid'] = [];
    let done = false;
    try {
      while (items.length + invalid.length < this.settings.pageSize) {
        const read = await transfer.next();
        if (read.kind === 'eof') {
          if (read.tail) {
            const text = read.tail.toString(this.settings.fileEncoding);
            invalid.push({ reason: `line ${read.line}: the last line has no line break — the file is cut short (truncated or still being written)`, raw: text.length > 200 ? `${text.slice(0, 200)}…` : text });
          }
          done = true;
          break;
        }
        const parsed = parseLine(read.bytes.toString(this.settings.fileEncoding), read.line);
        if (parsed.kind === 'record') {
          const pna = toPriceAvailability(parsed.record, this.settings.region, this.settings.availabilityWarehouses);
          items.push(toProduct(parsed.record, this.settings.region, pna));
          this.current.set(parsed.record.sku, pna);
        } else if (parsed.kind === 'invalid') {
          invalid.push({ reason: parsed.reason, raw: parsed.raw });
        }
      }
      // A full page may be the last one: look ahead so that the walk ends here, not on an empty page.
      if (!done && (await transfer.atEnd())) {
        const eof = await transfer.next();
        done = eof.kind === 'eof';
      }
    } catch (err) {
      this.close();
      throw err;
    }
    if (done) this.close();
    else this.idle = setTimeout(() => this.close(), IDLE_CLOSE_MS).unref();
    return { items, invalid, cursor, nextCursor: done ? null : encodeCursor(transfer.position) };
  }

  /** Connects and starts a transfer where `want` points, or at the start (a new walk, or a changed file). */
  private async open(want: FilePosition | null): Promise<Transfer> {
    const client = await this.ftp.connect();
    let file: FileIdentity;
    try {
      file = await this.ftp.identity(client);
      if (want && !sameFile(file, want.file)) {
        if (this.settings.onFileChange === 'fail') {
          throw new BridgeError('conflict', `TD SYNNEX price file changed since this catalog walk began: it was ${describe(want.file)}, it is ${describe(file)}. Start the sync again.`, { source: this.source, operation: 'FTP RETR' });
        }
        want = null; // a new file: the walk starts over on it
      }
      if (want && want.offset > file.size) {
        throw new BridgeError('validation', `TD SYNNEX price-file cursor points past the end of ${describe(file)}.`, { source: this.source, fieldErrors: [{ field: 'cursor', message: 'offset past the end of the file' }] });
      }
    } catch (err) {
      client.close();
      throw err;
    }
    this.current = new Map();
    this.previous = new Map();
    return this.ftp.open(client, want ?? { file, offset: 0, line: 0 });
  }

  /** The file's age in hours (from the last page read, else from the server). */
  async fileAgeHours(now = Date.now()): Promise<number> {
    this.file ??= await this.ftp.stat();
    return (now - this.file.modifiedMs) / 3_600_000;
  }

  /** What the file says about `sku`, when one of the last two pages held it. */
  fromFile(sku: string) {
    return this.current.get(sku) ?? this.previous.get(sku);
  }

  close(): void {
    clearTimeout(this.idle);
    this.transfer?.close();
    this.transfer = undefined;
  }
}

function samePosition(a: FilePosition, b: FilePosition): boolean {
  return sameFile(a.file, b.file) && a.offset === b.offset && a.line === b.line;
}
