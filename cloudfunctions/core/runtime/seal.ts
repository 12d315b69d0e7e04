// Encryption at rest for personal data (names on IDs, ID numbers, bank
// accounts, phone, email): AES-256-GCM with a data key from the environment
// (PMS_DATA_KEY, 32 bytes base64) or, locally, generated once under .data/.
// A sealed value is "v1.<iv>.<tag>.<ciphertext>" (base64url), so a database
// dump shows nothing readable. Also the local data folder's permissions
// (securePrivateDir, createPrivateFile): 0700 and 0600.
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
    fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: PRIVATE_FILE_MODE });
  }
  return createSealer(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}

// ---- the local data folder at rest -------------------------------------------
// Locally everything at rest (the SQLite files, the data key, setup codes, the
// sandbox's keys, uploads) lives in one folder that only its owner may enter
// or read: the folder and its subfolders 0700, every file 0600.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The data folder's own subfolders (the sandbox's keys and state, uploaded documents). */
const DATA_SUBFOLDERS = ['sandbox', 'uploads'];

/**
 * Creates the data folder 0700, or takes group and other access away from an
 * existing one (a folder from before this rule was 0755 with 0644 files: now
 * 0700 and 0600): the folder, the files directly in it, and everything in its
 * own subfolders. Other folders in it and symbolic links are left alone, in
 * case PMS_DATA_DIR names a folder that holds more than ours.
 */
export function securePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir);
  const walk = (folder: string, deep: boolean): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isFile()) tighten(full);
      else if (entry.isDirectory() && (deep || DATA_SUBFOLDERS.includes(entry.name))) {
        tighten(full);
        walk(full, true);
      }
    }
  };
  walk(dir, false);
}

/**
 * Makes sure `file` exists with mode 0600 before a database opens it: SQLite
 * creates its -wal and -shm files with the database file's permissions, so a
 * database created here keeps all three private. Never truncates.
 */
export function createPrivateFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(f);
  return file;
}

/** Takes group and other access away (the owner's own bits stay); a file gone meanwhile is fine. */
function tighten(target: string): void {
  try {
    const mode = fs.statSync(target).mode & 0o777;
    if (mode & 0o077) fs.chmodSync(target, mode & 0o700);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
