// Reconciliation on fixed clocks: the sandbox's real trade bill (WeChat's
// CSV) for a Beijing day against our orders and ledger, every difference
// recorded and shown.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { compareDay, parseTradeBill, yuanToFen } from '../../cloudfunctions/core/domain/funds/reconciliation';
import { main } from '../../cloudfunctions/funds';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import { reconcile } from '../../cloudfunctions/core/funds/reconciliation';
import { jobs } from '../../cloudfunctions/jobs/registry';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import type { Product } from '../../typings/checkout';
import type { FundsOverview, ReconciliationDetail, ReconciliationPage } from '../../typings/funds';
import {
  buyerPays,
  checkout,
  key as checkoutKey,
  order,
  paidOrder as paidCheckoutOrder,
  pay,
  seededProduct,
} from '../checkout/support';
import { admin, call, errorOf, ok, type TestDeps, testDeps } from '../support/deps';
import { bindSandboxMerchant, realPaidOrders } from './real';
import { paidOrder } from './support';

let deps: TestDeps;

beforeEach(async () => {
  deps = await testDeps(); // 2026-01-05 10:00 Beijing
});
afterEach(() => deps.close());

const NEXT_MORNING = '2026-01-06T02:00:01.000Z'; // 01-06 10:00:01 Beijing: the 5th's bill is ready
const detail = () => ok(call<ReconciliationDetail>(main, admin, 'getReconciliation', { date: '2026-01-05' }));

describe('the bill format', () => {
  test('yuan text to fen without floats; fees carry five decimals that must be whole fen', () => {
    expect(yuanToFen('`99.00')).toBe(9900);
    expect(yuanToFen('`0.59000')).toBe(59);
    expect(yuanToFen('`-0.18000')).toBe(-18);
    expect(yuanToFen('`0.1')).toBe(10);
    expect(yuanToFen('12')).toBe(1200);
    expect(() => yuanToFen('`0.00100')).toThrow(/whole number of fen/);
    expect(() => yuanToFen('`1,000.00')).toThrow(/not an amount/);
  });

  test('a bill whose summary does not add up to its rows is itself a mismatch', async () => {
    await bindSandboxMerchant(deps);
    await realPaidOrders(deps, 1);
    deps.clock.set(NEXT_MORNING);
    const { subMchid } = (await deps.store.get<MerchantDoc>('merchants', DEMO_APPID))!;
    const csv = (await deps.pay.tradeBill(subMchid, '2026-01-05'))!;
    const bill = parseTradeBill(csv);
    expect(bill.trades).toHaveLength(1);
    expect(bill.trades[0]).toMatchObject({ tradeState: 'SUCCESS', totalFen: 9900, settledFen: 9900, feeFen: 59 });
    expect(bill.summary).toEqual({ trades: 1, settledFen: 9900, refundFen: 0, feeFen: 59 });
    // The summary (last line) claims a higher fee total than its rows.
    const lines = csv.trimEnd().split('\r\n');
    lines[lines.length - 1] = lines[lines.length - 1].replace('`0.59000', '`0.60000');
    const tampered = parseTradeBill(lines.join('\r\n'));
    expect(tampered.summary?.feeFen).toBe(60);
    expect(compareDay(tampered, [], []).mismatches.map((m) => m.kind)).toEqual([
      'MISSING_IN_LEDGER',
      'BILL_TOTALS_MISMATCH',
    ]);
    expect(compareDay(bill, [], []).mismatches.map((m) => m.kind)).toEqual(['MISSING_IN_LEDGER']);
  });
});

