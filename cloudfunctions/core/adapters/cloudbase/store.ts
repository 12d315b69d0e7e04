// CloudBase Store over @cloudbase/node-sdk. Every port operation outside a
// transaction is one request: the conditional increment is a single
// `where({_id, ...condition}).update({$set, $inc})` that the server applies
// atomically. Inside a transaction CloudBase only addresses documents by id,
// so a conditional update reads the document, checks the condition in code
// and updates it by id; the transaction's write-conflict detection makes that
// safe, and conflicting work is rolled back and run again.
//
// What CloudBase does that this adapter is written for (each modelled by the
// loopback fake, test/support/cloudbase-fake.ts):
// - transactions read a snapshot, and a document one writes is locked: another
//   transaction's write to it fails at once, a plain write waits for the lock
//   (developers.weixin.qq.com/minigame/dev/wxcloud/guide/database/transaction.md,
//   快照隔离);
// - a transaction not committed or aborted within 30 s is gone
//   (docs.cloudbase.net/en/error-code/DATABASE_TRANSACTION_FAIL), so a function
//   killed mid-transaction leaves its locks for up to 30 s: retries back off
//   for longer than that (TransactionPolicy.budgetMs) before giving up;
// - a commit whose answer is lost may or may not have happened: it is settled
//   (abort, then re-reads) instead of being reported as a plain failure;
// - collections exist only once created (DATABASE_COLLECTION_NOT_EXIST):
//   `npm run cloudbase:setup` creates them with their indexes.
import { specOf } from '../../collections';
import { afterCursor, encodeCursor, pageLimit, sortKeys } from '../../ports/cursor';
import {
  assertIncrements,
  type Doc,
  type DocOps,
  type Filter,
  type FindOptions,
  type Page,
  type Store,
  StoreConflict,
  StoreOutcomeUnknown,
  type Update,
} from '../../ports/store';
import { applyUpdate } from '../../ports/update';
import { type CloudBaseApp, type CloudBaseOptions, createApp, optionsFromEnv } from './app';
import {
  isCollectionMissing,
  isDuplicateWrite,
  isLostAnswer,
  isTransactionConflict,
  isTransactionGone,
} from './errors';
import { allOf, type Commands, matches, toWhere } from './filters';
import { changesNothing, isEmptyUpdate, toJson, toUpdateData } from './updates';

type Db = ReturnType<CloudBaseApp['database']>;

/** The parts of an SDK transaction this adapter uses. */
interface SdkTransaction {
  collection(name: string): ReturnType<Db['collection']>;
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}

export interface TransactionPolicy {
  /** Most runs of `work` (a cap; the time budget normally ends the retries first). */
  attempts: number;
  /** The pause before the first retry, in ms, doubled each retry up to maxBackoffMs (half of it random). */
  backoffMs: number;
  maxBackoffMs: number;
  /**
   * No retry starts after this long from the first attempt. Longer than the
   * 30 s a dead function's transaction keeps its locks, so conflicting with
   * one ends in success, not StoreConflict.
   */
  budgetMs: number;
}

/** CloudBase's transaction lifetime (docs.cloudbase.net/en/error-code/DATABASE_TRANSACTION_FAIL). */
export const TRANSACTION_LIFETIME_MS = 30_000;

export const DEFAULT_POLICY: TransactionPolicy = {
  attempts: 200,
  backoffMs: 20,
  maxBackoffMs: 2_000,
  budgetMs: TRANSACTION_LIFETIME_MS + 5_000,
};

