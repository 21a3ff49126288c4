import { AesGcmPayloadCodec } from '../../src/client/codec';
import { ConfigError } from '../../src/config';
import { openString, sealString } from '../../src/crypto/aes-gcm';
import { generateKeySpec, parseKeyRing } from '../../src/crypto/keys';
import { defaultPayloadConverter } from '@temporalio/common';

const payload = (value: unknown) => defaultPayloadConverter.toPayload(value)!;

describe('AES-256-GCM payload codec', () => {
  const oldSpec = generateKeySpec('2025');
  const newSpec = generateKeySpec('2026');

  it('round-trips payloads and leaves no plaintext in the encoded bytes', async () => {
    const codec = new AesGcmPayloadCodec(parseKeyRing(oldSpec));
    const [encoded] = await codec.encode([payload({ secret: 'MARKER-plaintext-42' })]);
    expect(Buffer.from(encoded.data!).includes('MARKER-plaintext-42')).toBe(false);
    expect(Buffer.from(encoded.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded.metadata!['encryption-key-id']!).toString()).toBe('2025');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ secret: 'MARKER-plaintext-42' });
  });

  it('decodes payloads written under a rotated-out key and encodes with the first key', async () => {
    const [old] = await new AesGcmPayloadCodec(parseKeyRing(oldSpec)).encode([payload('before rotation')]);
    const rotated = new AesGcmPayloadCodec(parseKeyRing(`${newSpec},${oldSpec}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0])).toBe('before rotation');
    const [fresh] = await rotated.encode([payload('after')]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('2026');
  });

  it('rejects tampered ciphertext and unknown key ids', async () => {
    const codec = new AesGcmPayloadCodec(parseKeyRing(oldSpec));
    const [encoded] = await codec.encode([payload('x')]);
    const tampered = Buffer.from(encoded.data!);
    tampered[20] ^= 0xff;
    await expect(codec.decode([{ ...encoded, data: tampered }])).rejects.toThrow();
    await expect(new AesGcmPayloadCodec(parseKeyRing(newSpec)).decode([encoded])).rejects.toThrow(/No encryption key with id "2025"/);
  });

  it('passes through payloads that were never encrypted', async () => {
    const codec = new AesGcmPayloadCodec(parseKeyRing(oldSpec));
    const plain = payload('plain');
    expect((await codec.decode([plain]))[0]).toBe(plain);
  });

  it.each([
    ['no id', 'AAAA'],
    ['short key', 'k1:AAAA'],
    ['bad id', 'k 1:' + Buffer.alloc(32).toString('base64')],
    ['duplicate id', `k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32).toString('base64')}`],
  ])('names BRIDGE_ENCRYPTION_KEY for a malformed key (%s)', (_name, spec) => {
    expect(() => parseKeyRing(spec)).toThrow(ConfigError);
    expect(() => parseKeyRing(spec)).toThrow(/^BRIDGE_ENCRYPTION_KEY: /);
  });

  it('seals strings for the database', () => {
    const ring = parseKeyRing(oldSpec);
    const sealed = sealString(ring, 'api-secret-value');
    expect(sealed).toMatch(/^v1\.2025\./);
    expect(sealed).not.toContain('api-secret-value');
    expect(openString(ring, sealed)).toBe('api-secret-value');
  });
});
