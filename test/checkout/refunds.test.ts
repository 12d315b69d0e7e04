// Refunds by the merchant admin through the real adapter and sandbox: bounded
// by what was paid, idempotent by refund number, taken from the right balance
// (pending before settlement, available after, never overdrawn), completed by
// WeChat's notification, given back when closed.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { Accounts, settlementEntry, withdrawalEntry } from '../../cloudfunctions/core/domain/ledger';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import { type BalanceDoc, merchantBalances, post } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { AnomalyDoc } from '../../cloudfunctions/core/payments/anomalies';
import type { OrderDetail, Refund } from '../../typings/checkout';
import { admin, buyer, call, errorOf, ok, testDeps, type TestDeps } from '../support/deps';
import {
  bindMerchant,
  checkout,
  craftNotification,
  deliver,
  key,
  notify,
  order,
  orderDoc,
  paidOrder,
  refundResource,
  seededProduct,
} from './support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
  await bindMerchant(deps, 6000);
});
afterEach(async () => {
  await deps.close();
});

const appid = DEMO_APPID;

/** A paid order of 10000 fen (fee 60). */
async function paid10000(): Promise<string> {
  const p = await ok<{ id: string }>(
    call(checkout, admin, 'saveProduct', { name: 'Teapot', priceFen: 10000, active: true }, key('product')),
  );
  return (await paidOrder(deps, [{ productId: p.id, quantity: 1 }])).id;
}

const refund = (orderId: string, amountFen: number, k = key('refund'), reason?: string) =>
  call<Refund>(checkout, admin, 'refund', { orderId, amountFen, ...(reason ? { reason } : {}) }, k);

/** Lets the sandbox finish its refunds (PROCESSING -> SUCCESS after its delay) and deliver the notifications. */
async function refundsComplete(): Promise<void> {
  deps.clock.advance(5_000);
  await deliver(deps); // the refunds settle and queue their notifications
  await deliver(deps); // which go out
}

async function ledgerOk(): Promise<void> {
  const check = await verifyLedger(deps.store);
  expect(check.differences).toEqual([]);
  expect(check.ok).toBe(true);
}

test('a full refund returns everything: pending and the fee go back to zero', async () => {
  const orderId = await paid10000();
  expect(await merchantBalances(deps.store, appid)).toEqual({ pendingFen: 9940, availableFen: 0, withdrawingFen: 0 });
  const requested = await ok(refund(orderId, 10000, key(), 'out of stock'));
  expect(requested).toMatchObject({
    orderId,
    amountFen: 10000,
    state: 'PROCESSING',
    reason: 'out of stock',
    failure: null,
  });
  // Taken from the balance as WeChat Pay accepted it.
  expect(await merchantBalances(deps.store, appid)).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 0 });
  expect((await deps.store.get<BalanceDoc>('balances', Accounts.fees(appid)))?.balanceFen).toBe(0);
  await ledgerOk();

  await refundsComplete();
  const detail = await ok<OrderDetail>(call(checkout, admin, 'getOrder', { orderId }));
  expect(detail).toMatchObject({ state: 'PAID', refundedFen: 10000, merchant: { refundableFen: 0 } });
  expect(detail.refunds).toEqual([expect.objectContaining({ id: requested.id, state: 'SUCCESS', amountFen: 10000 })]);
  expect(detail.refunds[0].successTime).not.toBeNull();
  // The buyer sees the refund on their order too.
  expect((await ok<OrderDetail>(call(checkout, buyer, 'getOrder', { orderId }))).refunds[0].state).toBe('SUCCESS');
  await ledgerOk();
});

