// The checkout function on SQLite and the real WeChat Pay adapter against the
// in-process sandbox: catalogue, orders, prepay and payment confirmation.
import { verifyClientPaySign } from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type {
  CheckoutStatus,
  Order,
  OrderDetail,
  OrderPage,
  PaymentConfirmation,
  Product,
  Quote,
  Refund,
} from '../../typings/checkout';
import { admin, buyer, call, errorOf, ok, testDeps, type TestDeps } from '../support/deps';
import {
  bindMerchant,
  buyerPays,
  checkout,
  deliver,
  key,
  order,
  orderDoc,
  paidOrder,
  pay,
  seededProduct,
} from './support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(async () => {
  delete process.env.PMS_SERVICE_STATUS;
  await deps.close();
});

const other = { openid: 'o_other_buyer_000000000000001', appid: DEMO_APPID };

describe('catalogue', () => {
  test('a local stack is seeded once; buyers see only products on sale', async () => {
    const first = await ok<{ items: Product[] }>(call(checkout, buyer, 'listProducts', {}));
    expect(first.items.map((p) => p.name)).toEqual([
      'West Lake Longjing, 50 g',
      'Tieguanyin Oolong, 100 g',
      'Keemun Black Tea, 100 g',
      'Tasting sample',
    ]);
    await ok(call(checkout, buyer, 'listProducts', {}));
    expect(await deps.store.count('products', { appid: DEMO_APPID })).toBe(4);

    const tea = first.items[0];
    await ok(
      call(checkout, admin, 'saveProduct', { id: tea.id, name: tea.name, priceFen: 7200, active: false }, key()),
    );
    const forBuyers = await ok<{ items: Product[] }>(call(checkout, buyer, 'listProducts', { includeInactive: true }));
    expect(forBuyers.items.map((p) => p.id)).not.toContain(tea.id);
    const forAdmin = await ok<{ items: Product[] }>(call(checkout, admin, 'listProducts', { includeInactive: true }));
    expect(forAdmin.items.find((p) => p.id === tea.id)).toEqual({ ...tea, priceFen: 7200, active: false });
  });

  test('the admin adds a product once per key; buyers cannot; bad prices are refused', async () => {
    const k = key();
    const added = await ok<Product>(
      call(checkout, admin, 'saveProduct', { name: 'Gaiwan', priceFen: 12800, active: true }, k),
    );
    const again = await ok<Product>(
      call(checkout, admin, 'saveProduct', { name: 'Gaiwan', priceFen: 12800, active: true }, k),
    );
    expect(again).toEqual(added);
    expect(await deps.store.count('products', { name: 'Gaiwan' })).toBe(1);
    expect(
      (await errorOf(call(checkout, buyer, 'saveProduct', { name: 'Free tea', priceFen: 1, active: true }, key())))
        .code,
    ).toBe('AUTH.FORBIDDEN');
    expect(
      (await errorOf(call(checkout, admin, 'saveProduct', { name: 'Half fen', priceFen: 0.5, active: true }, key())))
        .code,
    ).toBe('INPUT.INVALID');
    expect(
      (
        await errorOf(
          call(checkout, admin, 'saveProduct', { id: 'P_nope', name: 'X', priceFen: 1, active: true }, key()),
        )
      ).code,
    ).toBe('CATALOGUE.PRODUCT_NOT_FOUND');
  });
});

