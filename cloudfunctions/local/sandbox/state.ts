// The sandbox's memory: one SQLite file (sandbox.sqlite) of JSON documents by
// kind and id, so a restart loses nothing. A document may carry a due time:
// the moment its next automatic transition happens (a refund settling, a
// review deciding, a notification retry), in the sandbox clock's time.
import Database from 'better-sqlite3';
import { createPrivateFile } from '../../core/runtime/seal';

type Where = Record<string, string | number | boolean>;

const FIELD = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

export class SandboxState {
  private readonly db: Database.Database;

  constructor(file: string) {
    // Created 0600 (in a 0700 folder) before SQLite opens it: its -wal and -shm files follow the file's mode.
    this.db = new Database(createPrivateFile(file));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS docs (
        kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, due_at INTEGER,
        seq INTEGER NOT NULL, PRIMARY KEY (kind, id));
      CREATE INDEX IF NOT EXISTS docs_due ON docs (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS docs_merchant ON docs (kind, json_extract(doc, '$.merchant'));
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
  }

  get<T>(kind: string, id: string): T | null {
    const row = this.db.prepare('SELECT doc FROM docs WHERE kind = ? AND id = ?').get(kind, id) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  dueAt(kind: string, id: string): number | null {
    const row = this.db.prepare('SELECT due_at FROM docs WHERE kind = ? AND id = ?').get(kind, id) as
      | { due_at: number | null }
      | undefined;
    return row?.due_at ?? null;
  }

  /** Inserts or replaces; `dueAt` (epoch ms) schedules the document's next transition, null clears it. */
  put(kind: string, id: string, doc: unknown, dueAt: number | null = null): void {
    this.db
      .prepare(
        `INSERT INTO docs (kind, id, doc, due_at, seq) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, due_at = excluded.due_at`,
      )
      .run(kind, id, JSON.stringify(doc), dueAt === null ? null : Math.floor(dueAt), this.next('docs'));
  }

  /** Documents of a kind whose top-level or nested fields equal the given values, oldest first. */
  list<T>(kind: string, where: Where = {}, options: { newestFirst?: boolean; limit?: number } = {}): T[] {
    const params: Array<string | number> = [kind];
    const clauses = Object.entries(where).map(([field, value]) => {
      if (!FIELD.test(field)) throw new RangeError(`bad field ${field}`);
      params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      return `json_extract(doc, '$.${field}') = ?`;
    });
    const sql = `SELECT doc FROM docs WHERE kind = ?${clauses.map((c) => ` AND ${c}`).join('')} ORDER BY seq ${options.newestFirst ? 'DESC' : 'ASC'}${
      options.limit ? ` LIMIT ${Math.floor(options.limit)}` : ''
    }`;
    return (this.db.prepare(sql).all(...params) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as T);
  }

  due(now: number, limit = 200): Array<{ kind: string; id: string }> {
    return this.db
      .prepare('SELECT kind, id FROM docs WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?')
      .all(Math.floor(now), limit) as Array<{
      kind: string;
      id: string;
    }>;
  }

  /** A monotonically increasing counter, for ids. */
  next(name: string): number {
    const row = this.db
      .prepare(
        'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value',
      )
      .get(name) as { value: number };
    return row.value;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
