// CloudBase answers failures with HTTP 200 and a body `{code, message}`, which
// the SDK throws as an Error carrying that code. These are the codes the
// adapters translate; everything else propagates unchanged.

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null ? String((err as { code?: unknown }).code ?? '') : '';
}

function messageOf(err: unknown): string {
  return err instanceof Error
    ? err.message
    : typeof err === 'object' && err !== null
      ? String((err as { message?: unknown }).message ?? '')
      : '';
}

/** Inserting an _id that exists. Some gateways wrap MongoDB's E11000 in a generic code. */
export function isDuplicateWrite(err: unknown): boolean {
  return codeOf(err) === 'DATABASE_DUPLICATE_WRITE' || /\bE11000 duplicate key error\b/.test(messageOf(err));
}

/**
 * Another transaction got to a document first: the work may be retried.
 * A document written by an open transaction carries its lock, and another
 * transaction's write to it "fails at once" (developers.weixin.qq.com/minigame/
 * dev/wxcloud/guide/database/transaction.md, 快照隔离 3.1): this code
 * (docs.cloudbase.net/error-code/DATABASE_TRANSACTION_CONFLICT).
 */
export function isTransactionConflict(err: unknown): boolean {
  return codeOf(err) === 'DATABASE_TRANSACTION_CONFLICT';
}

/**
 * The transaction no longer exists on the server: committed, aborted, or
 * expired ("must be committed or aborted within 30 seconds",
 * docs.cloudbase.net/en/error-code/DATABASE_TRANSACTION_FAIL).
 */
export function isTransactionGone(err: unknown): boolean {
  return codeOf(err) === 'DATABASE_TRANSACTION_FAIL';
}

/**
 * The collection was never created (docs.cloudbase.net/en/error-code/basic/
 * DATABASE_COLLECTION_NOT_EXIST): CloudBase does not create collections on
 * first write. `npm run cloudbase:setup` creates them.
 */
export function isCollectionMissing(err: unknown): boolean {
  return codeOf(err) === 'DATABASE_COLLECTION_NOT_EXIST';
}

/**
 * The request went out but its answer never came back, so whether the server
 * applied it is unknown. The SDK's own codes (node_modules/@cloudbase/node-sdk/
 * src/utils/request-core.ts): ESOCKETTIMEDOUT is a read timeout after the
 * connection was made; ETIMEDOUT is a connect timeout (nothing sent) unless
 * `hasConnected`; a reset or broken connection may come after the request.
 */
export function isLostAnswer(err: unknown): boolean {
  const code = codeOf(err);
  if (code === 'ETIMEDOUT') return (err as { hasConnected?: unknown }).hasConnected === true;
  return code === 'ESOCKETTIMEDOUT' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Storage: the file id is unknown (STORAGE_FILE_NONEXIST from the URL API), or
 * the object was gone by the time the temporary URL was fetched: the SDK then
 * rejects with STORAGE_REQUEST_FAIL and the message `下载文件失败: Status:404 Url:...`
 * (downloadFile in node_modules/@cloudbase/node-sdk/src/storage/index.ts; COS
 * answers 404 NoSuchKey for a missing object).
 */
export function isFileMissing(err: unknown): boolean {
  const code = codeOf(err);
  return (
    code === 'STORAGE_FILE_NONEXIST' || (code === 'STORAGE_REQUEST_FAIL' && /\bStatus:\s*404\b/.test(messageOf(err)))
  );
}
