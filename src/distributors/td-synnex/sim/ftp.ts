// A real FTP server (ftp-srv) for the price file: loopback only, passive ports from a local range, a
// temporary directory as its root, one user. Counts logins and transfers for benchmarks and tests.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystem, FtpSrv, type FtpConnection } from 'ftp-srv';

export interface FtpSimOptions {
  user: string;
  password: string;
  /** Passive data ports (ftp-srv picks the next free one). */
  pasvRange?: [number, number];
  /** Told of each login (`FTP LOGIN`) and transfer (`FTP RETR`), e.g. to count them with the HTTP requests. */
  onRequest?: (key: 'FTP LOGIN' | 'FTP RETR') => void;
}

/** ftp-srv logs through bunyan; the simulator keeps quiet. */
const quiet = { child: () => quiet, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };

export class FtpSim {
  readonly counts = { logins: 0, refused: 0, retr: 0 };
  /** Byte offset (REST) of every transfer started, in order. */
  readonly transfers: number[] = [];
  root = '';
  port = 0;
  private server?: FtpSrv;
  private signalHandlers: Array<[NodeJS.Signals, NodeJS.SignalsListener]> = [];

  constructor(readonly options: FtpSimOptions) {}

  async start(): Promise<void> {
    this.root = await mkdtemp(join(tmpdir(), 'td-synnex-ftp-'));
    const [pasvMin, pasvMax] = this.options.pasvRange ?? [40_000, 40_999];
    const before = new Map((['SIGTERM', 'SIGINT', 'SIGQUIT'] as const).map((s) => [s, new Set(process.listeners(s))]));
    const server = new FtpSrv({ url: 'ftp://127.0.0.1:0', pasv_url: '127.0.0.1', pasv_min: pasvMin, pasv_max: pasvMax, anonymous: false, log: quiet, greeting: ['TD SYNNEX price files (simulator)'] });
    // ftp-srv installs process signal handlers that exit the process; the engine owns those.
    for (const [signal, had] of before) {
      for (const l of process.listeners(signal)) if (!had.has(l)) { process.removeListener(signal, l); this.signalHandlers.push([signal, l]); }
    }
    server.on('login', ({ connection, username, password }, resolve, reject) => {
      if (username !== this.options.user || password !== this.options.password) {
        this.counts.refused++;
        return reject(new Error('Login incorrect.'));
      }
      this.counts.logins++;
      this.options.onRequest?.('FTP LOGIN');
      resolve({ fs: new CountingFileSystem(connection, { root: this.root, cwd: '/' }, (start) => { this.counts.retr++; this.transfers.push(start); this.options.onRequest?.('FTP RETR'); }) });
    });
    server.on('client-error', () => undefined);
    await server.listen();
    this.server = server;
    this.port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  }

  path(name: string): string {
    return join(this.root, name.replace(/^\/+/, ''));
  }

  async stop(): Promise<void> {
    await this.server?.close().catch(() => undefined);
    this.server = undefined;
    if (this.root) await rm(this.root, { recursive: true, force: true });
  }
}

/** The default file system, counting transfers as they start (ftp-srv reports them only when they end). */
class CountingFileSystem extends FileSystem {
  constructor(connection: FtpConnection, where: { root: string; cwd: string }, private readonly onRead: (start: number) => void) {
    super(connection, where);
  }

  override read(fileName: string, options?: { start?: number }): Promise<unknown> {
    this.onRead(Number(options?.start ?? 0));
    return super.read(fileName, options);
  }
}
