// Isolation between mini programs in checkout: the merchant admin of mini
// program B (registered beside the demo A, with its own bound merchant
// account) cannot read, list, pay, cancel or refund A's orders. Each attempt
// answers "not found", exactly as for an order that does not exist, and
// changes nothing: not A's orders, refunds, ledger or balances, nor anything
// at WeChat Pay.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { Order, OrderDetail, OrderPage, Refund } from '../../typings/checkout';
import { admin, buyer, call, errorOf, ok, type TestDeps, testDeps } from '../support/deps';
import { bindMerchant, checkout, key, order, paidOrder, pay, seededProduct } from './support';

const B = 'wx0b0b0b0b0b0b0b0b';
const adminB: Identity = { openid: 'o_admin_of_b_000000000000001', appid: B };
/** A's buyer's openid in B (WeChat's openids differ per mini program, but nothing here may rely on that). */
const buyerB: Identity = { openid: buyer.openid, appid: B };

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
  deps.config.miniPrograms[B] = {
    appid: B,
    name: 'Mini program B',
    entity: { name: 'B Trading Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true },
    thirdPartyPlatform: false,
    admins: [adminB.openid],
  };
  await bindMerchant(deps);
  // B has a merchant account of its own, so nothing below is refused for lack of one.
  const sub = deps.sandbox.createSubMerchant({ appids: [B], rate_ppm: 6000, merchant_name: 'B Trading Co., Ltd.' });
  await deps.store.insert<MerchantDoc>('merchants', {
    _id: B,
    appid: B,
    subMchid: sub.sub_mchid,
    name: sub.merchant_name,
    feeRatePpm: 6000,
    boundAt: deps.clock.now().toISOString(),
    subjectType: 'SUBJECT_TYPE_ENTERPRISE',
  });
});
afterEach(() => deps.close());

/** Everything A's orders touch, to compare before and after. */
async function snapshot(): Promise<unknown> {
  const all = async (collection: string) =>
    (await deps.store.find(collection, { orderBy: [['_id', 'asc']], limit: 100 })).items;
  return {
    orders: await all('orders'),
    refunds: await all('refunds'),
    journal: await all('journal'),
    balances: await all('balances'),
    anomalies: await all('paymentAnomalies'),
    sandboxOrders: deps.sandbox.ctx.state.list('order', {}),
    sandboxRefunds: deps.sandbox.ctx.state.list('refund', {}),
  };
}

async function ordersOfA(): Promise<{ paid: Order; unpaid: Order }> {
  const tea = await seededProduct(deps, /Longjing/);
  const paid = await paidOrder(deps, [{ productId: tea.id, quantity: 2 }]);
  const unpaid = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  await pay(unpaid.id); // a prepay at WeChat Pay, so a cancel would have something to close
  return { paid, unpaid };
}

test("B's admin reading A's order gets not-found, and B's lists hold none of A's orders", async () => {
  const { paid, unpaid } = await ordersOfA();
  const before = await snapshot();
  for (const { id } of [paid, unpaid]) {
    const err = await errorOf(call(checkout, adminB, 'getOrder', { orderId: id }));
    expect([id, err.code, err.message]).toEqual([id, 'CHECKOUT.ORDER_NOT_FOUND', 'That order was not found']);
  }
  expect(await ok<OrderPage>(call(checkout, adminB, 'listMerchantOrders', { limit: 50 }))).toEqual({ items: [] });
  for (const refundStatus of ['NONE', 'PARTIAL', 'FULL'])
    expect((await ok<OrderPage>(call(checkout, adminB, 'listMerchantOrders', { refundStatus }))).items).toEqual([]);
  expect((await ok<OrderPage>(call(checkout, adminB, 'listMerchantOrders', { state: 'PAID' }))).items).toEqual([]);
  expect((await ok<OrderPage>(call(checkout, adminB, 'listOrders', {}))).items).toEqual([]);
  // The same openid as A's buyer, in B: still nothing of A's.
  expect((await ok<OrderPage>(call(checkout, buyerB, 'listOrders', {}))).items).toEqual([]);
  expect((await errorOf(call(checkout, buyerB, 'getOrder', { orderId: paid.id }))).code).toBe(
    'CHECKOUT.ORDER_NOT_FOUND',
  );
  // A's own admin still reads it: the refusal is about the mini program, not the order.
  expect((await ok<OrderDetail>(call(checkout, admin, 'getOrder', { orderId: paid.id }))).id).toBe(paid.id);
  expect(await snapshot()).toEqual(before);
});

test("B's admin cancelling or paying A's unpaid order gets not-found, and the order stays payable", async () => {
  const { unpaid } = await ordersOfA();
  const before = await snapshot();
  for (const action of ['cancelOrder', 'pay', 'confirmPayment']) {
    for (const who of [adminB, buyerB]) {
      const err = await errorOf(call(checkout, who, action, { orderId: unpaid.id }));
      expect([action, who.openid, err.code]).toEqual([action, who.openid, 'CHECKOUT.ORDER_NOT_FOUND']);
    }
  }
  expect(await snapshot()).toEqual(before);
  // A's buyer can still pay it.
  expect((await pay(unpaid.id)).orderId).toBe(unpaid.id);
});

test("B's admin refunding A's paid order gets not-found; nothing is refunded, taken or sent", async () => {
  const { paid } = await ordersOfA();
  const before = await snapshot();
  const k = key('refund');
  for (const amountFen of [1, 13600]) {
    const err = await errorOf(call<Refund>(checkout, adminB, 'refund', { orderId: paid.id, amountFen }, key('refund')));
    expect([amountFen, err.code]).toEqual([amountFen, 'CHECKOUT.ORDER_NOT_FOUND']);
  }
  // Even with the very key A's admin then uses for a real refund of it.
  expect((await errorOf(call(checkout, adminB, 'refund', { orderId: paid.id, amountFen: 100 }, k))).code).toBe(
    'CHECKOUT.ORDER_NOT_FOUND',
  );
  expect(await snapshot()).toEqual(before);

  const mine = await ok<Refund>(call<Refund>(checkout, admin, 'refund', { orderId: paid.id, amountFen: 100 }, k));
  expect(mine).toMatchObject({ orderId: paid.id, amountFen: 100 });
  const after = await snapshot();
  // B asking again with that key, now that A's refund exists, still gets nothing of it.
  const again = await errorOf(call(checkout, adminB, 'refund', { orderId: paid.id, amountFen: 100 }, k));
  expect(again.code).toBe('CHECKOUT.ORDER_NOT_FOUND');
  expect(await snapshot()).toEqual(after);
  expect(await deps.store.count('refunds', { appid: B })).toBe(0);
  expect(await deps.store.count('orders', { appid: DEMO_APPID })).toBe(2);
});
