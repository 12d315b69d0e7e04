// @ts-check
// The checkout pages in their states: the shop, the order confirmation, the
// payment, its paid, failed and cancelled results, the orders and refunds,
// the catalogue (see support/scenes.js).
const { DEMO_APPID } = require('../../cloudfunctions/core/config');
const { find, loadPage, renderPage, tap, typeInto, useHarness, waitFor } = require('../miniprogram/harness');
const { admin, call, ok } = require('../support/deps');
const { bindMerchant, checkout, key, order, paidOrder, pay, seededProduct } = require('../checkout/support');
const { addToCart, fakeWechatClient, queryOf } = require('../miniprogram/checkout/support');
const { scene, shoot, shootError, shootLoading } = require('./support/scenes');

const h = useHarness();
const PRODUCTS = 'packages/checkout/pages/products/index';
const CONFIRM = 'packages/checkout/pages/confirm/index';
const PAY = 'packages/checkout/pages/pay/index';
const RESULT = 'packages/checkout/pages/result/index';
const ORDERS = 'packages/checkout/pages/orders/index';
const ORDER = 'packages/checkout/pages/order/index';
const CATALOGUE = 'packages/checkout/pages/catalogue/index';
const productsPage = loadPage(PRODUCTS);
const confirmPage = loadPage(CONFIRM);
const payPage = loadPage(PAY);
const resultPage = loadPage(RESULT);
const ordersPage = loadPage(ORDERS);
const orderPage = loadPage(ORDER);
const cataloguePage = loadPage(CATALOGUE);

/** @param {any} page */
const idle = (page) => waitFor(() => page.data.loadState === 'idle', 8000);
/** @param {any} page */
const settled = (page) => waitFor(() => page.data.loadState !== 'loading' && !page.data.loadingMore, 8000);
const lastNavigation = () => h.navigations()[h.navigations().length - 1];
/** Ids that differ on every run (orders are numbered at random, so are the sandbox's transactions). */
const STEADY_IDS = /** @type {Array<[RegExp, string]>} */ ([
  [/\bO[0-9a-f]{31}\b/g, 'O6d1c3a9e0b7f24c58e19a0d3b6f7c2e'],
  [/\b4200000001\d{18}\b/g, '4200000001202601050000012345'],
]);

/**
 * Two products with long names (one in Chinese, one in English), priced at and near the ¥50,000.00 a
 * product may cost: together ¥99,999.99, just under an order's ¥100,000.00.
 */
async function longProducts() {
  /** @param {string} name @param {number} priceFen */
  const save = (name, priceFen) => ok(call(checkout, admin, 'saveProduct', { name, priceFen, active: true }, key()));
  await seededProduct(h.deps, /Longjing/); // the demo catalogue is seeded into an empty one only: first
  h.deps.clock.advance(60_000); // listed after it
  const chinese = /** @type {any} */ (await save('特级明前西湖龙井·狮峰山核心产区手工炒制礼盒装（500 克）', 5_000_000));
  const english = /** @type {any} */ (await save('Hand-picked Anxi Tieguanyin, gift tin', 4_999_999));
  return [
    { productId: chinese.id, quantity: 1 },
    { productId: english.id, quantity: 1 },
  ];
}

/** Two West Lake Longjing and one Tieguanyin, as the confirmation page gets them. */
async function cartQuery() {
  const longjing = await seededProduct(h.deps, /Longjing/);
  const oolong = await seededProduct(h.deps, /Oolong/);
  return { items: encodeURIComponent(`${longjing.id}:2,${oolong.id}:1`) };
}

/** An order awaiting payment, its prepay made. */
async function unpaidOrder() {
  const longjing = await seededProduct(h.deps, /Longjing/);
  const oolong = await seededProduct(h.deps, /Oolong/);
  const created = await order(h.deps, [
    { productId: longjing.id, quantity: 2 },
    { productId: oolong.id, quantity: 1 },
  ]);
  await pay(created.id);
  return created;
}

/**
 * The buyer taps Pay and the WeChat client answers `behaviour`; the result page the app opens.
 * @param {'cancel' | 'fail'} behaviour
 */
async function resultAfter(behaviour) {
  await bindMerchant(h.deps);
  const created = await unpaidOrder();
  fakeWechatClient(h.deps, 'requestOrderPayment', behaviour);
  const page = renderPage(payPage, { orderId: created.id });
  await idle(page);
  await tap(find(page, 'pay__pay'));
  await waitFor(() => String(lastNavigation() ?? '').startsWith('/packages/checkout/pages/result/index'), 8000);
  const result = renderPage(resultPage, queryOf(lastNavigation()));
  await idle(result);
  return result;
}

