// CloudBase Store over @cloudbase/node-sdk. Every port operation outside a
// transaction is one request: the conditional increment is a single
// `where({_id, ...condition}).update({$set, $inc})` that the server applies
// atomically. Inside a transaction CloudBase only addresses documents by id,
// so a conditional update reads the document, checks the condition in code
// and updates it by id; the transaction's write-conflict detection makes that
// safe, and conflicting work is rolled back and run again.
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
  type Update,
} from '../../ports/store';
import { type CloudBaseApp, type CloudBaseOptions, createApp, optionsFromEnv } from './app';
import { isDuplicateWrite, isTransactionConflict } from './errors';
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
  /** Runs of `work` before a conflict is given up as StoreConflict('TRANSACTION_CONFLICT'). */
  attempts: number;
  /** Upper bound of the random pause before a retry, in ms, doubled each time. */
  backoffMs: number;
}

const DEFAULT_POLICY: TransactionPolicy = { attempts: 5, backoffMs: 20 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CloudBaseStore implements Store {
  private readonly db: Db;
  private readonly _: Commands;
  private trips = 0;
  private closed = false;

  constructor(
    app: CloudBaseApp,
    private readonly policy: TransactionPolicy = DEFAULT_POLICY,
  ) {
    this.db = app.database();
    this._ = this.db.command as unknown as Commands;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): CloudBaseStore {
    return CloudBaseStore.connect(optionsFromEnv(env));
  }

  static connect(options: CloudBaseOptions, policy?: TransactionPolicy): CloudBaseStore {
    return new CloudBaseStore(createApp(options), policy);
  }

  /** One per HTTP request sent through the SDK. */
  get roundTrips(): number {
    return this.trips;
  }

  /** Counts the request an SDK call makes (each call used here makes exactly one). */
  private async send<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('store is closed');
    this.trips++;
    return call();
  }

  /** Undeclared collections are refused, as in SQLite: their indexes must be declared too. */
  private collection(name: string) {
    specOf(name);
    return this.db.collection(name);
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const res = await this.send(() => this.collection(collection).doc(id).get());
    return ((res.data as T[])[0] ?? null) as T | null;
  }

  async insert<T extends Doc>(collection: string, doc: T): Promise<void> {
    try {
      await this.send(() => this.collection(collection).add(toJson(doc)));
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
    const res = await this.send(() =>
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
    const res = await this.send(() => this.collection(collection).doc(id).remove());
    return res.deleted > 0;
  }

  async find<T extends Doc>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    const limit = pageLimit(options);
    const keys = sortKeys(options);
    const parts: unknown[] = [toWhere(this._, options.where ?? {})];
    if (options.after) parts.push(this._.or(afterCursor(keys, options.after).map((f) => toWhere(this._, f))));
    const condition = allOf(this._, parts);
    let query = this.collection(collection).where(condition as object);
    for (const [field, direction] of keys) query = query.orderBy(field, direction);
    const res = await this.send(() => query.limit(limit + 1).get());
    const rows = res.data as T[];
    const items = rows.slice(0, limit);
    return rows.length > limit ? { items, next: encodeCursor(keys, items[items.length - 1]) } : { items };
  }

  async count(collection: string, where: Filter = {}): Promise<number> {
    const res = await this.send(() => this.collection(collection).where(toWhere(this._, where)).count());
    return res.total;
  }

  async transaction<T>(work: (tx: DocOps) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const sdkTx = (await this.send(() => this.db.startTransaction())) as SdkTransaction;
      const run = new TransactionRun(sdkTx, this._, (call) => this.send(call));
      try {
        const result = await work(run.ops());
        run.finish();
        await this.send(() => sdkTx.commit());
        return result;
      } catch (err) {
        run.finish();
        // Releases the transaction's locks now rather than at its timeout; after
        // a failed commit the server has already ended it and this just fails.
        await this.send(() => sdkTx.rollback()).catch(() => undefined);
        if (!(run.conflicted || isTransactionConflict(err))) throw err;
        if (attempt >= this.policy.attempts) {
          throw new StoreConflict('TRANSACTION_CONFLICT', `transaction still conflicting after ${attempt} attempts`);
        }
        await sleep(Math.random() * this.policy.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  async close(): Promise<void> {
    // The SDK keeps no connection of its own to close (sockets are pooled per process).
    this.closed = true;
  }
}

/** The single-document operations of one transaction attempt. */
class TransactionRun {
  /** A conflict was seen, even if `work` caught it and threw something else. */
  conflicted = false;
  private done = false;

  constructor(
    private readonly tx: SdkTransaction,
    private readonly _: Commands,
    private readonly send: <T>(call: () => Promise<T>) => Promise<T>,
  ) {}

  finish(): void {
    this.done = true;
  }

  private async call<T>(call: () => Promise<T>): Promise<T> {
    if (this.done) throw new Error('transaction already finished');
    try {
      return await this.send(call);
    } catch (err) {
      if (isTransactionConflict(err)) this.conflicted = true;
      throw err;
    }
  }

  private doc(collection: string, id: string) {
    specOf(collection);
    return this.tx.collection(collection).doc(id);
  }

  private async read<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const res = await this.call(() => this.doc(collection, id).get());
    return (res.data ?? null) as T | null;
  }

  ops(): DocOps {
    return {
      get: (collection, id) => this.read(collection, id),
      // A read then an upsert by id: the read answers "duplicate" exactly, and
      // a concurrent insert of the same id is a write conflict, after which
      // the retried work sees the document.
      insert: async (collection, doc) => {
        if (await this.read(collection, doc._id)) {
          throw new StoreConflict('DUPLICATE_ID', `${collection}/${doc._id} already exists`);
        }
        const { _id, ...rest } = toJson(doc);
        await this.call(() => this.doc(collection, _id).set(rest));
      },
      update: async (collection, id, update, where = {}) => {
        assertIncrements(update);
        const data = isEmptyUpdate(update) ? null : toUpdateData(this._, update);
        const current = await this.read(collection, id);
        if (!current || !matches(current, where)) return false;
        if (!data) return true;
        await this.call(() => this.doc(collection, id).update(data));
        return true;
      },
      remove: async (collection, id) => {
        const res = await this.call(() => this.doc(collection, id).remove());
        return res.deleted > 0;
      },
    };
  }
}
