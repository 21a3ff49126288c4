import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(chunk.toString()); cb(); } });
  return { logger: createLogger({ destination, level: 'info' }), lines };
}

describe('logger redaction', () => {
  it('never writes Autotask or vendor credentials', () => {
    const { logger, lines } = capture();
    logger.info({ headers: { UserName: 'u-123@x', Secret: 's3cr3t!', ApiIntegrationCode: 'TRACK-ID-9', Authorization: 'Bearer tok-abc' } }, 'request');
    logger.info({ request: { options: { headers: { Secret: 's3cr3t!' }, password: 'pw-1' } }, accessToken: 'tok-abc', refresh_token: 'ref-xyz' }, 'nested');
    logger.info({ credentials: { userName: 'u-123@x', secret: 's3cr3t!' } }, 'creds');
    const out = lines.join('\n');
    for (const secret of ['u-123@x', 's3cr3t!', 'TRACK-ID-9', 'tok-abc', 'pw-1', 'ref-xyz']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(lines).toHaveLength(3);
  });
});