describe('orders', () => {
  test('amounts come from the catalogue; a client-sent amount is refused outright', async () => {
    await bindMerchant(deps);
    const oolong = await seededProduct(deps, /Oolong/);
    const sample = await seededProduct(deps, /sample/);
    const quote = await ok<Quote>(
      call(checkout, buyer, 'quoteOrder', {
        items: [
          { productId: oolong.id, quantity: 2 },
          { productId: sample.id, quantity: 3 },
        ],
      }),
    );
    expect(quote).toEqual({
      items: [
        { productId: oolong.id, name: oolong.name, unitPriceFen: 9900, quantity: 2, amountFen: 19800 },
        { productId: sample.id, name: sample.name, unitPriceFen: 1, quantity: 3, amountFen: 3 },
      ],
      totalFen: 19803,
    });
    const created = await order(deps, [
      { productId: oolong.id, quantity: 2 },
      { productId: sample.id, quantity: 3 },
    ]);
    expect(created).toMatchObject({
      state: 'CREATED',
      totalFen: 19803,
      refundedFen: 0,
      description: `${oolong.name} 等5件商品`,
    });
    expect(created.merchant).toBeUndefined();

    const cheat = await errorOf(
      call(checkout, buyer, 'createOrder', { items: [{ productId: oolong.id, quantity: 1 }], totalFen: 1 }, key()),
    );
    expect(cheat.code).toBe('INPUT.INVALID');
    const cheatLine = await errorOf(
      call(checkout, buyer, 'createOrder', { items: [{ productId: oolong.id, quantity: 1, unitPriceFen: 1 }] }, key()),
    );
    expect(cheatLine.code).toBe('INPUT.INVALID');
    expect(await deps.store.count('orders')).toBe(1);
  });

  test('a retry with the same key returns the same order; another key is another order', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const k = key();
    const first = await order(deps, [{ productId: tea.id, quantity: 1 }], buyer, k);
    const retry = await order(deps, [{ productId: tea.id, quantity: 1 }], buyer, k);
    expect(retry).toEqual(first);
    // Even with the runtime's replay record gone (a crash between insert and reply), the key finds the order.
    await deps.store.remove('idempotency', (await deps.store.find('idempotency', {})).items[0]._id);
    expect(await order(deps, [{ productId: tea.id, quantity: 1 }], buyer, k)).toEqual(first);
    const second = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    expect(second.id).not.toBe(first.id);
    expect(await deps.store.count('orders')).toBe(2);
  });

  test('bad carts are refused with typed errors and nothing is written', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    await ok(
      call(
        checkout,
        admin,
        'saveProduct',
        { id: tea.id, name: tea.name, priceFen: tea.priceFen, active: false },
        key(),
      ),
    );
    const replayRecords = await deps.store.count('idempotency');
    const off = await errorOf(
      call(checkout, buyer, 'createOrder', { items: [{ productId: tea.id, quantity: 1 }] }, key()),
    );
    expect(off).toMatchObject({
      code: 'CHECKOUT.PRODUCT_UNAVAILABLE',
      fields: { 'items.0.productId': { reason: 'notForSale' } },
    });
    const unknown = await errorOf(
      call(checkout, buyer, 'createOrder', { items: [{ productId: 'P_unknown', quantity: 1 }] }, key()),
    );
    expect(unknown.code).toBe('CHECKOUT.PRODUCT_UNAVAILABLE');
    for (const items of [
      [],
      [{ productId: tea.id, quantity: 0 }],
      [{ productId: tea.id, quantity: 1.5 }],
      [{ productId: tea.id, quantity: 100 }],
      [
        { productId: tea.id, quantity: 1 },
        { productId: tea.id, quantity: 1 },
      ],
    ]) {
      expect((await errorOf(call(checkout, buyer, 'createOrder', { items }, key()))).code).toBe('INPUT.INVALID');
    }
    expect(
      (await errorOf(call(checkout, buyer, 'createOrder', { items: [{ productId: tea.id, quantity: 1 }] }))).code,
    ).toBe('INPUT.IDEMPOTENCY_KEY_REQUIRED');
    expect(await deps.store.count('orders')).toBe(0);
    expect(await deps.store.count('idempotency')).toBe(replayRecords);
  });

  test('no bound merchant account, or payments paused: refused with a clear code', async () => {
    const tea = await seededProduct(deps, /Longjing/);
    expect(
      (await errorOf(call(checkout, buyer, 'createOrder', { items: [{ productId: tea.id, quantity: 1 }] }, key())))
        .code,
    ).toBe('MERCHANT.NOT_BOUND');
    await bindMerchant(deps);
    process.env.PMS_SERVICE_STATUS = 'unavailable';
    expect(
      (await errorOf(call(checkout, buyer, 'createOrder', { items: [{ productId: tea.id, quantity: 1 }] }, key())))
        .code,
    ).toBe('CHECKOUT.SERVICE_UNAVAILABLE');
    expect(await deps.store.count('orders')).toBe(0);
    // Discontinued payment management still sells: the app pays with regular WeChat Pay.
    process.env.PMS_SERVICE_STATUS = 'discontinued';
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    await pay(created.id);
  });

  test('the service status the app reads', async () => {
    expect(await ok<CheckoutStatus>(call(checkout, buyer, 'getCheckoutStatus', {}))).toEqual({
      service: 'active',
      orderPayment: false,
      role: 'buyer',
      merchantBound: false,
      merchantName: null,
    });
    await bindMerchant(deps);
    process.env.PMS_SERVICE_STATUS = 'discontinued';
    expect(await ok<CheckoutStatus>(call(checkout, admin, 'getCheckoutStatus', {}))).toEqual({
      service: 'discontinued',
      orderPayment: false,
      role: 'admin',
      merchantBound: true,
      merchantName: 'Shenzhen Demo Tea Co., Ltd.',
    });
    process.env.PMS_SERVICE_STATUS = 'typo';
    expect((await ok<CheckoutStatus>(call(checkout, buyer, 'getCheckoutStatus', {}))).service).toBe('unavailable');
  });

  test('order payment (wx.requestOrderPayment) only where the registration declares it, and only while active', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const status = async () => (await ok<CheckoutStatus>(call(checkout, buyer, 'getCheckoutStatus', {}))).orderPayment;
    const payment = async () => (await pay((await order(deps, [{ productId: tea.id, quantity: 1 }])).id)).orderPayment;
    // The demo record, like any record without the setting: regular WeChat Pay.
    expect(deps.config.miniPrograms[DEMO_APPID].orderPayment).toBeUndefined();
    expect(await status()).toBe(false);
    expect(await payment()).toBe(false);
    deps.config.miniPrograms[DEMO_APPID].orderPayment = true;
    expect(await status()).toBe(true);
    expect(await payment()).toBe(true);
    // WeChat switched the service off: regular WeChat Pay whatever the registration says.
    process.env.PMS_SERVICE_STATUS = 'discontinued';
    expect(await status()).toBe(false);
    expect(await payment()).toBe(false);
  });

  test('buyers list and read only their own orders, a page at a time; the admin sees them all', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const mine: Order[] = [];
    for (let i = 0; i < 5; i++) {
      mine.push(await order(deps, [{ productId: tea.id, quantity: i + 1 }]));
      deps.clock.advance(1000);
    }
    const theirs = await order(deps, [{ productId: tea.id, quantity: 1 }], other);

    const page1 = await ok<OrderPage>(call(checkout, buyer, 'listOrders', { limit: 2 }));
    const page2 = await ok<OrderPage>(call(checkout, buyer, 'listOrders', { limit: 2, after: page1.next }));
    const page3 = await ok<OrderPage>(call(checkout, buyer, 'listOrders', { limit: 2, after: page2.next }));
    expect([...page1.items, ...page2.items, ...page3.items].map((o) => o.id)).toEqual(mine.map((o) => o.id).reverse());
    expect(page3.next).toBeUndefined();
    expect((await errorOf(call(checkout, buyer, 'listOrders', { after: 'garbage!' }))).code).toBe('INPUT.INVALID');

    expect((await errorOf(call(checkout, buyer, 'getOrder', { orderId: theirs.id }))).code).toBe(
      'CHECKOUT.ORDER_NOT_FOUND',
    );
    expect((await errorOf(call(checkout, buyer, 'pay', { orderId: theirs.id }))).code).toBe('CHECKOUT.ORDER_NOT_FOUND');
    const detail = await ok<OrderDetail>(call(checkout, buyer, 'getOrder', { orderId: mine[0].id }));
    expect(detail).toMatchObject({ id: mine[0].id, mine: true, refunds: [] });

    const all = await ok<OrderPage>(call(checkout, admin, 'listMerchantOrders', { limit: 50 }));
    expect(all.items).toHaveLength(6);
    expect(all.items[0]).toMatchObject({
      id: theirs.id,
      merchant: { buyer: 'o_ot…0001', feeFen: null, refundableFen: 0 },
    });
    expect(all.items.map((o) => o.id).join()).not.toContain('o_other_buyer');
    expect((await errorOf(call(checkout, buyer, 'listMerchantOrders', {}))).code).toBe('AUTH.FORBIDDEN');
    const adminView = await ok<OrderDetail>(call(checkout, admin, 'getOrder', { orderId: theirs.id }));
    expect(adminView.mine).toBe(false);
  });
});

