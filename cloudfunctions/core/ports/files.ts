// Uploaded documents (licence and ID photos): cloud storage in production,
// files under .data/ locally.

export interface StoredFile {
  /** Opaque id to read it back (a cloud fileID, or a local key). */
  fileId: string;
  bytes: number;
  sha256: string;
}

export interface FileStore {
  put(key: string, content: Buffer, contentType: string): Promise<StoredFile>;
  get(fileId: string): Promise<Buffer | null>;
  remove(fileId: string): Promise<void>;
}
