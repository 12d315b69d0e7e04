// Balances, transaction details and the CSV export, on a ledger built the
// way checkout and settlement build it.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import {
  paymentEntry,
  reversalEntry,
  withdrawalEntry,
  withdrawalOutcomeEntry,
} from '../../cloudfunctions/core/domain/ledger';
import { post, postInTransaction } from '../../cloudfunctions/core/ledger/book';
import { main } from '../../cloudfunctions/funds';
import { settleDueOrders } from '../../cloudfunctions/core/funds/settlement';
import { MAX_EXPORT_ROWS } from '../../cloudfunctions/core/funds/transactions';
import type {
  Balances,
  ExportFile,
  FundsOverview,
  TransactionDetail,
  TransactionPage,
  TransactionRow,
} from '../../typings/funds';
import { admin, buyer, call, errorOf, ok, type TestDeps, testDeps } from '../support/deps';
import { bindMerchant, paidOrder, refundOrder } from './support';

let deps: TestDeps;
const OTHER = 'wx0123456789abcdef';
const otherAdmin = { openid: 'o_other_admin_000000000000001', appid: OTHER };

/**
 * 01-05 10:00 A paid 100.00 (fee 0.60); 12:00 A refunded 30.00 from pending (fee back 0.18);
 * 23:30 B paid 50.00 (fee 0.30); 01-06 01:00 both settle; 09:00 C paid 10.00 (fee 0.06);
 * 10:00 withdrawal w1 30.00, 11:00 returned; 01-07 10:00 w2 20.00, 12:00 paid. (Beijing times.)
 */
async function buildLedger(): Promise<{ a: string; b: string; c: string }> {
  const a = await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z');
  await refundOrder(deps, a._id, 'R-a-1', 3000, '2026-01-05T04:00:00.000Z');
  const b = await paidOrder(deps, 5000, '2026-01-05T15:30:00.000Z');
  deps.clock.set('2026-01-05T17:00:00.000Z');
  await settleDueOrders(deps);
  const c = await paidOrder(deps, 1000, '2026-01-06T01:00:00.000Z');
  await post(deps.store, withdrawalEntry(DEMO_APPID, 'w1', 3000), new Date('2026-01-06T02:00:00.000Z'));
  await post(deps.store, withdrawalOutcomeEntry(DEMO_APPID, 'w1', 3000, false), new Date('2026-01-06T03:00:00.000Z'));
  await post(deps.store, withdrawalEntry(DEMO_APPID, 'w2', 2000), new Date('2026-01-07T02:00:00.000Z'));
  await post(deps.store, withdrawalOutcomeEntry(DEMO_APPID, 'w2', 2000, true), new Date('2026-01-07T04:00:00.000Z'));
  deps.clock.set('2026-01-07T05:00:00.000Z');
  return { a: a._id, b: b._id, c: c._id };
}

const FINAL: Balances = { pendingFen: 994, availableFen: 6958 + 4970 - 2000, withdrawingFen: 0 };

function sum(rows: TransactionRow[]): Balances {
  return rows.reduce(
    (s, r) => ({
      pendingFen: s.pendingFen + r.changes.pendingFen,
      availableFen: s.availableFen + r.changes.availableFen,
      withdrawingFen: s.withdrawingFen + r.changes.withdrawingFen,
    }),
    { pendingFen: 0, availableFen: 0, withdrawingFen: 0 },
  );
}

async function listAll(query: Record<string, unknown>): Promise<TransactionRow[]> {
  const rows: TransactionRow[] = [];
  let after: string | undefined;
  do {
    const page = await ok(
      call<TransactionPage>(main, admin, 'listTransactions', { ...query, ...(after ? { after } : {}) }),
    );
    rows.push(...page.items);
    after = page.next;
  } while (after);
  return rows;
}

