// AES-256-GCM with a key id, used for Temporal payloads and for credentials at rest.
// Layout: iv (12 bytes) | ciphertext | auth tag (16 bytes).
import crypto from 'node:crypto';
import type { KeyRing } from './keys';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function encrypt(ring: KeyRing, plaintext: Uint8Array): { keyId: string; data: Buffer } {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', ring.keys.get(ring.activeKeyId)!, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: ring.activeKeyId, data: Buffer.concat([iv, body, cipher.getAuthTag()]) };
}

export function decrypt(ring: KeyRing, keyId: string, data: Uint8Array): Buffer {
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`No encryption key with id "${keyId}" is configured (BRIDGE_ENCRYPTION_KEY)`);
  const buf = Buffer.from(data);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
}

/** A string sealed for the database: `v1.<keyId>.<base64>`. */
export function sealString(ring: KeyRing, value: string): string {
  const { keyId, data } = encrypt(ring, Buffer.from(value, 'utf8'));
  return `v1.${keyId}.${data.toString('base64')}`;
}

export function openString(ring: KeyRing, sealed: string): string {
  const [version, keyId, data] = sealed.split('.');
  if (version !== 'v1' || !keyId || !data) throw new Error('Not a sealed value');
  return decrypt(ring, keyId, Buffer.from(data, 'base64')).toString('utf8');
}
