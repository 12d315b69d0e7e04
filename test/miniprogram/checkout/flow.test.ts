// The checkout pages end to end in the simulator (cloud mode: wx.cloud runs
// the real functions in process, WeChat Pay is the real adapter against the
// sandbox): products -> confirmation -> pay -> result, through the shim's
// wx.requestPayment path (the default) and wx.requestOrderPayment path (a
// mini program declared enrolled), with the outcomes a buyer can meet.
import { verifyLedger } from '../../../cloudfunctions/core/ledger/verify';
import {
  cell,
  exists,
  find,
  findAll,
  loadPage,
  renderPage,
  showPage,
  speak,
  tap,
  text,
  texts,
  useHarness,
  waitFor,
  type Rendered,
} from '../harness';
import { checkout, key } from '../../checkout/support';
import { admin, call, ok } from '../../support/deps';
import { pageStack } from '../support/page-stack';
import {
  addToCart,
  bindMerchant,
  type ClientBehaviour,
  enrolForOrderPayment,
  fakeWechatClient,
  queryOf,
  refuseWechatApi,
} from './support';

const h = useHarness();
const productsPage = loadPage('packages/checkout/pages/products/index');
const confirmPage = loadPage('packages/checkout/pages/confirm/index');
const payPage = loadPage('packages/checkout/pages/pay/index');
const resultPage = loadPage('packages/checkout/pages/result/index');

afterEach(() => {
  delete process.env.PMS_SERVICE_STATUS;
});

const CJK = /[\u4e00-\u9fff]/;
const idle = (page: Rendered) => waitFor(() => page.data.loadState === 'idle');
const lastNavigation = () => h.navigations()[h.navigations().length - 1];

/** Picks 2 of the first product and 1 of the second, and checks out to the pay page. */
async function toPayPage(): Promise<{ page: Rendered; orderId: string; products: Rendered; confirm: Rendered }> {
  const products = renderPage(productsPage);
  await idle(products);
  await addToCart(products, 0, 2);
  await addToCart(products, 1);
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
  // The total once, in the bar beside "Place order" (it used to be shown twice).
  expect(text(confirm).split('¥235.00')).toHaveLength(2);
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
  return { page, orderId, products, confirm };
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

test('by default: wx.requestPayment with the signed parameters only, then a confirmed success', async () => {
  await bindMerchant(h.deps);
  const client = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const { page, orderId, confirm } = await toPayPage();
  expect(text(find(confirm, 'confirm__bar'))).toBe('合计 ¥235.00 共 3 件 提交订单');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '确认订单' }));
  expect(cell(page, '支付方式').description).toBe('微信支付');
  expect(cell(page, '订单状态').note).toBe('待支付');
  expect(text(find(page, 'pay__description'))).toBe('West Lake Longjing, 50 g 等 3 件商品');
  expect(texts(page, 't-button')).toEqual(['立即支付', '取消订单']);
  const result = await payAndSeeResult(page);

  expect(client).toHaveBeenCalledTimes(1);
  expect(client.mock.calls[0][0]).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
  expect(client.mock.calls[0][0].orderInfo).toBeUndefined();
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
  expect(text(find(result, 't-result__description'))).toMatch(/^支付时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
  expect(text(find(result, 'result__amount'))).toBe('¥235.00');
  expect(texts(result, 't-button')).toEqual(['查看订单', '继续购物']);
  expect(wx.setNavigationBarTitle).toHaveBeenLastCalledWith(expect.objectContaining({ title: '支付结果' }));
  expect(exists(result, 'result__pay-again')).toBe(false);
  expect(await stateOf(orderId)).toBe('PAID');
  expect((await verifyLedger(h.deps.store)).ok).toBe(true);

  await tap(find(result, 'result__view-order'));
  expect(lastNavigation()).toBe(`/packages/checkout/pages/order/index?orderId=${orderId}`);
});

test('declared enrolled: the pay page says so and pays with wx.requestOrderPayment, without orderInfo', async () => {
  await bindMerchant(h.deps);
  enrolForOrderPayment(h.deps);
  const client = fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const { page, orderId } = await toPayPage();
  expect(cell(page, '支付方式').description).toBe('微信支付（支付管理）');
  const result = await payAndSeeResult(page);
  expect(client).toHaveBeenCalledTimes(1);
  expect(Object.keys(client.mock.calls[0][0]).sort()).toEqual([
    'fail',
    'nonceStr',
    'package',
    'paySign',
    'signType',
    'success',
    'timeStamp',
  ]);
  expect(wx.requestPayment).not.toHaveBeenCalled();
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
  expect(await stateOf(orderId)).toBe('PAID');
});

