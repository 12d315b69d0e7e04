// SQLite Store: the embedded default. One table per collection holding JSON
// documents; filters compile to json_extract() so declared expression indexes
// apply. better-sqlite3 is synchronous, so every operation is atomic on its
// own; async transactions are serialised through a queue so that no other
// operation can slip into an open BEGIN ... COMMIT.
//
// Every find is planned to be an index search with no temporary sort (see
// test/store/query-shapes.test.ts): the declared indexes end with `id`, the
// ORDER BY leaves out keys an equality already fixes (SQLite would otherwise
// sort the rows again, though they are constant), a $in on a field outside the
// sort becomes one arm per value merged in sort order (MERGE (UNION ALL)), and
// a cursor's "strictly after" runs as its disjoint range segments in turn.
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { afterCursor, encodeCursor, pageLimit, type SortKey, sortKeys } from '../../ports/cursor';
import { collections, specOf } from '../../collections';
import {
  assertIncrements,
  type Doc,
  type DocOps,
  type Filter,
  type FindOptions,
  type Page,
  type Range,
  type Scalar,
  type Store,
  StoreConflict,
  type Update,
} from '../../ports/store';
import { applyUpdate } from '../../ports/update';

type Param = string | number | bigint | null;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function column(field: string): string {
  if (field === '_id') return 'id';
  if (!FIELD.test(field)) throw new RangeError(`bad field name ${field}`);
  return `json_extract(doc, '$.${field}')`;
}

function param(value: Scalar): Param {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return value;
}

const OPS: Record<keyof Omit<Range, '$in'>, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=', $ne: 'IS NOT' };

function compile(filter: Filter, params: Param[]): string {
  const parts: string[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    const col = column(field);
    if (cond === null || typeof cond !== 'object') {
      parts.push(cond === null ? `${col} IS NULL` : `${col} = ?`);
      if (cond !== null) params.push(param(cond));
      continue;
    }
    for (const [op, value] of Object.entries(cond)) {
      if (op === '$in') {
        const list = value as Scalar[];
        if (list.length === 0) parts.push('0');
        else {
          parts.push(`${col} IN (${list.map(() => '?').join(',')})`);
          params.push(...list.map(param));
        }
      } else if (op === '$ne' && value === null) {
        // IS NOT NULL, written as a range an index seeks: every non-null value
        // (numbers, text, JSON text) sorts at or above -Infinity in SQLite.
        parts.push(`${col} >= -9e999`);
      } else if (op in OPS) {
        parts.push(`${col} ${OPS[op as keyof typeof OPS]} ?`);
        params.push(param(value as Scalar));
      } else {
        throw new RangeError(`unknown operator ${op}`);
      }
    }
  }
  return parts.length ? parts.join(' AND ') : '1';
}

/** Fields a filter pins to one value (equality, null, or a one-value $in). */
function fixedFields(filter: Filter): Set<string> {
  const fixed = new Set<string>();
  for (const [field, cond] of Object.entries(filter)) {
    if (cond === null || typeof cond !== 'object') fixed.add(field);
    else if (Object.keys(cond).length === 1 && cond.$in?.length === 1) fixed.add(field);
  }
  return fixed;
}

/** Most arms a $in is exploded into; past that the query runs as written. */
const MAX_ARMS = 32;

/**
 * One filter per combination of the $in values on fields outside the sort,
 * so each arm is an equality the index serves in sort order. A single arm
 * (nothing to explode) is the filter itself.
 */
function arms(filter: Filter, sorted: Set<string>): Filter[] {
  let out: Filter[] = [filter];
  for (const [field, cond] of Object.entries(filter)) {
    if (cond === null || typeof cond !== 'object' || sorted.has(field)) continue;
    const ops = Object.keys(cond);
    // A null in the list matches nothing (SQL's IN), so it makes no arm.
    const values = cond.$in?.filter((value) => value !== null);
    if (ops.length !== 1 || !values || values.length < 2) continue;
    if (out.length * values.length > MAX_ARMS) return [filter];
    out = out.flatMap((arm) => values.map((value) => ({ ...arm, [field]: value })));
  }
  return out;
}