/**
 * Per-request timeout of the store's SDK instance (the SDK's default is 15 s):
 * a plain write to a document a dead transaction locked waits for the lock,
 * up to the transaction's 30 s, and should get its answer rather than time out
 * with its outcome unknown. The function's own timeout must be longer still.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = TRANSACTION_LIFETIME_MS + 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function missingCollection(collection: string, err: unknown): Error {
  return Object.assign(
    new Error(
      `CloudBase collection ${collection} does not exist in this environment: create the collections and indexes with npm run cloudbase:setup`,
      { cause: err },
    ),
    { code: 'DATABASE_COLLECTION_NOT_EXIST' },
  );
}

/** JSON with sorted keys: documents compared whatever order the server returns their fields in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export class CloudBaseStore implements Store {
  private readonly db: Db;
  private readonly _: Commands;
  private readonly policy: TransactionPolicy;
  private trips = 0;
  private closed = false;

  constructor(app: CloudBaseApp, policy: Partial<TransactionPolicy> = {}) {
    this.db = app.database();
    this._ = this.db.command as unknown as Commands;
    this.policy = { ...DEFAULT_POLICY, ...policy };
  }

  /** TCB_* as in optionsFromEnv, and TCB_TX_BUDGET_MS for the transactions' retry budget. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): CloudBaseStore {
    const budget = env.TCB_TX_BUDGET_MS ? Number(env.TCB_TX_BUDGET_MS) : undefined;
    if (budget !== undefined && !(Number.isInteger(budget) && budget >= 0))
      throw new Error('TCB_TX_BUDGET_MS must be a whole number of milliseconds');
    return CloudBaseStore.connect(optionsFromEnv(env), budget === undefined ? {} : { budgetMs: budget });
  }

  static connect(options: CloudBaseOptions, policy?: Partial<TransactionPolicy>): CloudBaseStore {
    return new CloudBaseStore(
      createApp({ ...options, timeout: options.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS }),
      policy,
    );
  }

  /** One per HTTP request sent through the SDK. */
  get roundTrips(): number {
    return this.trips;
  }

  /** Counts the request an SDK call makes (each call used here makes exactly one). */
  private async send<T>(collection: string | null, call: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('store is closed');
    this.trips++;
    try {
      return await call();
    } catch (err) {
      if (collection && isCollectionMissing(err)) throw missingCollection(collection, err);
      throw err;
    }
  }

  /** A write outside a transaction: an answer lost on the way back leaves its outcome unknown. */
  private async write<T>(collection: string, what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await this.send(collection, call);
    } catch (err) {
      if (isLostAnswer(err)) throw new StoreOutcomeUnknown(`${what} in ${collection}: the answer was lost`, err);
      throw err;
    }
  }

  /** Undeclared collections are refused, as in SQLite: their indexes must be declared too. */
  private collection(name: string) {
    specOf(name);
    return this.db.collection(name);
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const res = await this.send(collection, () => this.collection(collection).doc(id).get());
    return ((res.data as T[])[0] ?? null) as T | null;
  }

  async insert<T extends Doc>(collection: string, doc: T): Promise<void> {
    try {
      await this.write(collection, `insert of ${doc._id}`, () => this.collection(collection).add(toJson(doc)));
    } catch (err) {
      if (isDuplicateWrite(err)) throw new StoreConflict('DUPLICATE_ID', `${collection}/${doc._id} already exists`);
      throw err;
    }
  }

  async update(collection: string, id: string, update: Update, where: Filter = {}): Promise<boolean> {
    assertIncrements(update);
    if (isEmptyUpdate(update)) {
      const doc = await this.get(collection, id);
      return doc !== null && matches(doc, where);
    }
    const data = toUpdateData(this._, update);
    // A condition on _id is ANDed with the id, never merged over it, so it cannot widen the update.
    const condition =
      '_id' in where ? allOf(this._, [toWhere(this._, where), { _id: id }]) : { ...toWhere(this._, where), _id: id };
    const res = await this.write(collection, `update of ${id}`, () =>
      this.collection(collection)
        .options({ multiple: false })
        .where(condition as object)
        .update(data),
    );
    if (res.updated > 0) return true;
    // 0 means "no match" or "matched but nothing to change" (see changesNothing).
    if (Object.values(update.inc ?? {}).some((delta) => delta !== 0)) return false;
    const doc = await this.get(collection, id);
    return doc !== null && matches(doc, where) && changesNothing(doc, update);
  }

  async remove(collection: string, id: string): Promise<boolean> {
    const res = await this.write(collection, `removal of ${id}`, () => this.collection(collection).doc(id).remove());
    return res.deleted > 0;
  }

  /**
   * The first page is the filter; a later page is one rooted $or of the
   * filter ANDed with each segment after the cursor (ports/cursor.ts), so
   * each branch is an equality prefix and one range the declared index
   * serves in sort order, and none compares with null.
   */
  private condition(options: FindOptions): unknown {
    const where = toWhere(this._, options.where ?? {});
    if (!options.after) return where;
    const branches = afterCursor(sortKeys(options), options.after).map((segment) => {
      const extra = toWhere(this._, segment);
      const overlap = Object.keys(extra).some((field) => field in where);
      return overlap ? allOf(this._, [where, extra]) : { ...where, ...extra };
    });
    return branches.length === 1 ? branches[0] : this._.or(branches);
  }

  async find<T extends Doc>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    const limit = pageLimit(options);
    const keys = sortKeys(options);
    let query = this.collection(collection).where(this.condition(options) as object);
    for (const [field, direction] of keys) query = query.orderBy(field, direction);
    const res = await this.send(collection, () => query.limit(limit + 1).get());
    const rows = res.data as T[];
    const items = rows.slice(0, limit);
    return rows.length > limit ? { items, next: encodeCursor(keys, items[items.length - 1]) } : { items };
  }

  async count(collection: string, where: Filter = {}): Promise<number> {
    const res = await this.send(collection, () => this.collection(collection).where(toWhere(this._, where)).count());
    return res.total;
  }

  /** Ends a transaction attempt, releasing its locks now rather than at its timeout; failures change nothing. */
  private async abort(tx: SdkTransaction): Promise<void> {
    await this.send(null, () => tx.rollback()).catch(() => undefined);
  }

  /**
   * The commit's answer was lost. Aborting settles it while the transaction
   * still exists: then it can never commit. Once it is gone (committed, or
   * ended by the server), its writes tell which: all in place means it
   * committed, none means it did not; anything else stays unknown.
   */
  private async settle(tx: SdkTransaction, run: TransactionRun, lost: unknown): Promise<'committed' | 'not committed'> {
    try {
      await this.send(null, () => tx.rollback());
      return 'not committed';
    } catch (err) {
      if (!isTransactionGone(err)) {
        throw new StoreOutcomeUnknown(
          'transaction commit: the answer was lost and the transaction could not be settled',
          lost,
        );
      }
    }
    const seen = await run.check((collection, id) => this.get(collection, id));
    if (seen === 'all') return 'committed';
    if (seen === 'none') return 'not committed';
    throw new StoreOutcomeUnknown(
      'transaction commit: the answer was lost and its documents have changed since; settle by re-reading with the idempotency key',
      lost,
    );
  }

  /** Waits before the next attempt, or gives up with StoreConflict when the budget would be exceeded. */
  private async pause(attempt: number, started: number, cause: unknown): Promise<void> {
    const { attempts, backoffMs, maxBackoffMs, budgetMs } = this.policy;
    const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
    const wait = ceiling / 2 + Math.random() * (ceiling / 2);
    const elapsed = Date.now() - started;
    if (attempt >= attempts || elapsed + wait > budgetMs) {
      throw Object.assign(
        new StoreConflict(
          'TRANSACTION_CONFLICT',
          `transaction still conflicting after ${attempt} attempts over ${elapsed} ms (budget ${budgetMs} ms): ` +
            'another transaction holds these documents (one left by a stopped function keeps its locks until CloudBase expires it, 30 s)',
        ),
        { cause },
      );
    }
    await sleep(wait);
  }

  async transaction<T>(work: (tx: DocOps) => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const sdkTx = (await this.send(null, () => this.db.startTransaction())) as SdkTransaction;
      const run = new TransactionRun(sdkTx, this._, (collection, call) => this.send(collection, call));
      let result: T;
      try {
        result = await work(run.ops());
      } catch (err) {
        run.finish();
        await this.abort(sdkTx);
        if (!(run.retry || isTransactionConflict(err) || isTransactionGone(err))) throw err;
        await this.pause(attempt, started, err);
        continue;
      }
      run.finish();
      if (run.retry) {
        // Work swallowed an error that ended the transaction on the server: run it again.
        await this.abort(sdkTx);
        await this.pause(attempt, started, run.retry);
        continue;
      }
      try {
        await this.send(null, () => sdkTx.commit());
        return result;
      } catch (err) {
        if (isLostAnswer(err)) {
          // Settling aborts it if it is still open.
          if ((await this.settle(sdkTx, run, err)) === 'committed') return result;
        } else {
          await this.abort(sdkTx);
          if (!(isTransactionConflict(err) || isTransactionGone(err))) throw err;
        }
        // Not committed: conflicting, expired, or settled as never committed.
        await this.pause(attempt, started, err);
      }
    }
  }

  async close(): Promise<void> {
    // The SDK keeps no connection of its own to close (sockets are pooled per process).
    this.closed = true;
  }
}