test('declared enrolled, but the client says no permission: the same order paid through wx.requestPayment', async () => {
  await bindMerchant(h.deps);
  enrolForOrderPayment(h.deps);
  const refused = refuseWechatApi(
    'requestOrderPayment',
    'requestOrderPayment:fail jsapi has no permission, event=requestOrderPayment, runningState=foreground, permissionMsg=permission got, detail=jsapi has no permission',
  );
  const client = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const { page, orderId } = await toPayPage();
  const result = await payAndSeeResult(page);
  expect(refused).toHaveBeenCalledTimes(1);
  expect(client).toHaveBeenCalledTimes(1);
  expect(client.mock.calls[0][0].package).toBe(refused.mock.calls[0][0].package);
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
  expect(await stateOf(orderId)).toBe('PAID');
});

test('payment management discontinued: the pages say so and pay with wx.requestPayment, even when enrolled', async () => {
  process.env.PMS_SERVICE_STATUS = 'discontinued';
  await bindMerchant(h.deps);
  enrolForOrderPayment(h.deps);
  const products = renderPage(productsPage);
  await idle(products);
  expect(text(find(products, 'products__fallback'))).toBe('支付管理服务已停用，将使用微信支付付款');

  const client = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const { page, orderId } = await toPayPage();
  expect(cell(page, '支付方式').description).toBe('微信支付');
  const result = await payAndSeeResult(page);
  expect(client).toHaveBeenCalledTimes(1);
  expect(client.mock.calls[0][0].orderInfo).toBeUndefined();
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
  expect(await stateOf(orderId)).toBe('PAID');
});

test('declared enrolled, but a base library without requestOrderPayment: wx.requestPayment', async () => {
  enrolForOrderPayment(h.deps);
  (wx.canIUse as jest.Mock).mockImplementation((what: string) => what !== 'requestOrderPayment');
  const { client, page, result } = await checkoutWith('requestPayment', 'pay');
  expect(cell(page, '支付方式').description).toBe('微信支付');
  expect(client).toHaveBeenCalledTimes(1);
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
});

test('cancelled at the payment sheet: the result offers to pay now, and paying again works', async () => {
  const { orderId, result } = await checkoutWith('requestPayment', 'cancel');
  expect(text(find(result, 't-result__title'))).toBe('已取消支付');
  expect(text(find(result, 't-result__description'))).toBe('未扣款，订单已为你保留，可稍后支付');
  expect(text(find(result, 'result__pay-again'))).toBe('立即支付');
  expect(await stateOf(orderId)).toBe('PAYING');

  await tap(find(result, 'result__pay-again'));
  expect(lastNavigation()).toBe(`/packages/checkout/pages/pay/index?orderId=${orderId}`);
  fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const again = renderPage(payPage, queryOf(lastNavigation()));
  await idle(again);
  const paid = await payAndSeeResult(again);
  expect(text(find(paid, 't-result__title'))).toBe('支付成功');
  // The same prepay both times: one order at WeChat Pay.
  const packages = (wx.requestPayment as jest.Mock).mock.calls.map((c) => c[0].package);
  expect(new Set(packages).size).toBe(1);
});

test('a failed payment says so (its code only in the logs) and offers to try again', async () => {
  const { orderId, result } = await checkoutWith('requestPayment', 'fail');
  expect(text(find(result, 't-result__title'))).toBe('支付失败');
  // The failure's code worded for people (it used to be appended raw, "(PAYMENT.FAILED)").
  expect(text(find(result, 't-result__description'))).toBe('支付未完成，你没有被扣款，请重试');
  expect(text(result)).not.toContain('PAYMENT.FAILED');
  expect(text(find(result, 'result__pay-again'))).toBe('重新支付');
  expect(await stateOf(orderId)).toBe('PAYING');
});

test('the result page reads the order back: "outcome=paid" in its URL is not trusted', async () => {
  await bindMerchant(h.deps);
  const { orderId } = await toPayPage();
  const forged = renderPage(resultPage, { orderId, outcome: 'paid' });
  await idle(forged);
  expect(text(forged)).not.toContain('支付成功');
  expect(text(find(forged, 't-result__title'))).toBe('支付失败');
  expect(text(find(forged, 't-result__description'))).toBe('支付未完成，请重试');
  expect(exists(forged, 'result__pay-again')).toBe(true);
  expect(await stateOf(orderId)).toBe('CREATED');
});

test('a double tap on Pay pays once; a dropped Place order retried is still one order', async () => {
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const products = renderPage(productsPage);
  await idle(products);
  await tap(findAll(products, 'products__plus')[0]);
  await tap(find(products, 'products__checkout'));
  const confirm = renderPage(confirmPage, queryOf(lastNavigation()));
  await idle(confirm);
  h.failNext(1);
  await tap(find(confirm, 'confirm__place'));
  await waitFor(() => confirm.data.submitError !== '');
  expect(text(find(confirm, 'confirm__error'))).toBe('网络不可用，请检查网络后重试');
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不可用，请检查网络后重试' }));
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
  expect(wx.requestPayment).toHaveBeenCalledTimes(1);
});

