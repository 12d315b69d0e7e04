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

/** Another transaction (or write) got to a document first: the work may be retried. */
export function isTransactionConflict(err: unknown): boolean {
  return codeOf(err) === 'DATABASE_TRANSACTION_CONFLICT';
}

export function isFileMissing(err: unknown): boolean {
  return codeOf(err) === 'STORAGE_FILE_NONEXIST';
}
