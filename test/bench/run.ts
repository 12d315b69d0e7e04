// npm run bench: store and ledger costs on both adapters (SQLite file, and the
// CloudBase adapter through the real SDK against the loopback server), in
// one run so the ratios compare like with like.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudBaseStore } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { collections } from '../../cloudfunctions/core/collections';
import { paymentEntry, settlementEntry } from '../../cloudfunctions/core/domain/ledger';
import { merchantBalances, post } from '../../cloudfunctions/core/ledger/book';
import type { Store } from '../../cloudfunctions/core/ports/store';
import { CloudBaseFake } from '../support/cloudbase-fake';
import { businessOps } from './business';
import { type Measure, measure, table } from './measure';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
collections.benchIndexed = { indexes: [['group', 'rank', '_id']] };
collections.benchPlain = { indexes: [] };

const N = Number(process.env.BENCH_N ?? 2000);
const now = new Date('2026-03-01T00:00:00Z');

async function storeOps(label: string, store: Store, n: number): Promise<Measure[]> {
  const rows: Measure[] = [];
  rows.push(
    await measure(`${label} insert`, store, n, (i) =>
      store.insert('benchIndexed', { _id: `d${i}`, group: `g${i % 50}`, rank: i }),
    ),
  );
  rows.push(await measure(`${label} get by id`, store, n, (i) => store.get('benchIndexed', `d${i}`)));
  await store.insert('balances', { _id: 'acc', appid: 'bench', balanceFen: n * 10, updatedAt: now.toISOString() });
  rows.push(
    await measure(`${label} conditional decrement`, store, n, () =>
      store.update('balances', 'acc', { inc: { balanceFen: -10 } }, { balanceFen: { $gte: 10 } }),
    ),
  );
  rows.push(
    await measure(`${label} find page (indexed, 20)`, store, Math.min(n, 500), (i) =>
      store.find('benchIndexed', { where: { group: `g${i % 50}` }, orderBy: [['rank', 'desc']], limit: 20 }),
    ),
  );
  rows.push(
    await measure(`${label} ledger: post payment`, store, n, (i) =>
      post(store, paymentEntry('bench', `o${i}`, 10000, 60), now),
    ),
  );
  rows.push(
    await measure(`${label} ledger: post settlement`, store, n, (i) =>
      post(store, settlementEntry('bench', `o${i}`, 9940), now),
    ),
  );
  rows.push(
    await measure(`${label} ledger: repost (no-op)`, store, n, (i) =>
      post(store, paymentEntry('bench', `o${i}`, 10000, 60), now),
    ),
  );
  rows.push(await measure(`${label} balances (3 accounts)`, store, n, () => merchantBalances(store, 'bench')));
  return rows;
}

async function indexRatio(n: number): Promise<string> {
  const store = new SqliteStore({ file: ':memory:' });
  for (let i = 0; i < n * 10; i++) {
    const doc = { _id: `d${i}`, group: `g${i % 500}`, rank: i };
    await store.insert('benchIndexed', doc);
    await store.insert('benchPlain', doc);
  }
  const q = (c: string) => (i: number) =>
    store.find(c, { where: { group: `g${i % 500}` }, orderBy: [['rank', 'desc']], limit: 20 });
  const indexed = await measure('indexed', store, 300, q('benchIndexed'));
  const plain = await measure('plain', store, 300, q('benchPlain'));
  await store.close();
  return `find on ${n * 10} docs: declared index ${indexed.usPerOp} µs vs none ${plain.usPerOp} µs (${(plain.usPerOp / indexed.usPerOp).toFixed(1)}x faster with the index)`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-bench-'));
  console.log(`bench: node ${process.version}, ${os.cpus().length} cores, N=${N}\n`);

  const sqlite = new SqliteStore({ file: path.join(dir, 'bench.sqlite') });
  const sqliteRows = await storeOps('sqlite', sqlite, N);
  await sqlite.close();

  const fake = await new CloudBaseFake({ collections: Object.keys(collections) }).start();
  const cloud = CloudBaseStore.fromEnv(fake.processEnv);
  const cloudRows = await storeOps('cloudbase(loopback)', cloud, Math.min(N, 300));
  await cloud.close();
  await fake.stop();

  console.log(table([...sqliteRows, ...cloudRows]));
  console.log(`\n${await indexRatio(N)}`);
  const postS = sqliteRows.find((r) => r.name.endsWith('post payment'))!;
  const postC = cloudRows.find((r) => r.name.endsWith('post payment'))!;
  console.log(
    `ledger post: ${postS.roundTripsPerOp.toFixed(1)} round trips on SQLite, ${postC.roundTripsPerOp.toFixed(1)} on CloudBase (transaction begin/commit included)`,
  );

  const business = await businessOps(Math.min(N, 200));
  console.log(`\nbusiness operations (functions on SQLite, in-process WeChat Pay sandbox)\n${table(business.rows)}`);
  console.log(`ledger after the business run: ${business.ledgerOk ? 'balanced' : 'NOT BALANCED'}`);
  if (!business.ledgerOk) process.exitCode = 1;
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
