// One Filter, three evaluators that must agree: the SQLite adapter's SQL, the
// CloudBase adapter's db.command query (run by the loopback fake with MongoDB
// semantics), and the CloudBase adapter's in-code check used for conditional
// updates inside transactions.
import { matches } from '../../cloudfunctions/core/adapters/cloudbase/filters';
import { CloudBaseStore } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import type { Doc, Filter } from '../../cloudfunctions/core/ports/store';
import { CloudBaseFake } from '../support/cloudbase-fake';
import './contract'; // declares the ct* collections

process.env.TENCENTCLOUD = 'true';

const docs: Doc[] = [
  { _id: 'a', group: 'even', rank: 0, flag: true, nested: { a: 1, b: 'x' } },
  { _id: 'b', group: 'odd', rank: 1, flag: false, nested: { a: 2 } },
  { _id: 'c', group: 'even', rank: 2, label: null },
  { _id: 'd', group: 'odd', rank: 3, label: 'Zeta' },
  { _id: 'e', group: 'ÉTÉ', rank: -5, label: 'alpha' },
  { _id: 'f', rank: 10, label: '😀' },
  { _id: 'g', group: 'even', rank: 2.5, nested: { b: 'y' } },
];

const filters: Filter[] = [
  {},
  { group: 'even' },
  { group: 'even', rank: 2 },
  { group: null },
  { label: null },
  { label: { $ne: null } },
  { group: { $ne: 'even' } },
  { rank: { $gt: 1 } },
  { rank: { $gte: 2, $lt: 10 } },
  { rank: { $lte: 0 } },
  { rank: { $in: [0, 3, 99] } },
  { label: { $in: [null, 'alpha'] } },
  { group: { $in: [] } },
  { label: { $gt: 'Zeta' } },
  { label: { $lt: '😀' } },
  { group: { $gte: 'even' } },
  { flag: true },
  { flag: false },
  { 'nested.a': { $gte: 1 } },
  { 'nested.b': 'y' },
  { 'nested.a': null },
  { _id: { $in: ['a', 'c', 'z'] } },
  { _id: { $gt: 'c' } },
  { rank: {} },
];

describe('Filter semantics agree across SQLite, CloudBase queries and in-transaction checks', () => {
  let fake: CloudBaseFake;
  let cloud: CloudBaseStore;
  let sqlite: SqliteStore;

  beforeAll(async () => {
    fake = await new CloudBaseFake({ collections: ['ctItems'] }).start();
    cloud = CloudBaseStore.fromEnv(fake.processEnv);
    sqlite = new SqliteStore({ file: ':memory:' });
    for (const doc of docs) {
      await sqlite.insert('ctItems', doc);
      await cloud.insert('ctItems', doc);
    }
  });
  afterAll(async () => {
    await sqlite.close();
    await fake.stop();
  });

  test.each(filters.map((f) => [JSON.stringify(f), f] as const))('%s', async (_name, where) => {
    const viaSql = (await sqlite.find('ctItems', { where, limit: 100 })).items.map((d) => d._id);
    const viaCloud = (await cloud.find('ctItems', { where, limit: 100 })).items.map((d) => d._id);
    const inCode = docs.filter((d) => matches(d, where)).map((d) => d._id);
    expect(viaCloud).toEqual(viaSql);
    expect(inCode).toEqual(viaSql);
  });

  test('orderings agree too, ties broken by _id', async () => {
    for (const orderBy of [
      [['rank', 'desc']],
      [['label', 'asc']],
      [
        ['group', 'asc'],
        ['rank', 'desc'],
      ],
    ] as const) {
      const options = { orderBy: orderBy.map(([f, d]) => [f, d] as [string, 'asc' | 'desc']), limit: 3 };
      const pages = async (store: CloudBaseStore | SqliteStore) => {
        const ids: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.find('ctItems', { ...options, after });
          ids.push(...page.items.map((d) => d._id));
          after = page.next;
        } while (after);
        return ids;
      };
      expect(await pages(cloud)).toEqual(await pages(sqlite));
    }
  });
});
