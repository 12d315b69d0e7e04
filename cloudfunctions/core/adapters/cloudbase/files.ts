// Uploaded documents in CloudBase cloud storage. The SDK's uploadFile asks
// the API for upload metadata, then PUTs the bytes to the presigned COS URL;
// downloadFile asks for a temporary URL, then GETs it. The SDK sends no
// Content-Type on upload, so the type is not kept (readers get bytes back).
import { checkFileKey, digest } from '../local/files';
import type { FileStore, StoredFile } from '../../ports/files';
import { type CloudBaseApp, type CloudBaseOptions, createApp, optionsFromEnv } from './app';
import { isFileMissing } from './errors';

// cloud://<env id>.<bucket>/<path>: the bucket part names the environment's storage.
const CLOUD_FILE_ID = /^cloud:\/\/([A-Za-z0-9][A-Za-z0-9._-]*)\/(.+)$/;

function checkFileId(fileId: string): string {
  if (typeof fileId !== 'string' || !fileId.startsWith('cloud://'))
    throw new RangeError(`not a CloudBase file id: ${JSON.stringify(fileId)}`);
  return fileId;
}

export class CloudBaseFileStore implements FileStore {
  constructor(private readonly app: CloudBaseApp) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): CloudBaseFileStore {
    return CloudBaseFileStore.connect(optionsFromEnv(env));
  }

  static connect(options: CloudBaseOptions): CloudBaseFileStore {
    return new CloudBaseFileStore(createApp(options));
  }

  async put(key: string, content: Buffer, _contentType: string): Promise<StoredFile> {
    const cloudPath = checkFileKey(key);
    const res = await this.app.uploadFile({ cloudPath, fileContent: content });
    return { fileId: res.fileID, ...digest(content) };
  }

  async get(fileId: string): Promise<Buffer | null> {
    checkFileId(fileId);
    try {
      const res = await this.app.downloadFile({ fileID: fileId });
      const body = res.fileContent;
      return Buffer.isBuffer(body) ? body : Buffer.from(body ?? '');
    } catch (err) {
      if (isFileMissing(err)) return null;
      throw err;
    }
  }

  keyOf(fileId: string): string | null {
    const match = typeof fileId === 'string' ? CLOUD_FILE_ID.exec(fileId) : null;
    if (!match) return null;
    try {
      return checkFileKey(match[2]);
    } catch {
      return null;
    }
  }

  async remove(fileId: string): Promise<void> {
    checkFileId(fileId);
    const res = await this.app.deleteFile({ fileList: [fileId] });
    const entry = res.fileList?.find((f) => f.fileID === fileId) ?? res.fileList?.[0];
    // Removing what is already gone is not an error (as in the local store).
    if (entry && entry.code !== 'SUCCESS' && entry.code !== 'STORAGE_FILE_NONEXIST') {
      throw Object.assign(new Error(`could not delete ${fileId}: ${entry.code}`), { code: entry.code });
    }
  }
}
