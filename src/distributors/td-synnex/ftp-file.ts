// Reads the price file over FTP as a stream: one transfer serves page after page (REST to a byte offset
// when a walk resumes elsewhere), nothing but a chunk and a page's lines is ever held in memory.
// The file's identity (name, size, modification time) travels in the cursor; a different file on resume
// restarts the walk or fails (setting `onFileChange`); a file that changes while it is read, or ends with a
// line cut short, is reported rather than read as if it were whole.
import { PassThrough } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import { z } from 'zod';
import { BridgeError, type FailureKind } from '../../failures';
import { requestObserver } from '../../http/observe';
import { VENDOR } from './errors';
import { priceFilePath, type TdSynnexSecrets, type TdSynnexSettings } from './settings';

export interface FileIdentity {
  name: string;
  size: number;
  /** Modification time, ms since the epoch (MDTM, UTC). */
  modifiedMs: number;
}

export interface FilePosition {
  file: FileIdentity;
  /** Byte offset of the next unread line. */
  offset: number;
  /** Lines consumed before `offset` (the next line is `line + 1`). */
  line: number;
}

const cursorSchema = z.object({
  v: z.literal(1),
  n: z.string().min(1),
  s: z.number().int().nonnegative(),
  m: z.number().int().nonnegative(),
  o: z.number().int().nonnegative(),
  l: z.number().int().nonnegative(),
});

/** Opaque to callers: base64url of `{v, n(ame), s(ize), m(time), o(ffset), l(ine)}`. */
export function encodeCursor(p: FilePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, n: p.file.name, s: p.file.size, m: p.file.modifiedMs, o: p.offset, l: p.line })).toString('base64url');
}

export function decodeCursor(cursor: string, source: string): FilePosition {
  let parsed: z.ZodSafeParseResult<z.output<typeof cursorSchema>> | undefined;
  try {
    parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw new BridgeError('validation', 'Not a TD SYNNEX price-file cursor.', { source, fieldErrors: [{ field: 'cursor', message: 'unreadable', value: cursor.slice(0, 40) }] });
  }
  const c = parsed.data;
  return { file: { name: c.n, size: c.s, modifiedMs: c.m }, offset: c.o, line: c.l };
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.name === b.name && a.size === b.size && a.modifiedMs === b.modifiedMs;
}

export function describe(f: FileIdentity): string {
  return `${f.name} (${f.size} bytes, modified ${new Date(f.modifiedMs).toISOString()})`;
}

/** One line as read: its bytes (without the line break) and where the next one starts. */
export type ReadResult = { kind: 'line'; bytes: Buffer; line: number; next: FilePosition } | { kind: 'eof'; tail: Buffer | null; line: number };

/** FTP access to the price file: connections, identity, and transfers that resume at a byte offset. */
export class PriceFileFtp {
  readonly path: string;

  constructor(readonly settings: TdSynnexSettings, private readonly secrets: TdSynnexSecrets, readonly source: string) {
    this.path = priceFilePath(settings);
  }

  async connect(): Promise<Client> {
    const client = new Client(this.settings.ftpTimeoutMs);
    client.ftp.verbose = false;
    await this.step('LOGIN', () => client.access({
      host: this.settings.ftpHost, port: this.settings.ftpPort, user: this.secrets.ftpUser, password: this.secrets.ftpPassword,
      secure: this.settings.ftpSecure,
    }), client);
    return client;
  }

  async identity(client: Client): Promise<FileIdentity> {
    const size = await this.step('SIZE', () => client.size(this.path), client);
    const modified = await this.step('MDTM', () => client.lastMod(this.path), client);
    return { name: this.path, size, modifiedMs: modified.getTime() };
  }

  /** Connects, reads the file's identity, disconnects. */
  async stat(): Promise<FileIdentity> {
    const client = await this.connect();
    try {
      return await this.identity(client);
    } finally {
      client.close();
    }
  }

  /** Opens a transfer at `at` (its own connection); the caller closes it. */
  async open(client: Client, at: FilePosition): Promise<Transfer> {
    const transfer = new Transfer(this, client, at);
    transfer.start();
    return transfer;
  }

  /** Runs one FTP step; its failure becomes a BridgeError (and the connection is closed). */
  async step<T>(operation: string, fn: () => Promise<T>, client?: Client): Promise<T> {
    const started = Date.now();
    try {
      const result = await fn();
      requestObserver.observe({ vendor: this.source, operation: `FTP ${operation}`, status: 226, ms: Date.now() - started });
      return result;
    } catch (err) {
      requestObserver.observe({ vendor: this.source, operation: `FTP ${operation}`, status: 'error', ms: Date.now() - started });
      client?.close();
      throw this.failure(operation, err);
    }
  }

