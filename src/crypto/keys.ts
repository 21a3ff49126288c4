// Encryption keys: `BRIDGE_ENCRYPTION_KEY` = `keyId:base64key[,oldId:base64key…]`. The first key
// encrypts; every listed key decrypts, so keys can rotate without losing old history or secrets.
// The embedded default generates one key into the data directory on first start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

export interface KeyRing {
  activeKeyId: string;
  keys: Map<string, Buffer>;
}

export function parseKeyRing(value: string, setting = 'BRIDGE_ENCRYPTION_KEY'): KeyRing {
  const keys = new Map<string, Buffer>();
  let activeKeyId = '';
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const sep = part.indexOf(':');
    if (sep <= 0) throw new ConfigError(setting, 'expected keyId:base64key (32 random bytes, base64), e.g. k1:' + 'A'.repeat(43) + '=');
    const id = part.slice(0, sep);
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(id)) throw new ConfigError(setting, `key id "${id}" must be 1-32 letters, digits, _ . -`);
    const key = Buffer.from(part.slice(sep + 1), 'base64');
    if (key.length !== 32) throw new ConfigError(setting, `key "${id}" must be 32 bytes of base64 (got ${key.length} bytes)`);
    if (keys.has(id)) throw new ConfigError(setting, `key id "${id}" appears twice`);
    keys.set(id, key);
    activeKeyId ||= id;
  }
  if (!activeKeyId) throw new ConfigError(setting, 'is empty');
  return { activeKeyId, keys };
}

export function generateKeySpec(id = 'k1'): string {
  return `${id}:${crypto.randomBytes(32).toString('base64')}`;
}

/** The configured key ring, or the embedded default's key file (created once, mode 0600). */
export function loadKeyRing(configured: string | undefined, dataDir: string): KeyRing {
  if (configured) return parseKeyRing(configured);
  const file = path.join(dataDir, 'encryption.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${generateKeySpec()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return parseKeyRing(fs.readFileSync(file, 'utf8').trim(), file);
}
