// The checkout pages end to end in the simulator (cloud mode: wx.cloud runs
// the real functions in process, WeChat Pay is the real adapter against the
// sandbox): products -> confirmation -> pay -> result, through the shim's
// wx.requestOrderPayment and wx.requestPayment paths, with the outcomes a
// buyer can meet.
import { verifyLedger } from '../../../cloudfunctions/core/ledger/verify';
import {
  cell,
  exists,
  find,
  findAll,
  loadPage,
  renderPage,
  showPage,
  tap,
  text,
  useHarness,
  waitFor,
  type Rendered,
} from '../harness';
import { pageStack } from '../support/page-stack';
import { bindMerchant, fakeWechatClient, queryOf, type ClientBehaviour } from './support';

const h = useHarness();
const productsPage = loadPage('packages/checkout/pages/products/index');
const confirmPage = loadPage('packages/checkout/pages/confirm/index');
const payPage = loadPage('packages/checkout/pages/pay/index');
const resultPage = loadPage('packages/checkout/pages/result/index');

afterEach(() => {
  delete process.env.PMS_SERVICE_STATUS;
});

const idle = (page: Rendered) => waitFor(() => page.data.loadState === 'idle');
const lastNavigation = () => h.navigations()[h.navigations().length - 1];

/** Picks 2 of the first product and 1 of the second, and checks out to the pay page. */
async function toPayPage(): Promise<{ page: Rendered; orderId: string; products: Rendered }> {
  const products = renderPage(productsPage);
  await idle(products);
  const plus = findAll(products, 't-stepper__plus');
  await tap(plus[0]);
  await tap(plus[0]);
  await tap(plus[1]);
  await waitFor(() => products.data.count === 3);
  expect(text(find(products, 'products__preview'))).toBe('¥235.00');
  await tap(find(products, 'products__checkout'));
  expect(lastNavigation()).toMatch(/^\/packages\/checkout\/pages\/confirm\/index\?items=/);

  const confirm = renderPage(confirmPage, queryOf(lastNavigation()));
  await idle(confirm);
  // The breakdown is the server's: each line, then the total.
  const lines = findAll(confirm, 'confirm__line').map(text);
  expect(lines).toEqual(['West Lake Longjing, 50 g ¥68.00 × 2 ¥136.00', 'Tieguanyin Oolong, 100 g ¥99.00 × 1 ¥99.00']);
  expect(text(find(confirm, 'confirm__total'))).toContain('¥235.00');
  expect(h.callsTo('checkout', 'quoteOrder')[0].data).toEqual({
    items: [
      { productId: products.data.rows[0].id, quantity: 2 },
      { productId: products.data.rows[1].id, quantity: 1 },
    ],
  });
  await tap(find(confirm, 'confirm__place'));
  await waitFor(() => lastNavigation().startsWith('/packages/checkout/pages/pay/index'));
  const orderId = queryOf(lastNavigation()).orderId;

  const page = renderPage(payPage, queryOf(lastNavigation()));
  await idle(page);
  expect(text(find(page, 'pay__amount'))).toBe('¥235.00');
  return { page, orderId, products };
}

async function payAndSeeResult(page: Rendered): Promise<Rendered> {
  const before = h.navigations().length;
  await tap(find(page, 'pay__pay'));
  await waitFor(() => h.navigations().length > before, 8000);
  const url = lastNavigation();
  expect(url).toMatch(/^\/packages\/checkout\/pages\/result\/index\?/);
  const result = renderPage(resultPage, queryOf(url));
  await idle(result);
  return result;
}

async function checkoutWith(api: 'requestOrderPayment' | 'requestPayment', behaviour: ClientBehaviour) {
  await bindMerchant(h.deps);
  const client = fakeWechatClient(h.deps, api, behaviour);
  const { page, orderId } = await toPayPage();
  const result = await payAndSeeResult(page);
  return { client, page, orderId, result };
}

const stateOf = async (orderId: string) =>
  (await h.deps.store.get<{ _id: string; state: string }>('orders', orderId))?.state;

test('payment management active: wx.requestOrderPayment, then a confirmed success', async () => {
  await bindMerchant(h.deps);
  const client = fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const { page, orderId } = await toPayPage();
  expect(cell(page, 'Payment method').note).toBe('WeChat Pay (payment management)');
  const result = await payAndSeeResult(page);

  expect(client).toHaveBeenCalledTimes(1);
  expect(client.mock.calls[0][0]).toMatchObject({
    signType: 'RSA',
    orderInfo: { outTradeNo: orderId, totalFen: 23500 },
  });
  expect(wx.requestPayment).not.toHaveBeenCalled();
  expect(text(result)).toContain('Payment successful');
  expect(text(find(result, 'result__amount'))).toBe('¥235.00');
  expect(exists(result, 'result__pay-again')).toBe(false);
  expect(await stateOf(orderId)).toBe('PAID');
  expect((await verifyLedger(h.deps.store)).ok).toBe(true);

  await tap(find(result, 'result__view-order'));
  expect(lastNavigation()).toBe(`/packages/checkout/pages/order/index?orderId=${orderId}`);
});

test('payment management discontinued: the pages say so and pay with wx.requestPayment', async () => {
  process.env.PMS_SERVICE_STATUS = 'discontinued';
  await bindMerchant(h.deps);
  const products = renderPage(productsPage);
  await idle(products);
  expect(text(find(products, 'products__fallback'))).toContain('regular WeChat Pay');

  const client = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const { page, orderId } = await toPayPage();
  expect(cell(page, 'Payment method').note).toBe('WeChat Pay');
  const result = await payAndSeeResult(page);
  expect(client).toHaveBeenCalledTimes(1);
  expect(client.mock.calls[0][0].orderInfo).toBeUndefined();
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(text(result)).toContain('Payment successful');
  expect(await stateOf(orderId)).toBe('PAID');
});