describe('refunded orders', () => {
  const refund = (orderId: string, amountFen: number) =>
    ok<Refund>(call<Refund>(checkout, admin, 'refund', { orderId, amountFen }, key('refund')));
  /** The sandbox closes the refund and payNotify hears it: its money goes back to the merchant. */
  const closeRefund = async (id: string) => {
    deps.sandbox.forceRefund(id, 'CLOSED');
    await deliver(deps);
  };
  const merchantList = async (filter: Record<string, string>) =>
    (await ok<OrderPage>(call(checkout, admin, 'listMerchantOrders', { limit: 50, ...filter }))).items.map((o) => o.id);

  test('an order says whether refunds took none, part or all of it, counting only money actually taken', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const paid = await paidOrder(deps, [{ productId: tea.id, quantity: 1 }]); // 6800
    const seen = async () => {
      const forAdmin = await ok<OrderDetail>(call(checkout, admin, 'getOrder', { orderId: paid.id }));
      const forBuyer = (await ok<OrderPage>(call(checkout, buyer, 'listOrders', {}))).items[0];
      const stored = await orderDoc(deps, paid.id);
      return [forAdmin.state, forAdmin.refundedFen, forAdmin.refundStatus, forBuyer.refundStatus, stored.refundStatus];
    };
    expect(await seen()).toEqual(['PAID', 0, 'NONE', 'NONE', 'NONE']);
    const first = await refund(paid.id, 800);
    expect(await seen()).toEqual(['PAID', 800, 'PARTIAL', 'PARTIAL', 'PARTIAL']);
    // Still processing at WeChat Pay, but the money was taken: fully refunded.
    const rest = await refund(paid.id, 6000);
    expect(rest.state).toBe('PROCESSING');
    expect(await seen()).toEqual(['PAID', 6800, 'FULL', 'FULL', 'FULL']);
    // A closed refund gave its money back: partly refunded again, and then not at all.
    await closeRefund(first.id);
    expect(await seen()).toEqual(['PAID', 6000, 'PARTIAL', 'PARTIAL', 'PARTIAL']);
    await closeRefund(rest.id);
    expect(await seen()).toEqual(['PAID', 0, 'NONE', 'NONE', 'NONE']);
    const unpaid = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    expect(unpaid.refundStatus).toBe('NONE');
  });

  test('the merchant filters paid orders by refund status, newest first, a page at a time', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const paidOne = async () => {
      deps.clock.advance(1000);
      return (await paidOrder(deps, [{ productId: tea.id, quantity: 1 }])).id;
    };
    const untouched = await paidOne();
    const partly = await paidOne();
    await refund(partly, 100);
    const fully = await paidOne();
    await refund(fully, 6800);
    const fullyInTwo = await paidOne();
    await refund(fullyInTwo, 6000);
    await refund(fullyInTwo, 800);
    const closedBack = await paidOne();
    await closeRefund((await refund(closedBack, 6800)).id);
    const partlyAfterClose = await paidOne();
    await refund(partlyAfterClose, 6000);
    await closeRefund((await refund(partlyAfterClose, 800)).id);
    deps.clock.advance(1000);
    const unpaid = (await order(deps, [{ productId: tea.id, quantity: 1 }])).id;

    expect(await merchantList({ refundStatus: 'FULL' })).toEqual([fullyInTwo, fully]);
    expect(await merchantList({ refundStatus: 'PARTIAL' })).toEqual([partlyAfterClose, partly]);
    expect(await merchantList({ refundStatus: 'NONE' })).toEqual([closedBack, untouched]);
    expect(await merchantList({ state: 'PAID', refundStatus: 'FULL' })).toEqual([fullyInTwo, fully]);
    expect(await merchantList({ state: 'PAID' })).toHaveLength(6);
    expect(await merchantList({})).toEqual([
      unpaid,
      partlyAfterClose,
      closedBack,
      fullyInTwo,
      fully,
      partly,
      untouched,
    ]);
    const page1 = await ok<OrderPage>(call(checkout, admin, 'listMerchantOrders', { refundStatus: 'FULL', limit: 1 }));
    const page2 = await ok<OrderPage>(
      call(checkout, admin, 'listMerchantOrders', { refundStatus: 'FULL', limit: 1, after: page1.next }),
    );
    expect([...page1.items, ...page2.items].map((o) => [o.id, o.refundStatus])).toEqual([
      [fullyInTwo, 'FULL'],
      [fully, 'FULL'],
    ]);
    expect(page2.next).toBeUndefined();

    const wrong = await errorOf(call(checkout, admin, 'listMerchantOrders', { state: 'CLOSED', refundStatus: 'FULL' }));
    expect([wrong.code, Object.keys(wrong.fields ?? {})]).toEqual(['INPUT.INVALID', ['refundStatus']]);
    expect((await errorOf(call(checkout, admin, 'listMerchantOrders', { refundStatus: 'ALL' }))).code).toBe(
      'INPUT.INVALID',
    );
    expect((await errorOf(call(checkout, buyer, 'listMerchantOrders', { refundStatus: 'FULL' }))).code).toBe(
      'AUTH.FORBIDDEN',
    );
  });
});

