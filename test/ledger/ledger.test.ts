// The ledger on a real SQLite store: entries balance, post once, never drive
// a merchant account negative, and the self-check finds any tampering.
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import {
  Accounts,
  assertBalanced,
  InsufficientBalance,
  paymentEntry,
  refundEntry,
  reversalEntry,
  settlementEntry,
  withdrawalEntry,
  withdrawalOutcomeEntry,
} from '../../cloudfunctions/core/domain/ledger';
import { type JournalDoc, merchantBalances, post } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';

const appid = 'wx_ledger_test';
const now = new Date('2026-03-01T00:00:00Z');
let store: SqliteStore;

beforeEach(() => {
  store = new SqliteStore({ file: ':memory:' });
});
afterEach(() => store.close());

test('entries must balance and carry integer, non-zero postings', () => {
  const base = { id: 'x', appid, kind: 'payment' as const, ref: {} };
  expect(() =>
    assertBalanced({
      ...base,
      postings: [
        { account: 'a', amountFen: 5 },
        { account: 'b', amountFen: -4 },
      ],
    }),
  ).toThrow(/sum to 1/);
  expect(() =>
    assertBalanced({
      ...base,
      postings: [
        { account: 'a', amountFen: 0.5 },
        { account: 'b', amountFen: -0.5 },
      ],
    }),
  ).toThrow(/integer/);
  expect(() => assertBalanced({ ...base, postings: [{ account: 'a', amountFen: 5 }] })).toThrow(/two postings/);
  expect(() =>
    assertBalanced({
      ...base,
      postings: [
        { account: 'a', amountFen: 5 },
        { account: 'a', amountFen: -5 },
      ],
    }),
  ).toThrow(/twice/);
});

test('a payment, settlement, refund and withdrawal move money between the right accounts', async () => {
  await post(store, paymentEntry(appid, 'o1', 10000, 60), now);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 9940, availableFen: 0, withdrawingFen: 0 });
  await post(store, settlementEntry(appid, 'o1', 9940), now);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 9940, withdrawingFen: 0 });
  await post(store, refundEntry(appid, 'o1', 'r1', 5000, 30, 'available'), now);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 4970, withdrawingFen: 0 });
  await post(store, withdrawalEntry(appid, 'w1', 4970), now);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 4970 });
  await post(store, withdrawalOutcomeEntry(appid, 'w1', 4970, false), now);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 4970, withdrawingFen: 0 });
  const check = await verifyLedger(store, appid);
  expect(check).toMatchObject({ ok: true, entries: 5, differences: [] });
  const fees = await store.get<{ _id: string; balanceFen: number }>('balances', Accounts.fees(appid));
  expect(fees?.balanceFen).toBe(30);
});

test('posting the same event twice moves money once', async () => {
  expect(await post(store, paymentEntry(appid, 'o2', 500, 3), now)).toBe(true);
  expect(await post(store, paymentEntry(appid, 'o2', 500, 3), now)).toBe(false);
  expect((await merchantBalances(store, appid)).pendingFen).toBe(497);
});

test('a merchant account never goes negative, and a refused entry leaves nothing', async () => {
  await post(store, paymentEntry(appid, 'o3', 1000, 6), now);
  const refused = await post(store, withdrawalEntry(appid, 'w2', 1), now).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(InsufficientBalance);
  await post(store, settlementEntry(appid, 'o3', 994), now);
  const attempts = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) => post(store, withdrawalEntry(appid, `w-race-${i}`, 994), now)),
  );
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 994 });
  expect((await verifyLedger(store, appid)).ok).toBe(true);
});

test('corrections are reversing entries, and the check catches a tampered balance', async () => {
  const entry = paymentEntry(appid, 'o4', 2000, 12);
  await post(store, entry, now);
  await post(store, reversalEntry(entry, 'duplicate order'), now);
  expect((await merchantBalances(store, appid)).pendingFen).toBe(0);
  expect((await verifyLedger(store, appid)).ok).toBe(true);
  await store.update('balances', Accounts.pending(appid), { inc: { balanceFen: 1 } });
  const check = await verifyLedger(store, appid);
  expect(check.ok).toBe(false);
  expect(check.differences).toEqual([{ account: Accounts.pending(appid), journalFen: 0, balanceFen: 1 }]);
});

test('the check reports a journal entry that breaks the ledger rule, even one that sums to zero', async () => {
  await post(store, paymentEntry(appid, 'o5', 100, 1), now);
  const base = { appid, kind: 'payment' as const, ref: {}, createdAt: now.toISOString() };
  const tampered: JournalDoc[] = [
    {
      ...base,
      _id: 'bad:sum',
      postings: [
        { account: Accounts.bank(appid), amountFen: 5 },
        { account: Accounts.fees(appid), amountFen: -4 },
      ],
    },
    {
      ...base,
      _id: 'bad:fraction',
      postings: [
        { account: Accounts.bank(appid), amountFen: 0.5 },
        { account: Accounts.fees(appid), amountFen: -0.5 },
      ],
    },
    { ...base, _id: 'bad:single', postings: [{ account: Accounts.bank(appid), amountFen: 0 }] },
  ];
  for (const doc of tampered) await store.insert('journal', doc);
  const check = await verifyLedger(store, appid);
  expect(check.ok).toBe(false);
  expect([...check.unbalancedEntries].sort()).toEqual(['bad:fraction', 'bad:single', 'bad:sum']);
});

test('merchantBalances reads the accounts Accounts names', async () => {
  await post(store, paymentEntry(appid, 'o6', 300, 2), now);
  await post(store, settlementEntry(appid, 'o6', 100), now);
  await post(store, withdrawalEntry(appid, 'w6', 40), now);
  expect(await merchantBalances(store, appid)).toEqual({ pendingFen: 198, availableFen: 60, withdrawingFen: 40 });
  expect(await merchantBalances(store, 'wx_someone_else')).toEqual({
    pendingFen: 0,
    availableFen: 0,
    withdrawingFen: 0,
  });
});