// ---- products ----
scene(PRODUCTS, 'loading', async () => {
  await bindMerchant(h.deps);
  await shootLoading(h, productsPage);
});
scene(PRODUCTS, 'error', () => shootError(h, productsPage));
scene(PRODUCTS, 'content', async () => {
  await bindMerchant(h.deps);
  const page = renderPage(productsPage);
  await idle(page);
  await addToCart(page, 0, 2);
  await addToCart(page, 1);
  await waitFor(() => page.data.count === 3);
  await shoot(page, 'content');
});
scene(PRODUCTS, 'empty', async () => {
  await bindMerchant(h.deps);
  const listed = await ok(call(checkout, admin, 'listProducts', {}));
  for (const p of /** @type {any} */ (listed).items)
    await ok(
      call(checkout, admin, 'saveProduct', { id: p.id, name: p.name, priceFen: p.priceFen, active: false }, key()),
    );
  h.as('admin');
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'empty');
  await shoot(page, 'empty');
});
scene(PRODUCTS, 'no-merchant', async () => {
  const page = renderPage(productsPage);
  await idle(page);
  await shoot(page, 'no-merchant');
});
scene(PRODUCTS, 'long', async () => {
  await bindMerchant(h.deps);
  await longProducts();
  const page = renderPage(productsPage);
  await idle(page);
  // ¥1,000,000.00 + ¥249,999.95 in the cart: the bar's total in the millions.
  await addToCart(page, 4, 20);
  await addToCart(page, 5, 5);
  await waitFor(() => page.data.count === 25);
  await shoot(page, 'long');
});
scene(PRODUCTS, 'admin', async () => {
  await bindMerchant(h.deps);
  h.as('admin');
  const page = renderPage(productsPage);
  await idle(page);
  await shoot(page, 'admin');
});

// ---- confirm ----
scene(CONFIRM, 'loading', async () => {
  await bindMerchant(h.deps);
  await shootLoading(h, confirmPage, await cartQuery());
});
scene(CONFIRM, 'error', async () => {
  await bindMerchant(h.deps);
  await shootError(h, confirmPage, await cartQuery());
});
scene(CONFIRM, 'content', async () => {
  await bindMerchant(h.deps);
  const page = renderPage(confirmPage, await cartQuery());
  await idle(page);
  await shoot(page, 'content');
});

scene(CONFIRM, 'long', async () => {
  await bindMerchant(h.deps);
  const lines = await longProducts();
  const page = renderPage(confirmPage, {
    items: encodeURIComponent(lines.map((l) => `${l.productId}:${l.quantity}`).join(',')),
  });
  await idle(page);
  await shoot(page, 'long');
});

// ---- pay ----
scene(PAY, 'loading', async () => {
  await bindMerchant(h.deps);
  await shootLoading(h, payPage, { orderId: (await unpaidOrder()).id });
});
scene(PAY, 'error', async () => {
  await bindMerchant(h.deps);
  await shootError(h, payPage, { orderId: (await unpaidOrder()).id });
});
scene(PAY, 'content', async () => {
  await bindMerchant(h.deps);
  const page = renderPage(payPage, { orderId: (await unpaidOrder()).id });
  await idle(page);
  await shoot(page, 'content');
});

scene(PAY, 'long', async () => {
  await bindMerchant(h.deps);
  const created = await order(h.deps, await longProducts());
  await pay(created.id);
  const page = renderPage(payPage, { orderId: created.id });
  await idle(page);
  await shoot(page, 'long');
});

// ---- result: paid (content), failed, cancelled ----
scene(RESULT, 'loading', async () => {
  await bindMerchant(h.deps);
  const tea = await seededProduct(h.deps, /Longjing/);
  const paid = await paidOrder(h.deps, [{ productId: tea.id, quantity: 2 }]);
  await shootLoading(h, resultPage, { orderId: paid.id, outcome: 'paid' });
});
scene(RESULT, 'error', async () => {
  await bindMerchant(h.deps);
  const tea = await seededProduct(h.deps, /Longjing/);
  const paid = await paidOrder(h.deps, [{ productId: tea.id, quantity: 2 }]);
  await shootError(h, resultPage, { orderId: paid.id, outcome: 'paid' });
});
scene(RESULT, 'content', async () => {
  await bindMerchant(h.deps);
  const tea = await seededProduct(h.deps, /Longjing/);
  const paid = await paidOrder(h.deps, [{ productId: tea.id, quantity: 2 }]);
  const page = renderPage(resultPage, { orderId: paid.id, outcome: 'paid' });
  await idle(page);
  await shoot(page, 'content');
});
scene(RESULT, 'failed', async () => shoot(await resultAfter('fail'), 'failed'));
scene(RESULT, 'cancelled', async () => shoot(await resultAfter('cancel'), 'cancelled'));