test('partial refunds are bounded by what was paid, and return the fee in proportion', async () => {
  const orderId = await paid10000();
  await ok(refund(orderId, 3000));
  deps.clock.advance(1000);
  await ok(refund(orderId, 3000));
  deps.clock.advance(1000);
  const over = await errorOf(refund(orderId, 4001));
  expect(over).toMatchObject({
    code: 'REFUND.EXCEEDS_PAID',
    fields: { amountFen: { reason: 'amountTooLarge', params: { maxFen: 4000 } } },
  });
  expect(await deps.store.count('refunds')).toBe(2);
  await ok(refund(orderId, 4000));
  expect((await errorOf(refund(orderId, 1))).code).toBe('REFUND.EXCEEDS_PAID');
  const doc = await orderDoc(deps, orderId);
  expect(doc).toMatchObject({ refundedFen: 10000, feeReturnedFen: 60 });
  const shares = (await deps.store.find<RefundDoc>('refunds', { orderBy: [['createdAt', 'asc']] })).items.map(
    (r) => r.feeReturnedFen,
  );
  expect(shares).toEqual([18, 18, 24]);
  expect(await merchantBalances(deps.store, appid)).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 0 });
  await refundsComplete();
  await ledgerOk();
});

test('concurrent refunds racing for the same order never exceed it', async () => {
  const orderId = await paid10000();
  const results = await Promise.all(Array.from({ length: 6 }, () => refund(orderId, 3000)));
  expect(results.filter((r) => r.ok)).toHaveLength(3);
  expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual([
    'REFUND.EXCEEDS_PAID',
    'REFUND.EXCEEDS_PAID',
    'REFUND.EXCEEDS_PAID',
  ]);
  expect((await orderDoc(deps, orderId)).refundedFen).toBe(9000);
  await ledgerOk();
});

test('the same key is the same refund, at our end and at WeChat Pay', async () => {
  const orderId = await paid10000();
  const k = key();
  const first = await ok(refund(orderId, 2500, k));
  const again = await ok(refund(orderId, 2500, k));
  expect(again.id).toBe(first.id);
  // With the replay record gone the refund number still comes from the key.
  for (const rec of (await deps.store.find('idempotency', {})).items) await deps.store.remove('idempotency', rec._id);
  expect((await ok(refund(orderId, 2500, k))).id).toBe(first.id);
  expect(await deps.store.count('refunds')).toBe(1);
  expect(deps.sandbox.ctx.state.list('refund', {})).toHaveLength(1);
  expect((await orderDoc(deps, orderId)).refundedFen).toBe(2500);
  await ledgerOk();
});

test('who and what can be refunded', async () => {
  const tea = await seededProduct(deps, /Longjing/);
  const unpaid = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  expect((await errorOf(refund(unpaid.id, 100))).code).toBe('REFUND.ORDER_NOT_PAID');
  const orderId = await paid10000();
  expect((await errorOf(call(checkout, buyer, 'refund', { orderId, amountFen: 100 }, key()))).code).toBe(
    'AUTH.FORBIDDEN',
  );
  expect((await errorOf(refund(orderId, 0))).code).toBe('INPUT.INVALID');
  expect((await errorOf(refund(orderId, 10.5))).code).toBe('INPUT.INVALID');
  expect((await errorOf(refund('O0000000000000000000000000000000', 100))).code).toBe('CHECKOUT.ORDER_NOT_FOUND');
  expect((await errorOf(call(checkout, admin, 'refund', { orderId, amountFen: 100 }))).code).toBe(
    'INPUT.IDEMPOTENCY_KEY_REQUIRED',
  );
  expect(await deps.store.count('refunds')).toBe(0);
  expect((await orderDoc(deps, orderId)).refundedFen).toBe(0);
});

