// The entry builder: every movement is written as moves between named
// accounts, so entries balance by construction, account names come only from
// `Accounts`, and the postings are exactly those the hand-written entries had.
import {
  accountKeyOf,
  Accounts,
  type AccountKey,
  entry,
  type EntryDraft,
  paymentEntry,
  postedFen,
  refundEntry,
  reversalEntry,
  settlementEntry,
  withdrawalEntry,
  withdrawalOutcomeEntry,
} from '../../cloudfunctions/core/domain/ledger';
import { type RefundDoc, refundReturnedEntry } from '../../cloudfunctions/core/domain/refund';

const appid = 'wx_builder';
const head = { id: 'e1', appid, kind: 'payment' as const, ref: { orderId: 'o1' } };
const KEYS: AccountKey[] = ['buyerClearing', 'pending', 'available', 'withdrawing', 'fees', 'bank'];
const names = new Set(KEYS.map((k) => Accounts[k](appid)));

function sum(e: EntryDraft): number {
  return e.postings.reduce((s, p) => s + p.amountFen, 0);
}

describe('entry()', () => {
  test('a move takes fen from one account and puts them into another', () => {
    expect(entry(head).move(700, 'buyerClearing', 'pending').build()).toEqual({
      ...head,
      postings: [
        { account: Accounts.buyerClearing(appid), amountFen: -700 },
        { account: Accounts.pending(appid), amountFen: 700 },
      ],
    });
  });

  test('output always balances, one posting per account', () => {
    const e = entry(head)
      .move(100, 'buyerClearing', 'pending')
      .move(5, 'buyerClearing', 'fees')
      .move(40, 'pending', 'available')
      .move(10, 'available', 'withdrawing')
      .move(3, 'withdrawing', 'bank')
      .build();
    expect(sum(e)).toBe(0);
    expect(new Set(e.postings.map((p) => p.account)).size).toBe(e.postings.length);
    expect(e.postings).toEqual([
      { account: Accounts.buyerClearing(appid), amountFen: -105 },
      { account: Accounts.pending(appid), amountFen: 60 },
      { account: Accounts.available(appid), amountFen: 30 },
      { account: Accounts.withdrawing(appid), amountFen: 7 },
      { account: Accounts.bank(appid), amountFen: 3 },
      { account: Accounts.fees(appid), amountFen: 5 },
    ]);
  });

  test('same-account moves merge; a net zero account is dropped', () => {
    const e = entry(head).move(30, 'pending', 'available').move(20, 'pending', 'available').build();
    expect(e.postings).toEqual([
      { account: Accounts.pending(appid), amountFen: -50 },
      { account: Accounts.available(appid), amountFen: 50 },
    ]);
    const roundTrip = entry(head).move(9, 'pending', 'available').move(9, 'available', 'withdrawing').build();
    expect(roundTrip.postings).toEqual([
      { account: Accounts.pending(appid), amountFen: -9 },
      { account: Accounts.withdrawing(appid), amountFen: 9 },
    ]);
  });

  test('a move of 0 fen is dropped', () => {
    const e = entry(head)
      .move(0, 'buyerClearing', 'fees')
      .move(10, 'buyerClearing', 'pending')
      .move(0, 'pending', 'bank')
      .build();
    expect(e.postings.map((p) => p.account)).toEqual([Accounts.buyerClearing(appid), Accounts.pending(appid)]);
  });

  test('an entry that moves nothing, or nets to nothing, is refused', () => {
    expect(() => entry(head).build()).toThrow(RangeError);
    expect(() => entry(head).move(0, 'buyerClearing', 'pending').build()).toThrow(/two postings/);
    expect(() => entry(head).move(5, 'pending', 'available').move(5, 'available', 'pending').build()).toThrow(
      RangeError,
    );
  });

  test.each([0.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('a move of %p fen is refused', (fen) => {
    expect(() => entry(head).move(fen, 'buyerClearing', 'pending')).toThrow(RangeError);
  });

  test('a move to the same account, or to an unknown one, is refused', () => {
    expect(() => entry(head).move(1, 'pending', 'pending')).toThrow(RangeError);
    expect(() => entry(head).move(1, 'pending', 'merchant:x:available' as AccountKey)).toThrow(RangeError);
  });

  test('an unbalanced entry is refused when reversed', () => {
    const unbalanced = {
      id: 'bad',
      postings: [
        { account: Accounts.pending(appid), amountFen: 5 },
        { account: Accounts.available(appid), amountFen: -4 },
      ],
    };
    expect(() => entry(head).reverse(unbalanced).build()).toThrow(/sum to -1/);
    const fractional = {
      id: 'bad',
      postings: [
        { account: Accounts.pending(appid), amountFen: 0.5 },
        { account: Accounts.available(appid), amountFen: -0.5 },
      ],
    };
    expect(() => entry(head).reverse(fractional)).toThrow(RangeError);
  });

  test('account names come only from Accounts: foreign names cannot be reversed', () => {
    const foreign = {
      id: 'f',
      postings: [
        { account: 'merchant:other:pending', amountFen: -1 },
        { account: Accounts.available(appid), amountFen: 1 },
      ],
    };
    expect(() => entry(head).reverse(foreign)).toThrow(/not an account of wx_builder/);
    const handMade = {
      id: 'h',
      postings: [
        { account: 'cash', amountFen: -1 },
        { account: Accounts.available(appid), amountFen: 1 },
      ],
    };
    expect(() => entry(head).reverse(handMade)).toThrow(RangeError);
  });

  test('the head is kept: memo only when given, ref copied', () => {
    const ref = { orderId: 'o1' };
    const plain = entry({ ...head, ref })
      .move(1, 'pending', 'available')
      .build();
    expect('memo' in plain).toBe(false);
    expect(plain.ref).toEqual(ref);
    expect(plain.ref).not.toBe(ref);
    expect(
      entry({ ...head, memo: 'why' })
        .move(1, 'pending', 'available')
        .build().memo,
    ).toBe('why');
  });
});

describe('Accounts', () => {
  test('accountKeyOf resolves exactly the names Accounts makes for the app', () => {
    for (const key of KEYS) expect(accountKeyOf(appid, Accounts[key](appid))).toBe(key);
    expect(accountKeyOf(appid, Accounts.pending('another'))).toBeUndefined();
    expect(accountKeyOf(appid, 'merchant:wx_builder:savings')).toBeUndefined();
  });

  test('postedFen reads what postings put into an account', () => {
    const e = paymentEntry(appid, 'o1', 10000, 60);
    expect(postedFen(e.postings, appid, 'pending')).toBe(9940);
    expect(postedFen(e.postings, appid, 'fees')).toBe(60);
    expect(postedFen(e.postings, appid, 'buyerClearing')).toBe(-10000);
    expect(postedFen(e.postings, appid, 'available')).toBe(0);
    expect(postedFen(e.postings, 'another', 'pending')).toBe(0);
  });
});

describe('every movement', () => {
  const refund: RefundDoc = {
    _id: 'R1',
    appid,
    orderId: 'o1',
    subMchid: '1900000109',
    amountFen: 5000,
    feeReturnedFen: 30,
    from: 'available',
    state: 'CLOSED',
    requestedBy: 'u',
    submitted: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const all: Array<[string, EntryDraft]> = [
    ['payment', paymentEntry(appid, 'o1', 10000, 60)],
    ['payment without fee', paymentEntry(appid, 'o1', 10000, 0)],
    ['refund from pending', refundEntry(appid, 'o1', 'r1', 5000, 30, 'pending')],
    ['refund from available', refundEntry(appid, 'o1', 'r1', 5000, 0, 'available')],
    ['settlement', settlementEntry(appid, 'o1', 9940)],
    ['withdrawal', withdrawalEntry(appid, 'w1', 4970)],
    ['withdrawal paid', withdrawalOutcomeEntry(appid, 'w1', 4970, true)],
    ['withdrawal returned', withdrawalOutcomeEntry(appid, 'w1', 4970, false)],
    ['reversal', reversalEntry(paymentEntry(appid, 'o1', 10000, 60), 'duplicate')],
    ['refund returned', refundReturnedEntry(refund, 'pending')],
  ];

  test.each(all)('%s balances over distinct accounts named by Accounts', (_name, e) => {
    expect(sum(e)).toBe(0);
    expect(e.postings.length).toBeGreaterThanOrEqual(2);
    for (const p of e.postings) {
      expect(names.has(p.account)).toBe(true);
      expect(Number.isSafeInteger(p.amountFen) && p.amountFen !== 0).toBe(true);
    }
  });

  // Pinned: the exact postings (accounts, signs, order) the hand-written entries produced.
  test('payment', () => {
    expect(paymentEntry(appid, 'o1', 10000, 60)).toEqual({
      id: 'payment:o1',
      appid,
      kind: 'payment',
      ref: { orderId: 'o1' },
      postings: [
        { account: 'buyer-clearing:wx_builder', amountFen: -10000 },
        { account: 'merchant:wx_builder:pending', amountFen: 9940 },
        { account: 'fees:wx_builder', amountFen: 60 },
      ],
    });
  });

  test('refund', () => {
    expect(refundEntry(appid, 'o1', 'r1', 5000, 30, 'pending')).toEqual({
      id: 'refund:r1',
      appid,
      kind: 'refund',
      ref: { orderId: 'o1', refundId: 'r1' },
      postings: [
        { account: 'buyer-clearing:wx_builder', amountFen: 5000 },
        { account: 'merchant:wx_builder:pending', amountFen: -4970 },
        { account: 'fees:wx_builder', amountFen: -30 },
      ],
    });
    expect(refundEntry(appid, 'o1', 'r2', 100, 0, 'available').postings).toEqual([
      { account: 'buyer-clearing:wx_builder', amountFen: 100 },
      { account: 'merchant:wx_builder:available', amountFen: -100 },
    ]);
  });

  test('settlement, withdrawal and its outcomes', () => {
    expect(settlementEntry(appid, 'o1', 9940)).toEqual({
      id: 'settlement:o1',
      appid,
      kind: 'settlement',
      ref: { orderId: 'o1' },
      postings: [
        { account: 'merchant:wx_builder:pending', amountFen: -9940 },
        { account: 'merchant:wx_builder:available', amountFen: 9940 },
      ],
    });
    expect(withdrawalEntry(appid, 'w1', 4970)).toMatchObject({
      id: 'withdrawal:w1',
      kind: 'withdrawal',
      ref: { withdrawalId: 'w1' },
      postings: [
        { account: 'merchant:wx_builder:available', amountFen: -4970 },
        { account: 'merchant:wx_builder:withdrawing', amountFen: 4970 },
      ],
    });
    expect(withdrawalOutcomeEntry(appid, 'w1', 4970, true)).toMatchObject({
      id: 'withdrawal_paid:w1',
      kind: 'withdrawal_paid',
      postings: [
        { account: 'merchant:wx_builder:withdrawing', amountFen: -4970 },
        { account: 'bank:wx_builder', amountFen: 4970 },
      ],
    });
    expect(withdrawalOutcomeEntry(appid, 'w1', 4970, false)).toMatchObject({
      id: 'withdrawal_returned:w1',
      kind: 'withdrawal_returned',
      postings: [
        { account: 'merchant:wx_builder:withdrawing', amountFen: -4970 },
        { account: 'merchant:wx_builder:available', amountFen: 4970 },
      ],
    });
  });

  test('a reversal is the exact opposite, in the same order', () => {
    for (const original of [
      paymentEntry(appid, 'o1', 10000, 60),
      settlementEntry(appid, 'o1', 9940),
      withdrawalOutcomeEntry(appid, 'w1', 4970, true),
    ]) {
      const back = reversalEntry(original, 'why');
      expect(back).toEqual({
        id: `reversal:${original.id}`,
        appid,
        kind: 'reversal',
        ref: { ...original.ref, reverses: original.id },
        memo: 'why',
        postings: original.postings.map((p) => ({ account: p.account, amountFen: -p.amountFen })),
      });
    }
  });

  test('a closed refund returns its money where the order is now', () => {
    expect(refundReturnedEntry(refund, 'pending')).toEqual({
      id: 'reversal:refund:R1',
      appid,
      kind: 'reversal',
      ref: { orderId: 'o1', refundId: 'R1', reverses: 'refund:R1' },
      memo: 'refund closed: money returned to the merchant',
      postings: [
        { account: 'buyer-clearing:wx_builder', amountFen: -5000 },
        { account: 'merchant:wx_builder:pending', amountFen: 4970 },
        { account: 'fees:wx_builder', amountFen: 30 },
      ],
    });
  });

  test('nonsense amounts are refused rather than turned into a backwards move', () => {
    expect(() => paymentEntry(appid, 'o1', 10, 20)).toThrow(RangeError);
    expect(() => withdrawalEntry(appid, 'w1', -5)).toThrow(RangeError);
    expect(() => settlementEntry(appid, 'o1', 0)).toThrow(RangeError);
    expect(() => paymentEntry(appid, 'o1', 100.5, 0)).toThrow(RangeError);
  });
});