// ---- orders ----
/** Four orders of the buyer: paid, partly refunded, refunded, awaiting payment. */
async function someOrders() {
  await bindMerchant(h.deps);
  const tea = await seededProduct(h.deps, /Longjing/);
  const refund = (/** @type {string} */ orderId, /** @type {number} */ amountFen) =>
    ok(call(checkout, admin, 'refund', { orderId, amountFen }, key('refund')));
  await paidOrder(h.deps, [{ productId: tea.id, quantity: 1 }]);
  h.deps.clock.advance(60_000);
  const partly = await paidOrder(h.deps, [{ productId: tea.id, quantity: 2 }]);
  await refund(partly.id, 800);
  h.deps.clock.advance(60_000);
  const fully = await paidOrder(h.deps, [{ productId: tea.id, quantity: 1 }]);
  await refund(fully.id, 6800);
  h.deps.clock.advance(60_000);
  await order(h.deps, [{ productId: tea.id, quantity: 3 }]);
}
scene(ORDERS, 'loading', () => shootLoading(h, ordersPage));
scene(ORDERS, 'error', () => shootError(h, ordersPage));
scene(ORDERS, 'empty', async () => {
  const page = renderPage(ordersPage);
  await settled(page);
  await shoot(page, 'empty');
});
scene(ORDERS, 'content', async () => {
  await someOrders();
  const page = renderPage(ordersPage);
  await settled(page);
  await shoot(page, 'content');
});
scene(ORDERS, 'merchant', async () => {
  await someOrders();
  h.deps.clock.advance(60_000);
  await order(h.deps, [{ productId: (await seededProduct(h.deps, /Oolong/)).id, quantity: 1 }], {
    openid: 'o_someone_else_0000000000001',
    appid: DEMO_APPID,
  });
  h.as('admin');
  const page = renderPage(ordersPage, { scope: 'merchant' });
  await settled(page);
  await shoot(page, 'merchant');
});

scene(ORDERS, 'long', async () => {
  await someOrders();
  h.deps.clock.advance(60_000);
  await paidOrder(h.deps, await longProducts());
  const page = renderPage(ordersPage);
  await settled(page);
  await shoot(page, 'long');
});

// ---- order: the admin's paid order with a refund (content), the buyer's unpaid order ----
/** A paid order, 2 x 68.00, the admin looking at it. */
async function paidDetail() {
  await bindMerchant(h.deps);
  const tea = await seededProduct(h.deps, /Longjing/);
  const paid = await paidOrder(h.deps, [{ productId: tea.id, quantity: 2 }]);
  h.as('admin');
  return paid.id;
}
scene(ORDER, 'loading', async () => shootLoading(h, orderPage, { orderId: await paidDetail() }));
scene(ORDER, 'error', async () => shootError(h, orderPage, { orderId: await paidDetail() }));
scene(ORDER, 'content', async () => {
  const orderId = await paidDetail();
  await ok(call(checkout, admin, 'refund', { orderId, amountFen: 3650, reason: 'One tin dented' }, key('refund')));
  const page = renderPage(orderPage, { orderId });
  await waitFor(() => page.data.loadState === 'idle' && page.data.view);
  await typeInto(page, 'order__refund-amount', '20');
  await shoot(page, 'content', { steady: STEADY_IDS });
});
scene(ORDER, 'long', async () => {
  await bindMerchant(h.deps);
  const paid = await paidOrder(h.deps, await longProducts());
  await ok(call(checkout, admin, 'refund', { orderId: paid.id, amountFen: 1_234_567 }, key('refund')));
  h.as('admin');
  const page = renderPage(orderPage, { orderId: paid.id });
  await waitFor(() => page.data.loadState === 'idle' && page.data.view);
  await shoot(page, 'long', { steady: STEADY_IDS });
});
scene(ORDER, 'unpaid', async () => {
  await bindMerchant(h.deps);
  const created = await unpaidOrder();
  const page = renderPage(orderPage, { orderId: created.id });
  await waitFor(() => page.data.loadState === 'idle' && page.data.view);
  await shoot(page, 'unpaid', { steady: STEADY_IDS });
});

// ---- catalogue (the admin's) ----
scene(CATALOGUE, 'loading', async () => {
  h.as('admin');
  await shootLoading(h, cataloguePage);
});
scene(CATALOGUE, 'error', async () => {
  h.as('admin');
  await shootError(h, cataloguePage);
});
scene(CATALOGUE, 'content', async () => {
  h.as('admin');
  const page = renderPage(cataloguePage);
  await settled(page);
  await shoot(page, 'content');
});
scene(CATALOGUE, 'form', async () => {
  h.as('admin');
  const page = renderPage(cataloguePage);
  await settled(page);
  await tap(find(page, 'catalogue__add'));
  await typeInto(page, 'catalogue__name', 'Jasmine Pearls, 50 g');
  await typeInto(page, 'catalogue__price', '12.345');
  await tap(find(page, 'catalogue__save'));
  await waitFor(() => page.data.priceError !== '');
  await shoot(page, 'form');
});
