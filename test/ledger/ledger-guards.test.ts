// The ledger's non-negative guard at its edge: a merchant account (pending,
// available, withdrawing) can be taken down to exactly zero, and one fen more
// is refused with nothing written: no journal entry, no balance moved on any
// account, and none of the caller's other writes in the same transaction.
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import {
  Accounts,
  type EntryDraft,
  InsufficientBalance,
  paymentEntry,
  refundEntry,
  settlementEntry,
  withdrawalEntry,
  withdrawalOutcomeEntry,
} from '../../cloudfunctions/core/domain/ledger';
import { type BalanceDoc, merchantBalances, post, postInTransaction } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';

const appid = 'wx_ledger_guard';
const now = new Date('2026-03-01T00:00:00Z');
let store: SqliteStore;

beforeEach(() => {
  store = new SqliteStore({ file: ':memory:' });
});
afterEach(() => store.close());

async function everything(): Promise<unknown> {
  const all = async (collection: string) =>
    (await store.find(collection, { orderBy: [['_id', 'asc']], limit: 100 })).items;
  return { journal: await all('journal'), balances: await all('balances'), other: await all('orders') };
}

/** Posts `entry`, expecting the guard to refuse it on `account`, with nothing written. */
async function refusedOn(entry: EntryDraft, account: string): Promise<void> {
  const before = await everything();
  const err = await post(store, entry, now).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InsufficientBalance);
  expect((err as InsufficientBalance).account).toBe(account);
  expect((err as InsufficientBalance).code).toBe('FUNDS.INSUFFICIENT_BALANCE');
  expect(await everything()).toEqual(before);
  expect(await store.get('journal', entry.id)).toBeNull();
}

async function balanceOf(account: string): Promise<number | undefined> {
  return (await store.get<BalanceDoc>('balances', account))?.balanceFen;
}

/** A payment of 10000 (fee 60) settled: available 9940. */
async function available9940(): Promise<void> {
  await post(store, paymentEntry(appid, 'o1', 10000, 60), now);
  await post(store, settlementEntry(appid, 'o1', 9940), now);
}

test('available: a withdrawal of balance + 1 fen is refused and writes nothing; exactly the balance goes through', async () => {
  await available9940();
  await refusedOn(withdrawalEntry(appid, 'w-over', 9941), Accounts.available(appid));
  expect(await post(store, withdrawalEntry(appid, 'w-exact', 9940), now)).toBe(true);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 9940 });
  // At zero, one fen is one too many.
  await refusedOn(withdrawalEntry(appid, 'w-one', 1), Accounts.available(appid));
  expect((await verifyLedger(store, appid)).ok).toBe(true);
});

test('pending: a refund of pending + 1 fen is refused and writes nothing; exactly pending goes through', async () => {
  await post(store, paymentEntry(appid, 'o2', 5000, 30), now); // pending 4970
  // 4971 of it from pending, its fee share 0: one fen more than pending holds.
  await refusedOn(refundEntry(appid, 'o2', 'r-over', 4971, 0, 'pending'), Accounts.pending(appid));
  expect(await post(store, refundEntry(appid, 'o2', 'r-exact', 5000, 30, 'pending'), now)).toBe(true);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 0 });
  expect(await balanceOf(Accounts.fees(appid))).toBe(0);
  expect((await verifyLedger(store, appid)).ok).toBe(true);
});

test('withdrawing: paying out withdrawing + 1 fen is refused; exactly withdrawing goes through', async () => {
  await available9940();
  await post(store, withdrawalEntry(appid, 'w1', 3000), now);
  await refusedOn(withdrawalOutcomeEntry(appid, 'w1-over', 3001, true), Accounts.withdrawing(appid));
  await refusedOn(withdrawalOutcomeEntry(appid, 'w1-over', 3001, false), Accounts.withdrawing(appid));
  expect(await post(store, withdrawalOutcomeEntry(appid, 'w1', 3000, true), now)).toBe(true);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 6940, withdrawingFen: 0 });
  expect((await verifyLedger(store, appid)).ok).toBe(true);
});

test('an account with no balance document holds zero: taking 1 fen is refused and creates nothing', async () => {
  await refusedOn(withdrawalEntry(appid, 'w-none', 1), Accounts.available(appid));
  expect(await balanceOf(Accounts.available(appid))).toBeUndefined();
  expect(await balanceOf(Accounts.withdrawing(appid))).toBeUndefined();
});

test("a refusal inside a caller's transaction rolls back the caller's own writes too", async () => {
  await available9940();
  const before = await everything();
  const attempt = store.transaction(async (tx) => {
    await tx.insert('orders', { _id: 'o-side-effect', appid });
    await postInTransaction(tx, withdrawalEntry(appid, 'w-tx', 9941), now);
  });
  await expect(attempt).rejects.toBeInstanceOf(InsufficientBalance);
  expect(await everything()).toEqual(before);
  expect(await store.get('orders', 'o-side-effect')).toBeNull();

  await store.transaction(async (tx) => {
    await tx.insert('orders', { _id: 'o-side-effect', appid });
    await postInTransaction(tx, withdrawalEntry(appid, 'w-tx', 9940), now);
  });
  expect(await store.get('orders', 'o-side-effect')).not.toBeNull();
  expect(await balanceOf(Accounts.available(appid))).toBe(0);
});

test('the accounts that are not a merchant balance may go below zero (buyer clearing carries every payment)', async () => {
  await post(store, paymentEntry(appid, 'o3', 1000, 6), now);
  expect(await balanceOf(Accounts.buyerClearing(appid))).toBe(-1000);
});