interface Statement {
  sql: string;
  params: Param[];
}

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  file: string;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly ready = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private inTransaction = false;
  /** Marks code running inside transaction work, to catch store calls that would deadlock. */
  private readonly txScope = new AsyncLocalStorage<true>();
  private trips = 0;

  constructor(options: SqliteOptions) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit survives power loss, not just a process crash (money).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    for (const collection of Object.keys(collections)) this.table(collection);
  }

  get roundTrips(): number {
    return this.trips;
  }

  private table(collection: string): string {
    if (this.ready.has(collection)) return collection;
    if (!NAME.test(collection)) throw new RangeError(`bad collection name ${collection}`);
    const spec = specOf(collection);
    this.db.exec(`CREATE TABLE IF NOT EXISTS "${collection}" (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT`);
    // Named after their keys, so a changed declaration is a new index; ones no
    // longer declared (or from older names) are dropped. `_id` is the `id` column.
    const declared = new Map(spec.indexes.map((fields) => [`${collection}(${fields.join(',')})`, fields]));
    const existing = this.db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(collection) as Array<{ name: string }>;
    for (const { name } of existing) {
      if (!declared.has(name)) this.db.exec(`DROP INDEX "${name.replace(/"/g, '""')}"`);
    }
    for (const [name, fields] of declared) {
      this.db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON "${collection}" (${fields.map(column).join(', ')})`);
    }
    this.ready.add(collection);
    return collection;
  }

  /** Runs `op` after any open transaction, so it never joins one by accident. */
  private serial<T>(op: () => T | Promise<T>): Promise<T> {
    if (this.txScope.getStore()) {
      // It would wait for the very transaction it runs in.
      return Promise.reject(new Error("inside a transaction, use the transaction's operations (tx), not the store"));
    }
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private readDoc<T extends Doc>(collection: string, id: string, where?: Filter): T | null {
    this.trips++;
    const params: Param[] = [id];
    const cond = where ? compile(where, params) : '1';
    const row = this.db
      .prepare(`SELECT doc FROM "${this.table(collection)}" WHERE id = ? AND ${cond}`)
      .get(...params) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  private ops(): DocOps {
    return {
      get: async <T extends Doc>(collection: string, id: string) => this.readDoc<T>(collection, id),
      insert: async (collection, doc) => {
        this.trips++;
        try {
          this.db
            .prepare(`INSERT INTO "${this.table(collection)}" (id, doc) VALUES (?, ?)`)
            .run(doc._id, JSON.stringify(doc));
        } catch (err) {
          if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
            throw new StoreConflict('DUPLICATE_ID', `${collection}/${doc._id} already exists`);
          }
          throw err;
        }
      },
      update: async (collection, id, update, where) => {
        assertIncrements(update);
        const current = this.readDoc(collection, id, where);
        if (!current) return false;
        this.trips++;
        this.db
          .prepare(`UPDATE "${collection}" SET doc = ? WHERE id = ?`)
          .run(JSON.stringify(applyUpdate(current, update)), id);
        return true;
      },
      remove: async (collection, id) => {
        this.trips++;
        return this.db.prepare(`DELETE FROM "${this.table(collection)}" WHERE id = ?`).run(id).changes > 0;
      },
    };
  }

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.serial(() => this.readDoc<T>(collection, id));
  }

  insert<T extends Doc>(collection: string, doc: T): Promise<void> {
    return this.serial(() => this.ops().insert(collection, doc));
  }

  update(collection: string, id: string, update: Update, where?: Filter): Promise<boolean> {
    // Read, check and write happen in one synchronous SQLite transaction.
    return this.serial(() => {
      assertIncrements(update);
      return this.db
        .transaction(() => {
          const current = this.readDoc(collection, id, where);
          if (!current) return false;
          this.trips++;
          this.db
            .prepare(`UPDATE "${collection}" SET doc = ? WHERE id = ?`)
            .run(JSON.stringify(applyUpdate(current, update)), id);
          return true;
        })
        .immediate();
    });
  }

  remove(collection: string, id: string): Promise<boolean> {
    return this.serial(() => this.ops().remove(collection, id));
  }

  /**
   * The statements a find runs, in order: the first page is one statement; a
   * later page is one per segment of the cursor (see ports/cursor.ts), each
   * with the same WHERE, run until the page is full.
   */
  private statements(collection: string, options: FindOptions, keys: SortKey[]): Statement[] {
    const table = this.table(collection);
    const where = options.where ?? {};
    const segments = options.after ? afterCursor(keys, options.after) : [{}];
    return segments.map((segment) => {
      const fixed = new Set([...fixedFields(where), ...fixedFields(segment)]);
      const order = keys.filter(([field]) => !fixed.has(field));
      const sorted = new Set(order.map(([field]) => field));
      const params: Param[] = [];
      const conds = arms(where, sorted).map((arm) => `${compile(arm, params)} AND ${compile(segment, params)}`);
      if (conds.length === 1) {
        const by = order.map(([field, dir]) => `${column(field)} ${dir.toUpperCase()}`).join(', ');
        return { sql: `SELECT doc FROM "${table}" WHERE ${conds[0]}${by ? ` ORDER BY ${by}` : ''} LIMIT ?`, params };
      }
      // One arm per $in value, merged in sort order: the ORDER BY names the
      // arms' sort columns by position (1 is doc).
      const cols = order.map(([field], i) => `, ${column(field)} AS s${i}`).join('');
      const selects = conds.map((cond) => `SELECT doc${cols} FROM "${table}" WHERE ${cond}`);
      const by = order.map(([, dir], i) => `${i + 2} ${dir.toUpperCase()}`).join(', ');
      return { sql: `${selects.join(' UNION ALL ')}${by ? ` ORDER BY ${by}` : ''} LIMIT ?`, params };
    });
  }

  find<T extends Doc>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    return this.serial(() => {
      const limit = pageLimit(options);
      const keys = sortKeys(options);
      const rows: Array<{ doc: string }> = [];
      // One round trip per find, however many segments it takes (all in process).
      this.trips++;
      for (const { sql, params } of this.statements(collection, options, keys)) {
        rows.push(...(this.db.prepare(sql).all(...params, limit + 1 - rows.length) as Array<{ doc: string }>));
        if (rows.length > limit) break;
      }
      const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as T);
      return rows.length > limit ? { items, next: encodeCursor(keys, items[items.length - 1]) } : { items };
    });
  }

  /** SQLite's plan for each statement a find runs (for tests: index use, no temporary sort). */
  explain(collection: string, options: FindOptions = {}): string[][] {
    const keys = sortKeys(options);
    return this.statements(collection, options, keys).map(({ sql, params }) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 1) as Array<{ detail: string }>).map(
        (row) => row.detail,
      ),
    );
  }

  /** SQLite's plan for a count. */
  explainCount(collection: string, where: Filter = {}): string[] {
    const params: Param[] = [];
    const sql = `SELECT count(*) AS n FROM "${this.table(collection)}" WHERE ${compile(where, params)}`;
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map(
      (row) => row.detail,
    );
  }

  count(collection: string, where: Filter = {}): Promise<number> {
    return this.serial(() => {
      const params: Param[] = [];
      const sql = compile(where, params);
      this.trips++;
      const row = this.db
        .prepare(`SELECT count(*) AS n FROM "${this.table(collection)}" WHERE ${sql}`)
        .get(...params) as { n: number };
      return Number(row.n);
    });
  }

  transaction<T>(work: (tx: DocOps) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      if (this.inTransaction) throw new Error('nested transactions are not supported');
      this.inTransaction = true;
      this.trips++;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.txScope.run(true, () => work(this.ops()));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        this.db.exec('ROLLBACK');
        // Tables created inside the transaction are gone with it.
        this.ready.clear();
        throw err;
      } finally {
        this.inTransaction = false;
      }
    });
  }

  async close(): Promise<void> {
    await this.serial(() => this.db.close());
  }
}
