// The PayloadCodec every client and worker uses: Temporal history and the Web UI only ever see
// ciphertext. Decoding needs the key ring (the codec endpoint lets an operator's UI do it).
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decrypt, encrypt } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const { keyId, data } = encrypt(this.ring, temporal.api.common.v1.Payload.encode(payload).finish());
      return { metadata: { encoding: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      return temporal.api.common.v1.Payload.decode(decrypt(this.ring, keyId, payload.data ?? new Uint8Array()));
    });
  }
}