  failure(operation: string, err: unknown): BridgeError {
    if (err instanceof BridgeError) return err;
    const e = err as { code?: number | string; message?: string };
    const where = `${VENDOR} FTP ${operation} ${this.settings.ftpHost}:${this.settings.ftpPort}`;
    const said = this.scrub(String(e?.message ?? err)).slice(0, 200);
    let kind: FailureKind = 'transient';
    let message = `${where} failed: ${said}`;
    if (err instanceof FTPError) {
      if (err.code === 530) {
        kind = 'auth';
        message = `${where}: login refused (${said}). Check the FTP user and password (no extra spaces).`;
      } else if (err.code === 550 && operation !== 'LOGIN') {
        kind = 'not_found';
        message = `${where}: price file ${this.path} not found (${said}). Check the FTP path and file name (default <customer number>.ap).`;
      } else if (err.code >= 500) {
        kind = 'validation';
      }
    }
    return new BridgeError(kind, message, { source: this.source, operation: `FTP ${operation}`, vendorCode: e?.code === undefined ? undefined : String(e.code) });
  }

  private scrub(text: string): string {
    let out = text;
    for (const s of [this.secrets.ftpPassword, this.secrets.xmlPassword]) if (s && s.length >= 4) out = out.split(s).join('***');
    return out;
  }
}

/**
 * One RETR from a byte offset, read line by line with backpressure: the socket is paused while the
 * caller is not reading. Detects a file that grows, shrinks or is replaced while it is read.
 */
export class Transfer {
  private readonly stream = new PassThrough({ highWaterMark: 256 * 1024 });
  private readonly chunks = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  private received: number;
  private download?: Promise<unknown>;
  private failure?: BridgeError;
  private ended = false;
  private eof?: ReadResult;
  closed = false;
  position: FilePosition;

  constructor(private readonly ftp: PriceFileFtp, readonly client: Client, at: FilePosition) {
    this.position = at;
    this.received = at.offset;
  }

  start(): void {
    const started = Date.now();
    this.download = this.client.downloadTo(this.stream, this.ftp.path, this.position.offset).then(
      () => requestObserver.observe({ vendor: this.ftp.source, operation: 'FTP RETR', status: 226, ms: Date.now() - started }),
      (err) => {
        if (!this.closed) {
          this.failure = this.ftp.failure('RETR', err);
          requestObserver.observe({ vendor: this.ftp.source, operation: 'FTP RETR', status: 'error', ms: Date.now() - started });
        }
        this.stream.destroy();
      },
    );
  }

  /** The next complete line, or the end of the file with what followed the last line break. */
  async next(): Promise<ReadResult> {
    for (;;) {
      const nl = this.pending.indexOf(0x0a);
      if (nl >= 0) {
        const bytes = this.pending.subarray(0, nl);
        this.pending = this.pending.subarray(nl + 1);
        const line = this.position.line + 1;
        this.position = { file: this.position.file, offset: this.position.offset + nl + 1, line };
        return { kind: 'line', bytes, line, next: this.position };
      }
      if (this.ended) return this.finish();
      await this.fill();
    }
  }

  /** True when nothing follows (so the page just read is the last); reads ahead without consuming. */
  async atEnd(): Promise<boolean> {
    for (;;) {
      if (this.pending.indexOf(0x0a) >= 0) return false;
      if (this.ended) {
        const eof = await this.finish();
        return eof.kind === 'eof' && eof.tail === null;
      }
      await this.fill();
    }
  }

  private async fill(): Promise<void> {
    let chunk: IteratorResult<Buffer>;
    try {
      chunk = await this.chunks.next();
    } catch (err) {
      throw this.failure ?? this.ftp.failure('RETR', err);
    }
    if (chunk.done) {
      await this.download;
      if (this.failure) throw this.failure;
      this.ended = true;
      return;
    }
    this.received += chunk.value.length;
    if (this.received > this.position.file.size) throw this.changing(`more than its ${this.position.file.size} bytes arrived`);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk.value]) : chunk.value;
  }

  /** At the end of the transfer: every byte came, and the file on the server is still the one we read. */
  private async finish(): Promise<ReadResult> {
    if (this.eof) return this.eof;
    const expected = this.position.file;
    if (this.received < expected.size) throw this.changing(`the transfer ended after ${this.received} of ${expected.size} bytes`);
    const now = await this.ftp.identity(this.client);
    if (now.size !== expected.size || now.modifiedMs !== expected.modifiedMs) throw this.changing(`it is now ${describe(now)}`);
    const tail = this.pending.length ? this.pending : null;
    this.pending = Buffer.alloc(0);
    this.eof = { kind: 'eof', tail, line: this.position.line + (tail ? 1 : 0) };
    return this.eof;
  }

  private changing(what: string): BridgeError {
    return new BridgeError('transient', `${VENDOR} price file ${describe(this.position.file)} changed while it was read: ${what}. It is probably still being written; the walk resumes when it is complete.`, {
      source: this.ftp.source, operation: 'FTP RETR',
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
    this.stream.destroy();
    this.download?.catch(() => undefined);
  }
}