describe('the reconcile job', () => {
  test('a day whose payments and refunds agree is MATCHED, and shown', async () => {
    await bindSandboxMerchant(deps);
    const [first] = await realPaidOrders(deps, 2);
    await ok(call(checkout, admin, 'refund', { orderId: first.id, amountFen: 2000 }, checkoutKey('refund')));
    deps.clock.set(NEXT_MORNING);
    expect(jobs.reconcile.everyMs).toBeGreaterThan(0);
    expect(await reconcile(deps)).toEqual({ matched: 1, mismatched: 0, waiting: 0 });
    expect(await detail()).toMatchObject({
      billDate: '2026-01-05',
      state: 'MATCHED',
      billPayments: 2,
      ledgerPayments: 2,
      billRefunds: 1,
      ledgerRefunds: 1,
      billPaidFen: 19800,
      ledgerPaidFen: 19800,
      mismatchCount: 0,
      mismatches: [],
    });
    // Decided days are not redone.
    expect(await reconcile(deps)).toEqual({ matched: 0, mismatched: 0, waiting: 0 });
    const overview = await ok(call<FundsOverview>(main, admin, 'getOverview'));
    expect(overview.latestReconciliation).toMatchObject({ billDate: '2026-01-05', state: 'MATCHED' });
  });

  test('before the bill is ready the day waits, and the next run reconciles it', async () => {
    await bindSandboxMerchant(deps);
    await realPaidOrders(deps, 1);
    deps.clock.set('2026-01-06T01:59:00.000Z'); // 09:59 Beijing
    expect(await reconcile(deps)).toEqual({ matched: 0, mismatched: 0, waiting: 1 });
    expect(await detail()).toMatchObject({ state: 'WAITING', note: expect.stringMatching(/10/) });
    deps.clock.set(NEXT_MORNING);
    expect(await reconcile(deps)).toEqual({ matched: 1, mismatched: 0, waiting: 0 });
    expect((await detail()).state).toBe('MATCHED');
  });

  test('a day without trades has no bill at WeChat Pay and matches an empty ledger', async () => {
    await bindSandboxMerchant(deps);
    deps.clock.set(NEXT_MORNING);
    expect(await reconcile(deps)).toEqual({ matched: 1, mismatched: 0, waiting: 0 });
    expect(await detail()).toMatchObject({ state: 'MATCHED', billPayments: 0, ledgerPayments: 0 });
  });

  test('records every mismatch: missing on either side, and a fee that differs', async () => {
    // WeChat Pay charges this sub-merchant 0.38% while our record says 0.6%.
    await bindSandboxMerchant(deps, {}, { rate_ppm: 3800 });
    await realPaidOrders(deps, 1);
    // Paid at WeChat Pay, but our notify endpoint is down and nobody asked: our order is still PAYING.
    deps.inbox.respond = () => 503;
    const oolong = await seededProduct(deps, /Oolong/);
    const lost = await order(deps, [{ productId: oolong.id, quantity: 2 }]);
    buyerPays(deps, await pay(lost.id));
    // In our ledger only.
    const ghost = await paidOrder(deps, 1234, '2026-01-05T03:00:00.000Z', { subMchid: 'x' });
    deps.clock.set(NEXT_MORNING);
    expect(await reconcile(deps)).toEqual({ matched: 0, mismatched: 1, waiting: 0 });

    const day = await detail();
    expect(day).toMatchObject({ state: 'MISMATCHED', billPayments: 2, ledgerPayments: 2, mismatchCount: 3 });
    expect(day.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'FEE_MISMATCH', billFen: 38, ledgerFen: 59 }),
        expect.objectContaining({ kind: 'MISSING_IN_LEDGER', orderId: lost.id, billFen: 19800 }),
        expect.objectContaining({ kind: 'MISSING_IN_BILL', orderId: ghost._id, ledgerFen: 1234 }),
      ]),
    );
    const list = await ok(call<ReconciliationPage>(main, admin, 'listReconciliations', {}));
    expect(list.items.map((r) => [r.billDate, r.state, r.mismatchCount])).toEqual([['2026-01-05', 'MISMATCHED', 3]]);
  });

  test('a partial refund returns the same fee share in the ledger and in the bill; a bill that says otherwise is REFUND_FEE_MISMATCH', async () => {
    await bindSandboxMerchant(deps); // 0.6%
    const product = await ok(
      call<Product>(
        checkout,
        admin,
        'saveProduct',
        { name: 'Hundred-fen sample', priceFen: 100, active: true },
        checkoutKey('product'),
      ),
    );
    const paid = await paidCheckoutOrder(deps, [{ productId: product.id, quantity: 1 }]); // fee 1 fen
    await ok(call(checkout, admin, 'refund', { orderId: paid.id, amountFen: 50 }, checkoutKey('refund')));
    // Ledger: 50/100 of a 1-fen fee rounds half up to 1 fen back.
    const [refund] = (await deps.store.find<RefundDoc>('refunds', {})).items;
    expect(refund).toMatchObject({ amountFen: 50, feeReturnedFen: 1 });
    deps.clock.set(NEXT_MORNING);
    const { subMchid } = (await deps.store.get<MerchantDoc>('merchants', DEMO_APPID))!;
    const csv = (await deps.pay.tradeBill(subMchid, '2026-01-05'))!;
    // The sandbox's bill: the same 1 fen back, printed negative.
    expect(parseTradeBill(csv).trades.map((t) => [t.tradeState, t.feeFen])).toEqual([
      ['SUCCESS', 1],
      ['REFUND', -1],
    ]);
    expect(await reconcile(deps)).toEqual({ matched: 1, mismatched: 0, waiting: 0 });

    // The same day against a bill whose refund row returns no fee.
    await deps.store.update('reconciliations', `${DEMO_APPID}:2026-01-05`, { set: { state: 'WAITING' } }); // the job redoes a WAITING day
    const rows = csv.split('\r\n');
    const at = rows.findIndex((l) => l.includes('`REFUND,'));
    rows[at] = rows[at].replace('`-0.01000', '`0.00000');
    const summary = rows.length - 2; // the summary line, before the final empty one
    rows[summary] = rows[summary].replace('`0.00000', '`0.01000'); // keep the bill's own totals consistent
    jest.spyOn(deps.pay, 'tradeBill').mockResolvedValueOnce(rows.join('\r\n'));
    expect(await reconcile(deps)).toEqual({ matched: 0, mismatched: 1, waiting: 0 });
    expect((await detail()).mismatches).toEqual([
      expect.objectContaining({
        kind: 'REFUND_FEE_MISMATCH',
        orderId: paid.id,
        refundId: refund._id,
        billFen: 0,
        ledgerFen: 1,
      }),
    ]);
  });

  test('bad dates are typed errors and an unknown day is not found', async () => {
    expect((await errorOf(call(main, admin, 'getReconciliation', { date: '2026-13-01' }))).code).toBe('INPUT.INVALID');
    expect((await errorOf(call(main, admin, 'getReconciliation', { date: '2026-01-01' }))).code).toBe(
      'FUNDS.RECONCILIATION_NOT_FOUND',
    );
    expect((await errorOf(call(main, admin, 'listReconciliations', { after: 'nope' }))).fields).toHaveProperty('after');
  });
});
