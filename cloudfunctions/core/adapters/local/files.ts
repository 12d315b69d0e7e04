// Uploaded documents as files under a local folder (by default .data/uploads).
// Keys are checked against a strict pattern before they touch the file
// system, and the resolved path is checked to stay under the folder, so no
// key can escape it. Writes go to a temp file then rename, so a reader never
// sees half a file. Files are 0600 and folders 0700 whatever the umask: the
// photos are ID documents (the rest of .data follows the same rule).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileStore, StoredFile } from '../../ports/files';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../runtime/seal';

const SEGMENT = '[A-Za-z0-9_-][A-Za-z0-9._-]*';
// No empty, "." or ".." segments, no leading or trailing slash, no backslash.
const KEY = new RegExp(`^${SEGMENT}(/${SEGMENT})*$`);
const MAX_KEY = 512;
const SCHEME = 'local://';

/** The key rule every FileStore adapter applies (also valid as a COS object key). */
export function checkFileKey(key: string): string {
  if (typeof key !== 'string' || key.length > MAX_KEY || !KEY.test(key))
    throw new RangeError(`bad file key ${JSON.stringify(key)}`);
  return key;
}

export function digest(content: Buffer): Pick<StoredFile, 'bytes' | 'sha256'> {
  return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class LocalFileStore implements FileStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    const file = path.resolve(this.root, checkFileKey(key));
    if (!file.startsWith(this.root + path.sep)) throw new RangeError(`bad file key ${JSON.stringify(key)}`);
    return file;
  }

  private requireKey(fileId: string): string {
    if (typeof fileId !== 'string' || !fileId.startsWith(SCHEME))
      throw new RangeError(`not a local file id: ${JSON.stringify(fileId)}`);
    return fileId.slice(SCHEME.length);
  }

  keyOf(fileId: string): string | null {
    try {
      return checkFileKey(this.requireKey(fileId));
    } catch {
      return null;
    }
  }

  async put(key: string, content: Buffer, _contentType: string): Promise<StoredFile> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    // A dot-prefixed name can never be a valid key, so temp files never clash with one.
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fs.writeFile(temp, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      await fs.rename(temp, file);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
    return { fileId: SCHEME + key, ...digest(content) };
  }

  async get(fileId: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathOf(this.requireKey(fileId)));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async remove(fileId: string): Promise<void> {
    try {
      await fs.unlink(this.pathOf(this.requireKey(fileId)));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
}