test('a base library without requestOrderPayment falls back to wx.requestPayment', async () => {
  (wx.canIUse as jest.Mock).mockImplementation((what: string) => what !== 'requestOrderPayment');
  const { client, result } = await checkoutWith('requestPayment', 'pay');
  expect(client).toHaveBeenCalledTimes(1);
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(text(result)).toContain('Payment successful');
});

test('cancelled at the payment sheet: the result offers to pay now, and paying again works', async () => {
  const { orderId, result } = await checkoutWith('requestOrderPayment', 'cancel');
  expect(text(result)).toContain('Payment cancelled');
  expect(text(find(result, 'result__pay-again'))).toBe('Pay now');
  expect(await stateOf(orderId)).toBe('PAYING');

  await tap(find(result, 'result__pay-again'));
  expect(lastNavigation()).toBe(`/packages/checkout/pages/pay/index?orderId=${orderId}`);
  fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const again = renderPage(payPage, queryOf(lastNavigation()));
  await idle(again);
  const paid = await payAndSeeResult(again);
  expect(text(paid)).toContain('Payment successful');
  // The same prepay both times: one order at WeChat Pay.
  const packages = (wx.requestOrderPayment as jest.Mock).mock.calls.map((c) => c[0].package);
  expect(new Set(packages).size).toBe(1);
});

test('a failed payment says so (its code only in the logs) and offers to try again', async () => {
  const { orderId, result } = await checkoutWith('requestOrderPayment', 'fail');
  expect(text(result)).toContain('Payment failed');
  // Was: the raw code "(PAYMENT.FAILED)" appended for people to read (the defect).
  expect(text(result)).not.toContain('PAYMENT.FAILED');
  expect(text(find(result, 'result__pay-again'))).toBe('Try again');
  expect(await stateOf(orderId)).toBe('PAYING');
});

test('the result page reads the order back: "outcome=paid" in its URL is not trusted', async () => {
  await bindMerchant(h.deps);
  const { orderId } = await toPayPage();
  const forged = renderPage(resultPage, { orderId, outcome: 'paid' });
  await idle(forged);
  expect(text(forged)).not.toContain('Payment successful');
  expect(text(forged)).toContain('Payment failed');
  expect(exists(forged, 'result__pay-again')).toBe(true);
  expect(await stateOf(orderId)).toBe('CREATED');
});

test('a double tap on Pay pays once; a dropped Place order retried is still one order', async () => {
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const products = renderPage(productsPage);
  await idle(products);
  await tap(findAll(products, 't-stepper__plus')[0]);
  await tap(find(products, 'products__checkout'));
  const confirm = renderPage(confirmPage, queryOf(lastNavigation()));
  await idle(confirm);
  h.failNext(1);
  await tap(find(confirm, 'confirm__place'));
  await waitFor(() => confirm.data.submitError !== '');
  expect(text(confirm)).toContain("Can't reach the service");
  await tap(find(confirm, 'confirm__place'));
  await waitFor(() => lastNavigation().startsWith('/packages/checkout/pages/pay/index'));
  const creates = h.callsTo('checkout', 'createOrder');
  expect(creates).toHaveLength(2);
  expect(creates[0].idempotencyKey).toBe(creates[1].idempotencyKey);
  expect(await h.deps.store.count('orders')).toBe(1);

  const page = renderPage(payPage, queryOf(lastNavigation()));
  await idle(page);
  const release = h.hold();
  await tap(find(page, 'pay__pay'));
  await tap(find(page, 'pay__pay'));
  release();
  await waitFor(() => lastNavigation().startsWith('/packages/checkout/pages/result/index'), 8000);
  expect(h.callsTo('checkout', 'pay')).toHaveLength(1);
  expect(wx.requestOrderPayment).toHaveBeenCalledTimes(1);
});

test('no merchant account: the shop explains and cannot check out', async () => {
  const products = renderPage(productsPage);
  await idle(products);
  expect(text(find(products, 'products__blocked'))).toContain('no merchant account');
  expect(products.data.blocked).not.toBe('');
  await tap(find(products, 'products__checkout'));
  expect(h.navigations()).toEqual([]);
});

test('Continue shopping after a paid order goes back to the products page below, its cart cleared', async () => {
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const { page, products } = await toPayPage();
  expect(products.data.count).toBe(3);
  const result = await payAndSeeResult(page);
  expect(text(result)).toContain('Payment successful');
  const before = h.navigations().length;
  await tap(find(result, 'result__shop'));
  // Back down the stack (products, confirm, pay, result), not a second products page on top.
  expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 3 }));
  expect(h.navigations()).toHaveLength(before);
  showPage(products);
  expect(products.data).toMatchObject({ count: 0, previewFen: 0 });
  expect(products.data.rows.every((r: { quantity: number }) => r.quantity === 0)).toBe(true);
  expect(text(find(products, 'products__count'))).toBe('0 items');
});

test('Continue shopping with no products page below opens one in place of the result', async () => {
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const { page } = await toPayPage();
  const before = h.navigations().length;
  await tap(find(page, 'pay__pay'));
  await waitFor(() => h.navigations().length > before, 8000);
  // Opened directly (e.g. from an order link): only the result is open.
  pageStack.length = 0;
  const result = renderPage(resultPage, queryOf(lastNavigation()));
  await idle(result);
  await tap(find(result, 'result__shop'));
  expect(wx.navigateBack).not.toHaveBeenCalled();
  expect(wx.redirectTo).toHaveBeenLastCalledWith(
    expect.objectContaining({ url: '/packages/checkout/pages/products/index' }),
  );
});
