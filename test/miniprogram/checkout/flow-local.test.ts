// The shim's third path: the app in local mode (DevTools against `npm start`).
// The real gateway listens on a loopback port, wx.request is real HTTP, the
// prepay comes from the sandbox, the sandbox's buyer pays it, and the signed
// notification comes back through the gateway's HTTP trigger into payNotify.
import { verifyLedger } from '../../../cloudfunctions/core/ledger/verify';
import { config } from '../../../miniprogram/config';
import { cell, find, findAll, loadPage, renderPage, tap, text, useHarness, waitFor, type Rendered } from '../harness';
import { bindMerchant, queryOf } from './support';

const h = useHarness({ mode: 'local' });
const productsPage = loadPage('packages/checkout/pages/products/index');
const confirmPage = loadPage('packages/checkout/pages/confirm/index');
const payPage = loadPage('packages/checkout/pages/pay/index');
const resultPage = loadPage('packages/checkout/pages/result/index');

const idle = (page: Rendered) => waitFor(() => page.data.loadState === 'idle', 5000);
const lastNavigation = () => h.navigations()[h.navigations().length - 1];

beforeEach(async () => {
  // Where `npm start` would have the sandbox and the HTTP trigger.
  process.env.PMS_SANDBOX_URL = h.deps.sandbox.url;
  h.deps.config.notifyUrl = `${config.local.gateway}/http/payNotify`;
  await bindMerchant(h.deps);
});
afterEach(() => {
  delete process.env.PMS_SANDBOX_URL;
});

/** The sandbox's payment sheet: index 0 pays, 1 fails, undefined closes it. */
function sandboxSheet(choice: 0 | 1 | undefined): void {
  (wx.showActionSheet as jest.Mock).mockImplementation((options: WechatMiniprogram.ShowActionSheetOption) => {
    setTimeout(() => {
      if (choice === undefined) options.fail?.({ errMsg: 'showActionSheet:fail cancel' });
      else options.success?.({ tapIndex: choice, errMsg: 'showActionSheet:ok' });
    }, 0);
  });
}

async function checkout(): Promise<{ orderId: string; result: Rendered }> {
  const products = renderPage(productsPage);
  await idle(products);
  await tap(findAll(products, 'products__plus')[3]); // the 1 fen tasting sample
  await tap(find(products, 'products__checkout'));
  const confirm = renderPage(confirmPage, queryOf(lastNavigation()));
  await idle(confirm);
  await tap(find(confirm, 'confirm__place'));
  await waitFor(() => lastNavigation().startsWith('/packages/checkout/pages/pay/index'), 5000);
  const orderId = queryOf(lastNavigation()).orderId;
  const pay = renderPage(payPage, queryOf(lastNavigation()));
  await idle(pay);
  expect(cell(pay, '支付方式').description).toBe('微信支付沙箱（本地）');
  await tap(find(pay, 'pay__pay'));
  await waitFor(() => lastNavigation().startsWith('/packages/checkout/pages/result/index'), 8000);
  const result = renderPage(resultPage, queryOf(lastNavigation()));
  await idle(result);
  return { orderId, result };
}

const sandboxCalls = () =>
  (wx.request as jest.Mock).mock.calls
    .map(([o]) => o as WechatMiniprogram.RequestOption)
    .filter((o) => o.url.startsWith(h.deps.sandbox.url));

test('local mode pays through the sandbox buyer; the notification reaches payNotify through the gateway', async () => {
  sandboxSheet(0);
  const { orderId, result } = await checkout();
  expect(text(find(result, 't-result__title'))).toBe('支付成功');
  expect(text(find(result, 'result__amount'))).toBe('¥0.01');
  expect((wx.showActionSheet as jest.Mock).mock.calls[0][0]).toMatchObject({
    alertText: '微信支付沙箱：¥0.01',
    itemList: ['支付 ¥0.01', '模拟支付失败'],
  });
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(wx.requestPayment).not.toHaveBeenCalled();

  const [sent] = sandboxCalls();
  expect(sent).toMatchObject({
    url: `${h.deps.sandbox.url}/sandbox/pay`,
    method: 'POST',
    data: { appid: config.local.appid, signType: 'RSA', result: 'SUCCESS' },
  });
  expect((sent.data as { package: string }).package).toMatch(/^prepay_id=/);

  // The signed notification the sandbox sends is accepted by payNotify behind the gateway.
  await h.deps.sandbox.flush();
  const [delivery] = h.deps.sandbox.deliveries();
  expect(delivery).toMatchObject({
    event_type: 'TRANSACTION.SUCCESS',
    state: 'delivered',
    notify_url: `${config.local.gateway}/http/payNotify`,
  });
  expect(delivery.attempts.map((a) => a.status)).toEqual([204]);
  expect((await h.deps.store.get<{ _id: string; state: string }>('orders', orderId))?.state).toBe('PAID');
  expect(await h.deps.store.count('journal')).toBe(1);
  expect((await verifyLedger(h.deps.store)).ok).toBe(true);
});

test('the sandbox sheet can make the payment fail', async () => {
  sandboxSheet(1);
  const { orderId, result } = await checkout();
  expect(text(find(result, 't-result__title'))).toBe('支付失败');
  // The code is for logs, not for people (it used to be shown as "(PAYMENT.FAILED)").
  expect(text(find(result, 't-result__description'))).toBe('支付未完成，你没有被扣款，请重试');
  expect(text(result)).not.toContain('PAYMENT.FAILED');
  expect(sandboxCalls()[0].data).toMatchObject({ result: 'FAIL' });
  expect((await h.deps.store.get<{ _id: string; state: string }>('orders', orderId))?.state).toBe('PAYING');
});

test('closing the sandbox sheet is a cancel, and nothing reaches the sandbox buyer', async () => {
  sandboxSheet(undefined);
  const { result } = await checkout();
  expect(text(find(result, 't-result__title'))).toBe('已取消支付');
  expect(sandboxCalls().filter((o) => o.url.endsWith('/sandbox/pay'))).toHaveLength(0);
});
