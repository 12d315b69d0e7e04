import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { encodeCursor } from '../../cloudfunctions/core/ports/cursor';
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

  test('queries on declared indexes use them: a search in index order, no temporary sort, on every page', async () => {
    const store = new SqliteStore({ file: ':memory:' });
    const plans = [
      ...store.explain('ctItems', { where: { group: 'g' }, orderBy: [['rank', 'desc']] }),
      ...store.explain('ctItems', {
        where: { group: 'g' },
        orderBy: [['rank', 'desc']],
        after: encodeCursor(
          [
            ['rank', 'desc'],
            ['_id', 'desc'],
          ],
          { _id: 'x', rank: 3 },
        ),
      }),
    ];
    // First page, then the segments after (rank 3, x): same rank later _id, lower rank, null rank.
    expect(plans).toHaveLength(4);
    for (const plan of plans) {
      expect(plan.join()).toMatch(/^SEARCH ctItems USING (COVERING )?INDEX ctItems\(group,rank,_id\)/);
      expect(plan.join()).not.toMatch(/TEMP B-TREE/);
    }
    await store.close();
  });

  test('a $in outside the sort runs as one index search per value, merged in sort order', async () => {
    const store = new SqliteStore({ file: ':memory:' });
    for (const [id, group, rank] of [
      ['a', 'x', 5],
      ['b', 'y', 4],
      ['c', 'z', 3],
      ['d', 'x', 2],
      ['e', 'y', 1],
    ] as const)
      await store.insert('ctItems', { _id: id, group, rank });
    const options = { where: { group: { $in: ['x', 'y'] } }, orderBy: [['rank', 'desc']] as Array<[string, 'desc']> };
    const [plan] = store.explain('ctItems', options);
    expect(plan[0]).toBe('MERGE (UNION ALL)');
    expect(plan.join()).not.toMatch(/TEMP B-TREE/);
    const first = await store.find('ctItems', { ...options, limit: 2 });
    const rest = await store.find('ctItems', { ...options, limit: 2, after: first.next });
    expect([...first.items, ...rest.items].map((d) => d._id)).toEqual(['a', 'b', 'd', 'e']);
    await store.close();
  });

  test('indexes follow the declaration: renamed by their keys, and dropped when no longer declared', async () => {
    const file = path.join(dir, 'indexes.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE "ctItems" (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT`);
    old.exec(`CREATE INDEX "ctItems_ix0" ON "ctItems" (json_extract(doc, '$.group'))`);
    old.close();
    const store = new SqliteStore({ file });
    await store.close();
    const db = new Database(file);
    const names = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ctItems' AND sql IS NOT NULL`)
        .all() as Array<{ name: string }>
    ).map((r) => r.name);
    db.close();
    expect(names).toEqual(['ctItems(group,rank,_id)']);
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
