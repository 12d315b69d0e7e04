// Uploaded documents (licence and ID photos): cloud storage in production,
// files under .data/ locally. Two kinds of files live there: what the mini
// program uploaded itself (wx.cloud.uploadFile in cloud mode, the local
// gateway's POST /files locally), named by the id the app was given, and the
// sealed copies the functions keep.

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
  /**
   * The key (storage path) a file id names, or null when it is not an id of
   * this store or its path breaks the key rule. File ids from the app are
   * untrusted input: callers check the key before reading the file.
   */
  keyOf(fileId: string): string | null;
}