/** A document a transaction wrote: what it was before (undefined: unknown) and what the commit makes it. */
interface Written {
  collection: string;
  id: string;
  before: Doc | null | undefined;
  after: Doc | null;
}

/** The single-document operations of one transaction attempt. */
class TransactionRun {
  /** Set when the attempt must be run again: a conflict, or the server ended the transaction (even if `work` caught the error). */
  retry: unknown = null;
  private done = false;
  private readonly written = new Map<string, Written>();

  constructor(
    private readonly tx: SdkTransaction,
    private readonly _: Commands,
    private readonly send: <T>(collection: string, call: () => Promise<T>) => Promise<T>,
  ) {}

  finish(): void {
    this.done = true;
  }

  private async call<T>(collection: string, call: () => Promise<T>): Promise<T> {
    if (this.done) throw new Error('transaction already finished');
    try {
      return await this.send(collection, call);
    } catch (err) {
      // Any of these ends the attempt on the server; nothing of it can commit.
      if (isTransactionConflict(err) || isTransactionGone(err) || isLostAnswer(err)) this.retry = err;
      throw err;
    }
  }

  private doc(collection: string, id: string) {
    specOf(collection);
    return this.tx.collection(collection).doc(id);
  }

  private note(collection: string, id: string, before: Doc | null | undefined, after: Doc | null): void {
    const key = `${collection}\u0000${id}`;
    const first = this.written.get(key);
    this.written.set(key, { collection, id, before: first ? first.before : before, after });
  }

