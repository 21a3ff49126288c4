// The vendor HTTP base: a vendor's classified error keeps its class, and no secret survives in its
// message or details, however the vendor echoed it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BridgeError } from '../../src/failures';
import { VendorClient } from '../../src/http/vendor-client';

class AcmeError extends BridgeError {}

describe('VendorClient', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'password s3cret-VALUE is wrong' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('scrubs secrets from a classified error in place, keeping its class', async () => {
    const client = new VendorClient({
      vendor: 'Acme',
      source: 'acme',
      baseUrl: url,
      secrets: () => ['s3cret-VALUE'],
      classify: (status, body, ctx) => {
        const text = (body as { error: string }).error;
        return new AcmeError('validation', `Acme ${ctx.operation} failed (${status}): ${text}`, { source: 'acme', operation: ctx.operation, status, details: [text] });
      },
    });
    const err = await client.request({ method: 'POST', path: '/orders', json: {}, idempotent: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AcmeError);
    expect(err).toMatchObject({ kind: 'validation', status: 400, message: 'Acme POST /orders failed (400): password *** is wrong', details: ['password *** is wrong'] });
    expect(JSON.stringify(err)).not.toContain('s3cret-VALUE');
  });
});