test('no merchant account: the shop explains and cannot check out', async () => {
  const products = renderPage(productsPage);
  await idle(products);
  expect(text(find(products, 'products__blocked'))).toBe('该小程序尚未开通微信支付收款，暂时无法下单');
  expect(products.data.blocked).not.toBe('');
  await tap(find(products, 'products__checkout'));
  expect(h.navigations()).toEqual([]);
});

test('Continue shopping after a paid order goes back to the products page below, its cart cleared', async () => {
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const { page, products } = await toPayPage();
  expect(products.data.count).toBe(3);
  const result = await payAndSeeResult(page);
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
  const before = h.navigations().length;
  await tap(find(result, 'result__shop'));
  // Back down the stack (products, confirm, pay, result), not a second products page on top.
  expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 3 }));
  expect(h.navigations()).toHaveLength(before);
  showPage(products);
  expect(products.data).toMatchObject({ count: 0, previewFen: 0 });
  expect(products.data.rows.every((r: { quantity: number }) => r.quantity === 0)).toBe(true);
  expect(text(find(products, 'products__count'))).toBe('共 0 件');
});

test('Continue shopping with no products page below opens one in place of the result', async () => {
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestPayment', 'pay');
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

test('in English: confirm, pay and the results read with no Chinese leftovers', async () => {
  speak('en-US');
  await bindMerchant(h.deps);
  fakeWechatClient(h.deps, 'requestPayment', 'cancel');
  const { page, confirm } = await toPayPage();
  expect(text(find(confirm, 'confirm__bar'))).toBe('Total ¥235.00 3 items Place order');
  expect(text(confirm)).not.toMatch(CJK);
  expect(text(page)).not.toMatch(CJK);
  expect(cell(page, 'Payment method').description).toBe('WeChat Pay');
  expect(text(find(page, 'pay__description'))).toBe('West Lake Longjing, 50 g and more (3 items)');
  expect(texts(page, 't-button')).toEqual(['Pay', 'Cancel order']);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Confirm order' }));
  expect(wx.setNavigationBarTitle).toHaveBeenLastCalledWith(expect.objectContaining({ title: 'Pay' }));

  const cancelled = await payAndSeeResult(page);
  expect(text(find(cancelled, 't-result__title'))).toBe('Payment cancelled');
  expect(text(cancelled)).not.toMatch(CJK);

  fakeWechatClient(h.deps, 'requestPayment', 'fail');
  const again = renderPage(payPage, queryOf(lastNavigation().replace('/result/', '/pay/')));
  await idle(again);
  const failed = await payAndSeeResult(again);
  expect(text(find(failed, 't-result__description'))).toBe(
    'The payment did not go through and you were not charged. Please try again',
  );
  expect(texts(failed, 't-button')).toEqual(['Try again', 'View order', 'Continue shopping']);
  expect(text(failed)).not.toMatch(CJK);

  fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const paid = await payAndSeeResult(again);
  expect(text(find(paid, 't-result__title'))).toBe('Payment successful');
  expect(text(find(paid, 't-result__description'))).toMatch(/^Paid \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Beijing time\)$/);
  expect(text(paid)).not.toMatch(CJK);
});

test('error states say what went wrong, in Chinese: a product gone off sale, an empty cart, a dropped load', async () => {
  await bindMerchant(h.deps);
  const products = renderPage(productsPage);
  await idle(products);
  await addToCart(products, 0);
  await tap(find(products, 'products__checkout'));
  // The merchant takes the product off sale before the buyer gets to the confirmation.
  const p = products.data.rows[0];
  await ok(
    call(checkout, admin, 'saveProduct', { id: p.id, name: p.name, priceFen: p.priceFen, active: false }, key()),
  );
  const confirm = renderPage(confirmPage, queryOf(lastNavigation()));
  await waitFor(() => confirm.data.loadState === 'error');
  expect(text(find(confirm, 't-result__title'))).toBe('加载失败');
  expect(text(find(confirm, 't-result__description'))).toBe('部分商品已下架，请调整后再下单');
  expect(exists(confirm, 'confirm__bar')).toBe(false);

  const empty = renderPage(confirmPage, {});
  expect(text(empty)).toBe('购物车是空的');

  h.failNext(1);
  const pay = renderPage(payPage, { orderId: `O${'0'.repeat(31)}` });
  await waitFor(() => pay.data.loadState === 'error');
  expect(text(find(pay, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(pay, 't-button', 'load-state__error'));
  await waitFor(() => pay.data.loadState === 'error' && h.callsTo('checkout', 'getOrder').length === 2);
  await waitFor(() => text(find(pay, 't-result__description')) === '订单不存在');
});