test('after settlement a refund comes from available; when the balance cannot cover it, nothing happens', async () => {
  const orderId = await paid10000();
  // What funds' settlement job does: pending -> available, order SETTLED.
  await post(deps.store, settlementEntry(appid, orderId, 9940), deps.clock.now());
  await deps.store.update('orders', orderId, { set: { settlementState: 'SETTLED' } });
  await ok(refund(orderId, 5000));
  expect(await merchantBalances(deps.store, appid)).toEqual({
    pendingFen: 0,
    availableFen: 9940 - (5000 - 30),
    withdrawingFen: 0,
  });

  // The merchant withdrew the rest: the next refund cannot be covered.
  await post(deps.store, withdrawalEntry(appid, 'w1', 4970), deps.clock.now());
  const refused = await errorOf(refund(orderId, 5000));
  expect(refused.code).toBe('FUNDS.INSUFFICIENT_BALANCE');
  expect(await deps.store.count('refunds')).toBe(1);
  expect(deps.sandbox.ctx.state.list('refund', {})).toHaveLength(1);
  expect((await orderDoc(deps, orderId)).refundedFen).toBe(5000);
  await ledgerOk();
});

test('a refund WeChat closes gives the money back; an abnormal one is flagged and stays out', async () => {
  const orderId = await paid10000();
  const closed = await ok(refund(orderId, 4000));
  const stuck = await ok(refund(orderId, 1000));
  expect((await merchantBalances(deps.store, appid)).pendingFen).toBe(9940 - 3976 - 994);
  deps.sandbox.forceRefund(closed.id, 'CLOSED');
  deps.sandbox.forceRefund(stuck.id, 'ABNORMAL');
  await deliver(deps);
  const refunds = (await ok<OrderDetail>(call(checkout, admin, 'getOrder', { orderId }))).refunds;
  expect(refunds.find((r) => r.id === closed.id)).toMatchObject({ state: 'CLOSED', failure: { code: 'CLOSED' } });
  expect(refunds.find((r) => r.id === stuck.id)).toMatchObject({ state: 'ABNORMAL' });
  expect((await merchantBalances(deps.store, appid)).pendingFen).toBe(9940 - 994);
  expect(await orderDoc(deps, orderId)).toMatchObject({ refundedFen: 1000, feeReturnedFen: 6 });
  expect((await deps.store.find<AnomalyDoc>('paymentAnomalies', {})).items.map((a) => a.kind)).toEqual([
    'REFUND_ABNORMAL',
  ]);
  // The closed amount can be refunded again.
  await ok(refund(orderId, 9000));
  await ledgerOk();
});

test('a refund closed after the order was settled gives the money back to available', async () => {
  const orderId = await paid10000();
  const r = await ok(refund(orderId, 2000)); // from pending: 2000 - 12
  await post(deps.store, settlementEntry(appid, orderId, 9940 - 1988), deps.clock.now());
  await deps.store.update('orders', orderId, { set: { settlementState: 'SETTLED' } });
  deps.sandbox.forceRefund(r.id, 'CLOSED');
  await deliver(deps);
  expect(await merchantBalances(deps.store, appid)).toEqual({ pendingFen: 0, availableFen: 9940, withdrawingFen: 0 });
  await ledgerOk();
});

test("every write to an order moves its revision (settlement's guard against racing them)", async () => {
  const orderId = await paid10000();
  expect((await orderDoc(deps, orderId)).rev).toBe(2); // created 0, prepay 1, paid 2
  const r = await ok(refund(orderId, 2000));
  expect((await orderDoc(deps, orderId)).rev).toBe(3);
  deps.sandbox.forceRefund(r.id, 'CLOSED');
  await deliver(deps);
  expect(await orderDoc(deps, orderId)).toMatchObject({ refundedFen: 0, rev: 4 });

  const unpaid = await order(deps, [{ productId: (await orderDoc(deps, orderId)).items[0].productId, quantity: 1 }]);
  expect((await orderDoc(deps, unpaid.id)).rev).toBe(0);
  await ok(call(checkout, buyer, 'cancelOrder', { orderId: unpaid.id }));
  expect(await orderDoc(deps, unpaid.id)).toMatchObject({ state: 'CLOSED', rev: 1 });
});

