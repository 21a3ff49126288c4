// Reads are asked for compressed answers (a query page is up to 500 rows) and decoded; writes, whose
// answer is `{"itemId":n}`, are not (got's decompression stream costs CPU on every request).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createAutotaskClient } from '../../src/autotask/client';
import { CREDENTIALS } from './helpers';

let server: http.Server;
let url: string;
const seen: Array<{ method: string; path: string; acceptEncoding: string | undefined }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, acceptEncoding: req.headers['accept-encoding'] });
      const body = /\/query$/.test(req.url!) ? { items: [{ id: 7, sku: 'A-1' }], pageDetails: { count: 1, requestCount: 500, prevPageUrl: null, nextPageUrl: null } } : { itemId: 42 };
      const text = JSON.stringify(body);
      if (/gzip/.test(String(req.headers['accept-encoding']))) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync(text));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/atservicesrest/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('asks for and decodes compressed query pages, and sends writes without Accept-Encoding', async () => {
  const client = createAutotaskClient({ credentials: CREDENTIALS, zoneUrl: url, limiter: false, readRetries: 0 });
  const page = await client.products.query();
  expect(page.items).toEqual([{ id: 7, sku: 'A-1' }]);
  // Writes as the resources send them (the resources would first read field metadata).
  expect(await client.transport.send({ method: 'POST', path: 'Products', body: { name: 'x', sku: 'A-2' }, endpoint: 'Products', idempotent: false })).toEqual({ itemId: 42 });
  expect(await client.transport.send({ method: 'PATCH', path: 'Products', body: { id: 42, unitCost: 2 }, endpoint: 'Products', idempotent: true })).toEqual({ itemId: 42 });
  const byRequest = Object.fromEntries(seen.map((s) => [`${s.method} ${s.path}`, s.acceptEncoding]));
  expect(byRequest['POST /atservicesrest/V1.0/Products/query']).toMatch(/gzip/);
  expect(byRequest['POST /atservicesrest/V1.0/Products']).toBeUndefined();
  expect(byRequest['PATCH /atservicesrest/V1.0/Products']).toBeUndefined();
});
