// The Web UI's codec endpoint decodes for an operator's browser, and only for the UI's origin.
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../src/client/codec';
import { startCodecServer, type CodecServer } from '../../src/client/codec-server';
import { generateKeySpec, parseKeyRing } from '../../src/crypto/keys';

describe('codec endpoint', () => {
  const codec = new AesGcmPayloadCodec(parseKeyRing(generateKeySpec()));
  let server: CodecServer;
  beforeAll(async () => {
    server = await startCodecServer(codec, { allowedOrigins: ['http://127.0.0.1:8233'] });
  });
  afterAll(() => server.close());

  const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });

  it('decodes encrypted payloads for the Web UI', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ po: 'PO-1001' })!]);
    const res = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:8233', 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [toJson(encrypted)] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const body = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(Buffer.from(body.payloads[0].data, 'base64').toString())).toEqual({ po: 'PO-1001' });
  });

  it('does not grant CORS to other origins and rejects other routes', async () => {
    const res = await fetch(`${server.url}/decode`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{"payloads":[]}' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${server.url}/other`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${server.url}/decode`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});