beforeEach(async () => {
  deps = await testDeps();
  deps.config.miniPrograms[OTHER] = {
    appid: OTHER,
    name: 'Other',
    entity: { name: 'Other Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true },
    thirdPartyPlatform: false,
    admins: [otherAdmin.openid],
  };
  await bindMerchant(deps);
});
afterEach(() => deps.close());

describe('balances', () => {
  test('pending, available and withdrawing in one database round trip', async () => {
    await buildLedger();
    const before = deps.store.roundTrips;
    expect(await ok(call<Balances>(main, admin, 'getBalances'))).toEqual(FINAL);
    expect(deps.store.roundTrips - before).toBe(1);
  });

  test('an empty merchant has zero balances, and another mini program sees only its own', async () => {
    expect(await ok(call<Balances>(main, admin, 'getBalances'))).toEqual({
      pendingFen: 0,
      availableFen: 0,
      withdrawingFen: 0,
    });
    await buildLedger();
    expect(await ok(call<Balances>(main, otherAdmin, 'getBalances'))).toEqual({
      pendingFen: 0,
      availableFen: 0,
      withdrawingFen: 0,
    });
    expect(await ok(call<TransactionPage>(main, otherAdmin, 'listTransactions', {}))).toEqual({ items: [] });
  });

  test('the overview: balances, the five latest movements, withdrawal and bank state', async () => {
    await buildLedger();
    const overview = await ok(call<FundsOverview>(main, admin, 'getOverview'));
    expect(overview.balances).toEqual(FINAL);
    expect(overview.recent.map((r) => r.type)).toEqual([
      'withdrawal_paid',
      'withdrawal',
      'withdrawal_returned',
      'withdrawal',
      'payment',
    ]);
    expect(overview).toMatchObject({
      service: 'active',
      withdrawnToday: false,
      settlementDays: 1,
      merchantBound: true,
      bankAccount: null,
      latestReconciliation: null,
    });
  });
});

describe('transaction details', () => {
  test('every movement, newest first, and the rows add up to the balances', async () => {
    await buildLedger();
    const rows = await listAll({});
    expect(rows.map((r) => [r.type, r.amountFen])).toEqual([
      ['withdrawal_paid', -2000],
      ['withdrawal', -2000],
      ['withdrawal_returned', 3000],
      ['withdrawal', -3000],
      ['payment', 1000],
      ['fee', -6],
      ['settlement', 4970],
      ['settlement', 6958],
      ['payment', 5000],
      ['fee', -30],
      ['refund', -3000],
      ['fee', 18],
      ['payment', 10000],
      ['fee', -60],
    ]);
    expect(sum(rows)).toEqual(FINAL);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].at >= rows[i].at).toBe(true);
  });

  test('filters by type', async () => {
    await buildLedger();
    const types = async (type: string) => (await listAll({ type })).map((r) => `${r.type}:${r.amountFen}`);
    expect(await types('payment')).toEqual(['payment:1000', 'payment:5000', 'payment:10000']);
    expect(await types('fee')).toEqual(['fee:-6', 'fee:-30', 'fee:18', 'fee:-60']);
    expect(await types('refund')).toEqual(['refund:-3000']);
    expect(await types('settlement')).toEqual(['settlement:4970', 'settlement:6958']);
    expect(await types('withdrawal')).toEqual(['withdrawal:-2000', 'withdrawal:-3000']);
    expect(await types('withdrawal_paid')).toEqual(['withdrawal_paid:-2000']);
    expect(await types('withdrawal_returned')).toEqual(['withdrawal_returned:3000']);
    expect(await types('adjustment')).toEqual([]);
    // w2 bounced after it was paid: the payout is reversed (an adjustment), then the money returns.
    const bounced = new Date('2026-01-07T06:00:00.000Z');
    await post(deps.store, reversalEntry(withdrawalOutcomeEntry(DEMO_APPID, 'w2', 2000, true), 'bounced'), bounced);
    await post(deps.store, withdrawalOutcomeEntry(DEMO_APPID, 'w2', 2000, false), bounced);
    expect(await types('adjustment')).toEqual(['adjustment:2000']);
    expect(await types('withdrawal_returned')).toEqual(['withdrawal_returned:2000', 'withdrawal_returned:3000']);
    expect((await errorOf(call(main, admin, 'listTransactions', { type: 'reversal' }))).code).toBe('INPUT.INVALID');
  });

  test('filters by Beijing date range, both ends inclusive', async () => {
    await buildLedger();
    const day5 = await listAll({ from: '2026-01-05', to: '2026-01-05' });
    // B paid at 23:30 Beijing is on the 5th; the settlement at 01:00 is on the 6th.
    expect(day5.map((r) => r.type)).toEqual(['payment', 'fee', 'refund', 'fee', 'payment', 'fee']);
    const day6 = await listAll({ from: '2026-01-06', to: '2026-01-06', type: 'settlement' });
    expect(day6).toHaveLength(2);
    expect(await listAll({ from: '2026-01-08', to: '2026-01-31' })).toEqual([]);
  });

  test('cursor pagination walks every row once', async () => {
    await buildLedger();
    const all = await listAll({});
    const paged: TransactionRow[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await ok(
        call<TransactionPage>(main, admin, 'listTransactions', { limit: 3, ...(after ? { after } : {}) }),
      );
      paged.push(...page.items);
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBeGreaterThan(3);
    expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(new Set(paged.map((r) => r.id)).size).toBe(paged.length);
  });

  test('a page of limit N has at most N rows, though an entry can be two; its cursor resumes right after the last row', async () => {
    await buildLedger();
    const expected = {
      all: await listAll({ limit: 50 }),
      fee: await listAll({ type: 'fee', limit: 50 }),
      payment: await listAll({ type: 'payment', limit: 50 }),
    };
    expect(expected.all).toHaveLength(14);
    expect(expected.fee).toHaveLength(4);
    for (const [type, rows] of Object.entries(expected)) {
      for (let limit = 1; limit <= 15; limit++) {
        const walked: TransactionRow[] = [];
        const sizes: number[] = [];
        let after: string | undefined;
        do {
          const page = await ok(
            call<TransactionPage>(main, admin, 'listTransactions', {
              limit,
              ...(type === 'all' ? {} : { type }),
              ...(after ? { after } : {}),
            }),
          );
          sizes.push(page.items.length);
          walked.push(...page.items);
          after = page.next;
          expect(sizes.length).toBeLessThanOrEqual(rows.length + 1);
        } while (after);
        const where = `${type}, limit ${limit}: pages ${sizes.join(' ')}`;
        expect([where, walked.map((r) => r.id)]).toEqual([where, rows.map((r) => r.id)]);
        // Every page is full but the last, which is never empty unless the list is.
        expect([where, sizes.slice(0, -1).every((n) => n === limit)]).toEqual([where, true]);
        expect([where, sizes[sizes.length - 1] >= 1 && sizes[sizes.length - 1] <= limit]).toEqual([where, true]);
      }
    }
  });

  test('the default page is 20 rows: fifteen payments with their fees are a page of 20, then 10', async () => {
    await deps.store.transaction(async (tx) => {
      for (let i = 0; i < 15; i++)
        await postInTransaction(
          tx,
          paymentEntry(DEMO_APPID, `p${i}`, 1000, 6),
          new Date(Date.parse('2026-01-05T02:00:00Z') + i * 1000),
        );
    });
    const first = await ok(call<TransactionPage>(main, admin, 'listTransactions', {}));
    expect(first.items).toHaveLength(20);
    expect(first.items.slice(0, 2).map((r) => r.type)).toEqual(['payment', 'fee']);
    const second = await ok(call<TransactionPage>(main, admin, 'listTransactions', { after: first.next }));
    expect(second.items).toHaveLength(10);
    expect(second.next).toBeUndefined();
    expect(new Set([...first.items, ...second.items].map((r) => r.id)).size).toBe(30);
  });

  test('a cursor that stops inside an entry resumes with its fee row; mangled ones are input errors', async () => {
    await buildLedger();
    const first = await ok(call<TransactionPage>(main, admin, 'listTransactions', { limit: 5 }));
    // withdrawal_paid, withdrawal, withdrawal_returned, withdrawal, payment C | its fee
    expect(first.items.map((r) => r.type)).toEqual([
      'withdrawal_paid',
      'withdrawal',
      'withdrawal_returned',
      'withdrawal',
      'payment',
    ]);
    const next = await ok(call<TransactionPage>(main, admin, 'listTransactions', { limit: 1, after: first.next }));
    expect(next.items.map((r) => r.id)).toEqual([`${first.items[4].id}#fee`]);
    for (const after of [`${first.next}~1`, '~0', '~x', '~100', 'abc~01', `~${'9'.repeat(3)}`]) {
      const e = await errorOf(call(main, admin, 'listTransactions', { after }));
      expect([after, e.code, Object.keys(e.fields ?? {})]).toEqual([after, 'INPUT.INVALID', ['after']]);
    }
  });

  test('the fee filter skips past pages without fees instead of returning an empty page', async () => {
    await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z');
    // Ten fee-free payments after it (WeChat rounds the fee of 0.01 to nothing).
    await deps.store.transaction(async (tx) => {
      for (let i = 0; i < 10; i++)
        await postInTransaction(
          tx,
          paymentEntry(DEMO_APPID, `tiny${i}`, 1, 0),
          new Date(`2026-01-05T03:00:0${i}.000Z`),
        );
    });
    const page = await ok(call<TransactionPage>(main, admin, 'listTransactions', { type: 'fee', limit: 3 }));
    expect(page.items.map((r) => r.amountFen)).toEqual([-60]);
  });

  test('a detail links to its order and to the other rows of the same entry', async () => {
    const { a } = await buildLedger();
    const rows = await listAll({ type: 'fee' });
    const feeRow = rows.find((r) => r.amountFen === -60)!;
    const detail = await ok(call<TransactionDetail>(main, admin, 'getTransaction', { id: feeRow.id }));
    expect(detail.row).toEqual(feeRow);
    expect(detail.related.map((r) => [r.type, r.amountFen])).toEqual([['payment', 10000]]);
    expect(detail.order).toEqual({
      id: a,
      state: 'PAID',
      totalFen: 10000,
      feeFen: 60,
      refundedFen: 3000,
      paidAt: '2026-01-05T02:00:00.000Z',
      settlementState: 'SETTLED',
    });
    expect(detail.withdrawal).toBeNull();
  });

  test("a pending order's detail says when it settles", async () => {
    const { c } = await buildLedger();
    const row = (await listAll({ type: 'payment' })).find((r) => r.orderId === c)!;
    const detail = await ok(call<TransactionDetail>(main, admin, 'getTransaction', { id: row.id }));
    expect(detail.order).toMatchObject({ settlementState: 'PENDING', settlesAt: '2026-01-06T16:00:00.000Z' });
  });

  test("another mini program's transaction, or an unknown id, is not found", async () => {
    await buildLedger();
    const [row] = await listAll({ type: 'payment' });
    expect((await errorOf(call(main, otherAdmin, 'getTransaction', { id: row.id }))).code).toBe(
      'FUNDS.TRANSACTION_NOT_FOUND',
    );
    expect((await errorOf(call(main, admin, 'getTransaction', { id: 'payment:nope' }))).code).toBe(
      'FUNDS.TRANSACTION_NOT_FOUND',
    );
    expect((await errorOf(call(main, admin, 'getTransaction', { id: `settlement:${row.orderId}#fee` }))).code).toBe(
      'FUNDS.TRANSACTION_NOT_FOUND',
    );
  });

  test('bad filters and cursors are typed input errors', async () => {
    const fieldsOf = async (data: unknown) => {
      const e = await errorOf(call(main, admin, 'listTransactions', data));
      expect(e.code).toBe('INPUT.INVALID');
      return Object.keys(e.fields ?? {});
    };
    expect(await fieldsOf({ type: 'everything' })).toEqual(['type']);
    expect(await fieldsOf({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from']);
    expect(await fieldsOf({ from: '2026-03-02', to: '2026-03-01' })).toEqual(['to']);
    expect(await fieldsOf({ from: '2026-03-02' })).toEqual(['to']);
    expect(await fieldsOf({ from: '2025-01-01', to: '2026-03-01' })).toEqual(['to']);
    expect(await fieldsOf({ after: 'not-a-cursor' })).toEqual(['after']);
    expect(await fieldsOf({ limit: 0 })).toEqual(['limit']);
    expect(await fieldsOf({ limit: 51 })).toEqual(['limit']);
    expect(await fieldsOf({ appid: OTHER })).toEqual(['appid']);
  });
});

describe('export', () => {
  function parse(file: ExportFile): string[][] {
    expect(file.content.startsWith('\uFEFF')).toBe(true);
    const lines = file.content.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    return lines.map((l) => l.split(','));
  }

  test("the month's transactions as CSV: BOM, CRLF, yuan with two decimals, oldest first, Chinese by default", async () => {
    await buildLedger();
    const file = await ok(
      call<ExportFile>(main, admin, 'exportTransactions', { from: '2026-01-01', to: '2026-01-31' }),
    );
    expect(file).toMatchObject({ filename: 'transactions_2026-01-01_2026-01-31.csv', mimeType: 'text/csv', rows: 14 });
    const [header, ...rows] = parse(file);
    expect(header).toEqual([
      '时间（北京时间）',
      '类型',
      '金额（元）',
      '待结算变动',
      '可用余额变动',
      '提现中变动',
      '订单号',
      '退款单号',
      '提现单号',
      '记账流水号',
    ]);
    expect(rows[0].slice(0, 6)).toEqual(['2026-01-05 10:00:00', '收款', '100.00', '100.00', '0.00', '0.00']);
    expect(rows[1].slice(0, 6)).toEqual(['2026-01-05 10:00:00', '手续费', '-0.60', '-0.60', '0.00', '0.00']);
    expect(rows[2].slice(1, 3)).toEqual(['退款', '-30.00']);
    expect(rows[3].slice(0, 4)).toEqual(['2026-01-05 12:00:00', '手续费', '0.18', '0.18']);
    expect(rows[6].slice(1, 6)).toEqual(['结算', '69.58', '-69.58', '69.58', '0.00']);
    expect(rows.map((r) => r[1]).slice(10)).toEqual(['提现', '提现退回', '提现', '提现到账']);
    expect(rows[13].slice(1, 6)).toEqual(['提现到账', '-20.00', '0.00', '0.00', '-20.00']);
    // The columns add up to the balances, to the fen.
    const fen = (text: string) => Math.round(Number(text.replace('.', '')));
    const col = (i: number) => rows.reduce((s, r) => s + fen(r[i]), 0);
    expect({ pendingFen: col(3), availableFen: col(4), withdrawingFen: col(5) }).toEqual(FINAL);
  });

  test('in the language the app asks for: the same rows with English headers and type words', async () => {
    await buildLedger();
    const range = { from: '2026-01-01', to: '2026-01-31' };
    const zh = await ok(call<ExportFile>(main, admin, 'exportTransactions', { ...range, lang: 'zh-CN' }));
    const en = await ok(call<ExportFile>(main, admin, 'exportTransactions', { ...range, lang: 'en-US' }));
    expect(zh.content).toBe((await ok(call<ExportFile>(main, admin, 'exportTransactions', range))).content);
    expect(en).toMatchObject({ filename: zh.filename, mimeType: 'text/csv', rows: 14 });
    const [header, ...rows] = parse(en);
    expect(header).toEqual([
      'Time (Beijing)',
      'Type',
      'Amount (CNY)',
      'Pending change',
      'Available change',
      'Withdrawing change',
      'Order',
      'Refund',
      'Withdrawal',
      'Entry',
    ]);
    expect(rows.map((r) => r[1])).toEqual([
      'Payment',
      'Fee',
      'Refund',
      'Fee',
      'Payment',
      'Fee',
      'Settlement',
      'Settlement',
      'Payment',
      'Fee',
      'Withdrawal',
      'Withdrawal returned',
      'Withdrawal',
      'Paid to bank',
    ]);
    expect(en.content).not.toMatch(/[\u4e00-\u9fff]/);
    // Only the words differ: every other cell is the same in both files.
    const zhRows = parse(zh).slice(1);
    expect(rows.map((r) => [r[0], ...r.slice(2)])).toEqual(zhRows.map((r) => [r[0], ...r.slice(2)]));
    expect((await errorOf(call(main, admin, 'exportTransactions', { ...range, lang: 'fr-FR' }))).fields).toHaveProperty(
      'lang',
    );
  });

  test('a date range that is too long or reversed is refused; an empty range gives just the header', async () => {
    expect(
      (await errorOf(call(main, admin, 'exportTransactions', { from: '2026-01-01', to: '2026-06-30' }))).fields,
    ).toHaveProperty('to');
    expect(
      (await errorOf(call(main, admin, 'exportTransactions', { from: '2026-01-31', to: '2026-01-01' }))).fields,
    ).toHaveProperty('to');
    expect((await errorOf(call(main, admin, 'exportTransactions', {}))).code).toBe('INPUT.INVALID');
    const empty = await ok(
      call<ExportFile>(main, admin, 'exportTransactions', { from: '2026-01-01', to: '2026-01-31' }),
    );
    expect(empty.rows).toBe(0);
    expect(parse(empty)).toHaveLength(1);
  });

  test(`more than ${MAX_EXPORT_ROWS} rows asks for a shorter range`, async () => {
    await deps.store.transaction(async (tx) => {
      // Each payment with a fee is two rows.
      for (let i = 0; i <= MAX_EXPORT_ROWS / 2; i++)
        await postInTransaction(
          tx,
          paymentEntry(DEMO_APPID, `bulk${i}`, 1000, 6),
          new Date(Date.parse('2026-01-05T02:00:00Z') + i * 1000),
        );
    });
    expect(
      (await errorOf(call(main, admin, 'exportTransactions', { from: '2026-01-05', to: '2026-01-05' }))).code,
    ).toBe('FUNDS.EXPORT_TOO_LARGE');
  });
});

describe('only the merchant admin', () => {
  const actions: Array<[string, unknown]> = [
    ['getBalances', {}],
    ['getOverview', {}],
    ['listTransactions', {}],
    ['getTransaction', { id: 'payment:x' }],
    ['exportTransactions', { from: '2026-01-01', to: '2026-01-31' }],
    ['getBankAccount', {}],
    ['listWithdrawals', {}],
    ['getWithdrawal', { id: 'wd1' }],
    ['cancelWithdrawal', { withdrawalId: 'wd1' }],
    ['listReconciliations', {}],
    ['getReconciliation', { date: '2026-01-05' }],
  ];

  test.each(actions)('%s refuses a buyer and a caller without identity', async (name, data) => {
    expect((await errorOf(call(main, buyer, name, data))).code).toBe('AUTH.FORBIDDEN');
    expect((await errorOf(call(main, null, name, data))).code).toBe('AUTH.NO_IDENTITY');
  });

  test('writes refuse a buyer before looking at anything', async () => {
    const key = 'k'.repeat(16);
    expect((await errorOf(call(main, buyer, 'requestWithdrawal', { amountFen: 100 }, key))).code).toBe(
      'AUTH.FORBIDDEN',
    );
    expect(
      (await errorOf(call(main, buyer, 'confirmWithdrawal', { withdrawalId: 'wd1', proof: { code: '123456' } }, key)))
        .code,
    ).toBe('AUTH.FORBIDDEN');
    expect((await errorOf(call(main, buyer, 'changeBankAccount', {}, key))).code).toBe('AUTH.FORBIDDEN');
    expect(await deps.store.count('withdrawals')).toBe(0);
    expect(await deps.store.count('bankChanges')).toBe(0);
  });
});
