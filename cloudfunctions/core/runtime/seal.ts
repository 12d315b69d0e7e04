// Encryption at rest for personal data (names on IDs, ID numbers, bank
// accounts, phone, email): AES-256-GCM with a data key from the environment
// (PMS_DATA_KEY, 32 bytes base64) or, locally, generated once under .data/.
// A sealed value is "v1.<iv>.<tag>.<ciphertext>" (base64url), so a database
// dump shows nothing readable.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Sealer } from '../ports/sealer';

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new RangeError('the data key must be 32 bytes');
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** PMS_DATA_KEY in production; a key file kept in the data folder locally. */
export function sealerFromEnv(env: NodeJS.ProcessEnv, dataDir: string, mode: 'local' | 'cloud'): Sealer {
  if (env.PMS_DATA_KEY) return createSealer(Buffer.from(env.PMS_DATA_KEY, 'base64'));
  if (mode === 'cloud') throw new Error('PMS_DATA_KEY is required in cloud mode (32 random bytes, base64)');
  const file = path.join(dataDir, 'data-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return createSealer(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}