describe('paying', () => {
  test('pay returns client parameters signed for the mini program, and reuses the prepay', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 2 }]);
    const first = await pay(created.id);
    expect(first).toMatchObject({
      orderId: created.id,
      totalFen: 13600,
      params: { signType: 'RSA' },
      orderPayment: false,
    });
    expect(first).not.toHaveProperty('orderInfo');
    expect(first.params.package).toMatch(/^prepay_id=wx/);
    expect(verifyClientPaySign(first.params, DEMO_APPID, deps.sandbox.keys.merchantPublicKey)).toBe(true);
    expect(verifyClientPaySign(first.params, 'wx_another_app', deps.sandbox.keys.merchantPublicKey)).toBe(false);
    expect(first.expiresAt).toBe(created.expiresAt);
    expect(first.sandbox?.payUrl).toMatch(/\/sandbox\/pay$/);

    deps.clock.advance(60_000);
    const second = await pay(created.id);
    expect(second.params.package).toBe(first.params.package);
    expect(second.params.timeStamp).not.toBe(first.params.timeStamp);
    expect((await orderDoc(deps, created.id)).state).toBe('PAYING');
  });

  test('the prepay carries the notify URL and the expiry; an expired order cannot be paid', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    await pay(created.id);
    const placed = deps.sandbox.ctx.state.list<{
      out_trade_no: string;
      notify_url: string;
      time_expire: string;
      amount_total: number;
      payer: { sub_openid: string };
    }>('order', {
      out_trade_no: created.id,
    })[0];
    expect(placed).toMatchObject({
      notify_url: deps.config.notifyUrl,
      amount_total: 6800,
      payer: { sub_openid: buyer.openid },
    });
    expect(Date.parse(placed.time_expire)).toBe(Date.parse(created.expiresAt));

    deps.clock.advance(30 * 60_000);
    expect((await errorOf(call(checkout, buyer, 'pay', { orderId: created.id }))).code).toBe('CHECKOUT.ORDER_EXPIRED');
  });

  test('confirmPayment asks WeChat Pay, so a paid order shows paid before any notification', async () => {
    const merchant = await bindMerchant(deps, 6000);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    const payment = await pay(created.id);
    expect(await ok<PaymentConfirmation>(call(checkout, buyer, 'confirmPayment', { orderId: created.id }))).toEqual({
      orderId: created.id,
      state: 'PAYING',
      paidAt: null,
    });
    buyerPays(deps, payment);
    const confirmed = await ok<PaymentConfirmation>(call(checkout, buyer, 'confirmPayment', { orderId: created.id }));
    expect(confirmed).toEqual({ orderId: created.id, state: 'PAID', paidAt: deps.clock.now().toISOString() });
    const doc = await orderDoc(deps, created.id);
    expect(doc).toMatchObject({
      state: 'PAID',
      feeFen: 41,
      settlementState: 'PENDING',
      paidAt: deps.clock.now().toISOString(),
      subMchid: merchant.subMchid,
    });
    expect((await errorOf(call(checkout, buyer, 'pay', { orderId: created.id }))).code).toBe('CHECKOUT.ORDER_PAID');
  });

  test('a failed payment at the sheet leaves the order payable with the same prepay', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    const payment = await pay(created.id);
    expect(buyerPays(deps, payment, 'FAIL').trade_state).toBe('PAYERROR');
    expect(
      (await ok<PaymentConfirmation>(call(checkout, buyer, 'confirmPayment', { orderId: created.id }))).state,
    ).toBe('PAYING');
    const again = await pay(created.id);
    expect(buyerPays(deps, again).trade_state).toBe('SUCCESS');
    expect(
      (await ok<PaymentConfirmation>(call(checkout, buyer, 'confirmPayment', { orderId: created.id }))).state,
    ).toBe('PAID');
  });

  test('cancelling an order closes it at WeChat Pay too, so it can no longer be paid', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    const payment = await pay(created.id);
    const cancelled = await ok<Order>(call(checkout, buyer, 'cancelOrder', { orderId: created.id }));
    expect(cancelled).toMatchObject({ state: 'CLOSED', closeReason: 'cancelled' });
    expect(() => buyerPays(deps, payment)).toThrow(/ORDER_CLOSED|关闭/);
    expect((await errorOf(call(checkout, buyer, 'pay', { orderId: created.id }))).code).toBe('CHECKOUT.ORDER_CLOSED');
    expect((await errorOf(call(checkout, other, 'cancelOrder', { orderId: created.id }))).code).toBe(
      'CHECKOUT.ORDER_NOT_FOUND',
    );
  });

  test('cancelling an order that was paid meanwhile credits the payment instead', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    buyerPays(deps, await pay(created.id));
    expect((await errorOf(call(checkout, buyer, 'cancelOrder', { orderId: created.id }))).code).toBe(
      'CHECKOUT.ORDER_PAID',
    );
    expect((await orderDoc(deps, created.id)).state).toBe('PAID');
  });

  test('a WeChat Pay outage while paying is a retryable typed error, and nothing changes', async () => {
    await bindMerchant(deps);
    const tea = await seededProduct(deps, /Longjing/);
    const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
    await deps.sandbox.close();
    const err = await errorOf(call(checkout, buyer, 'pay', { orderId: created.id }));
    expect(err.code).toBe('CHECKOUT.PROVIDER_UNAVAILABLE');
    expect((await orderDoc(deps, created.id)).state).toBe('CREATED');
  });
});
