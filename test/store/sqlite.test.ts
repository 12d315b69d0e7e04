import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { storeContract } from './contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-sqlite-'));
let n = 0;
storeContract('SQLite', async () => new SqliteStore({ file: path.join(dir, `t${n++}.sqlite`) }));

describe('SQLite specifics', () => {
  test('money survives as integers and data survives a reopen', async () => {
    const file = path.join(dir, 'durable.sqlite');
    const a = new SqliteStore({ file });
    await a.insert('ctAccounts', { _id: 'm', available: 9007199254740991, pending: 0 });
    await a.update('ctAccounts', 'm', { inc: { pending: 123 } });
    await a.close();
    const b = new SqliteStore({ file });
    const doc = await b.get<{ _id: string; available: number; pending: number }>('ctAccounts', 'm');
    expect(doc).toEqual({ _id: 'm', available: 9007199254740991, pending: 123 });
    expect(Number.isInteger(doc?.pending)).toBe(true);
    await b.close();
  });

  test('queries on declared indexes use them', async () => {
    const store = new SqliteStore({ file: ':memory:' });
    await store.insert('ctItems', { _id: 'a', group: 'g', rank: 1 });
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT doc FROM "ctItems" WHERE json_extract(doc, '$.group') = ? ORDER BY json_extract(doc, '$.rank') DESC`,
      )
      .all('g');
    expect(JSON.stringify(plan)).toMatch(/ctItems_ix0/);
    await store.close();
  });

  test('using the store instead of tx inside a transaction fails fast instead of deadlocking', async () => {
    const store = new SqliteStore({ file: ':memory:' });
    await expect(store.transaction(() => store.get('ctItems', 'a'))).rejects.toThrow(/use the transaction/);
    expect(await store.get('ctItems', 'a')).toBeNull();
    await store.close();
  });

  test('unknown collections are refused (indexes must be declared)', async () => {
    const store = new SqliteStore({ file: ':memory:' });
    await expect(store.get('undeclared', 'x')).rejects.toThrow(/declare it/);
    await store.close();
  });
});
