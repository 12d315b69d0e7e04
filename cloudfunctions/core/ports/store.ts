// The storage port. Shaped by CloudBase's limits: a transaction may only read
// and write single documents by id, so every multi-document invariant is kept
// with per-document conditional updates and append-only journal documents.

export type Scalar = string | number | boolean | null;

export interface Range {
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
  $ne?: Scalar;
  $in?: Scalar[];
}

/** Field equality or range, ANDed. Dotted paths reach into sub-objects. */
export type Filter = Record<string, Scalar | Range>;

export type Direction = 'asc' | 'desc';

export interface FindOptions {
  where?: Filter;
  /** Sort keys; `_id` is always appended as the final tiebreaker. */
  orderBy?: Array<[field: string, direction: Direction]>;
  /** At most 100 (CloudBase's own page cap is 1000; we keep pages small). */
  limit?: number;
  /** Opaque cursor from a previous page's `next`. */
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when more items may follow. */
  next?: string;
}

export interface Update {
  set?: Record<string, unknown>;
  /** Atomic increments; values must be safe integers (money is integer fen). */
  inc?: Record<string, number>;
}

export interface Doc {
  _id: string;
  [field: string]: unknown;
}

/** Operations allowed inside a transaction: single documents by id only. */
export interface DocOps {
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  /** Throws StoreConflict('DUPLICATE_ID') if the id exists. */
  insert<T extends Doc>(collection: string, doc: T): Promise<void>;
  /**
   * Applies `update` to one document when it exists and matches `where`.
   * Returns whether it did (false: missing or condition not met).
   */
  update(collection: string, id: string, update: Update, where?: Filter): Promise<boolean>;
  remove(collection: string, id: string): Promise<boolean>;
}

export interface Store extends DocOps {
  find<T extends Doc>(collection: string, options?: FindOptions): Promise<Page<T>>;
  count(collection: string, where?: Filter): Promise<number>;
  /**
   * Runs `work` atomically. A throw rolls everything back. On a write conflict
   * the adapter retries `work` from the start, so it must not have side
   * effects outside `tx`.
   */
  transaction<T>(work: (tx: DocOps) => Promise<T>): Promise<T>;
  /** Database round trips made so far, for benchmarks. */
  readonly roundTrips: number;
  close(): Promise<void>;
}

export type ConflictReason = 'DUPLICATE_ID' | 'TRANSACTION_CONFLICT';

export class StoreConflict extends Error {
  constructor(
    readonly reason: ConflictReason,
    message: string,
  ) {
    super(message);
    this.name = 'StoreConflict';
  }
}

export function isDuplicate(err: unknown): boolean {
  return err instanceof StoreConflict && err.reason === 'DUPLICATE_ID';
}

/**
 * A write (or a transaction's commit) was sent but its answer was lost (a
 * timeout, a reset connection), and the adapter could not settle whether it
 * took effect. Not "nothing happened": a caller must not report a plain
 * failure and invite a retry under a new idempotency key. Settle it by
 * re-reading, or retry with the same key (writes are keyed by event ids, so a
 * repeat of a write that did land changes nothing).
 */
export class StoreOutcomeUnknown extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreOutcomeUnknown';
  }
}

export function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof StoreOutcomeUnknown;
}

export function assertIncrements(update: Update): void {
  for (const [field, value] of Object.entries(update.inc ?? {})) {
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(`increment of ${field} must be a safe integer, got ${value}`);
    }
  }
}

/** A document this call just wrote, or that another names: missing means broken data, not a bad request. */
export async function mustGet<T extends Doc>(ops: DocOps, collection: string, id: string): Promise<T> {
  const doc = await ops.get<T>(collection, id);
  if (!doc) throw new Error(`${collection}/${id} is missing`);
  return doc;
}