  /** Whether every written document is as the commit leaves it ('all'), as it was before ('none'), or neither. */
  async check(read: (collection: string, id: string) => Promise<Doc | null>): Promise<'all' | 'none' | 'mixed'> {
    let committed = 0;
    let untouched = 0;
    for (const w of this.written.values()) {
      const now = await read(w.collection, w.id);
      if (canonical(now) === canonical(w.after)) committed++;
      else if (w.before !== undefined && canonical(now) === canonical(w.before)) untouched++;
    }
    if (committed === this.written.size) return 'all';
    return untouched === this.written.size ? 'none' : 'mixed';
  }

  private async read<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const res = await this.call(collection, () => this.doc(collection, id).get());
    return (res.data ?? null) as T | null;
  }

  ops(): DocOps {
    return {
      get: (collection, id) => this.read(collection, id),
      // A read then an upsert by id: the read answers "duplicate" exactly, and
      // a concurrent insert of the same id is a write conflict, after which
      // the retried work sees the document. Should the server itself report
      // the duplicate, it is typed as one too, and the attempt (which the
      // server has ended) runs again if `work` carries on.
      insert: async (collection, doc) => {
        if (await this.read(collection, doc._id)) {
          throw new StoreConflict('DUPLICATE_ID', `${collection}/${doc._id} already exists`);
        }
        const { _id, ...rest } = toJson(doc);
        try {
          await this.call(collection, () => this.doc(collection, _id).set(rest));
        } catch (err) {
          if (!isDuplicateWrite(err)) throw err;
          this.retry = err;
          throw new StoreConflict('DUPLICATE_ID', `${collection}/${doc._id} already exists`);
        }
        this.note(collection, _id, null, toJson(doc));
      },
      update: async (collection, id, update, where = {}) => {
        assertIncrements(update);
        const data = isEmptyUpdate(update) ? null : toUpdateData(this._, update);
        const current = await this.read(collection, id);
        if (!current || !matches(current, where)) return false;
        if (!data) return true;
        await this.call(collection, () => this.doc(collection, id).update(data));
        this.note(collection, id, current, toJson(applyUpdate(current, update)));
        return true;
      },
      remove: async (collection, id) => {
        const res = await this.call(collection, () => this.doc(collection, id).remove());
        if (res.deleted > 0) this.note(collection, id, undefined, null);
        return res.deleted > 0;
      },
    };
  }
}