test('duplicate and reordered refund notifications apply once', async () => {
  const orderId = await paid10000();
  const r = await ok(refund(orderId, 3000));
  const doc = await orderDoc(deps, orderId);
  const fields = { subMchid: doc.subMchid, orderId, refundNo: r.id, refundFen: 3000, totalFen: 10000 };
  const success = craftNotification(
    deps,
    'REFUND.SUCCESS',
    'refund',
    refundResource(deps, { ...fields, status: 'SUCCESS' }),
  );
  const closedLate = craftNotification(
    deps,
    'REFUND.CLOSED',
    'refund',
    refundResource(deps, { ...fields, status: 'CLOSED' }),
  );
  expect(
    (await Promise.all([notify(success.headers, success.body), notify(success.headers, success.body)])).map(
      (x) => x.statusCode,
    ),
  ).toEqual([204, 204]);
  // A CLOSED arriving after SUCCESS must not hand the money back to the merchant.
  expect((await notify(closedLate.headers, closedLate.body)).statusCode).toBe(204);
  expect((await deps.store.get<RefundDoc>('refunds', r.id))?.state).toBe('SUCCESS');
  expect((await merchantBalances(deps.store, appid)).pendingFen).toBe(9940 - 2982);
  // The sandbox's own SUCCESS, later, changes nothing either.
  await refundsComplete();
  expect(await deps.store.count('journal')).toBe(2);
  await ledgerOk();
});

test('a refund notification that does not match our refund is recorded, not applied', async () => {
  const orderId = await paid10000();
  const r = await ok(refund(orderId, 3000));
  const doc = await orderDoc(deps, orderId);
  const wrong = craftNotification(
    deps,
    'REFUND.SUCCESS',
    'refund',
    refundResource(deps, {
      subMchid: doc.subMchid,
      orderId,
      refundNo: r.id,
      refundFen: 3001,
      totalFen: 10000,
      status: 'SUCCESS',
    }),
  );
  expect((await notify(wrong.headers, wrong.body)).statusCode).toBe(204);
  expect((await deps.store.get<RefundDoc>('refunds', r.id))?.state).toBe('PROCESSING');
  const unknown = craftNotification(
    deps,
    'REFUND.SUCCESS',
    'refund',
    refundResource(deps, {
      subMchid: doc.subMchid,
      orderId,
      refundNo: 'R_never_issued',
      refundFen: 1,
      totalFen: 10000,
      status: 'SUCCESS',
    }),
  );
  expect((await notify(unknown.headers, unknown.body)).statusCode).toBe(204);
  expect(
    (await deps.store.find<AnomalyDoc>('paymentAnomalies', { orderBy: [['kind', 'asc']] })).items.map((a) => a.kind),
  ).toEqual(['REFUND_MISMATCH', 'UNKNOWN_REFUND']);
});

test('WeChat Pay refusing a refund closes it, gives the money back and says why', async () => {
  const orderId = await paid10000();
  const doc = await orderDoc(deps, orderId);
  // Someone refunded 9000 at WeChat Pay directly (the Merchant Platform): WeChat now has only 1000 left.
  await deps.pay.refund({
    subMchid: doc.subMchid,
    outTradeNo: orderId,
    outRefundNo: 'R_platform_refund',
    refundFen: 9000,
    totalFen: 10000,
    notifyUrl: deps.config.notifyUrl,
  });
  const refused = await errorOf(refund(orderId, 5000));
  expect(refused.code).toBe('REFUND.REJECTED');
  expect(refused.message).toMatch(/INVALID_REQUEST/);
  const [closed] = (await deps.store.find<RefundDoc>('refunds', {})).items;
  expect(closed).toMatchObject({ state: 'CLOSED', failure: { code: 'INVALID_REQUEST' } });
  expect(await orderDoc(deps, orderId)).toMatchObject({ refundedFen: 0, feeReturnedFen: 0 });
  expect((await merchantBalances(deps.store, appid)).pendingFen).toBe(9940);
  await ledgerOk();
});
