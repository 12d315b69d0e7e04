// The requestOrderPayment shim through the whole stack (services -> wx.cloud
// -> the checkout function -> the WeChat Pay adapter -> the sandbox). Only
// the WeChat client's payment APIs are faked; whatever they report, the
// result is what the backend confirms.
import { verifyClientPaySign } from '../../../cloudfunctions/core/adapters/wechatpay/crypto';
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import { dispatchCreateOrder, dispatchPay, fetchProducts } from '../../../miniprogram/services/checkout';
import { PaymentCodes, paymentPath, requestOrderPayment } from '../../../miniprogram/services/payment';
import { newIdempotencyKey } from '../../../miniprogram/services/transport';
import type { Payment } from '../../../typings/checkout';
import { speak, useHarness } from '../harness';
import { bindMerchant, enrolForOrderPayment, fakeWechatClient, refuseWechatApi } from './support';

const h = useHarness();
const fast = { confirmDelaysMs: [0, 5, 5, 5] };

/** An order's payment; `enrolled` declares the demo mini program enrolled for order payment first. */
async function newPayment(enrolled = false): Promise<Payment> {
  if (!(await h.deps.store.get('merchants', DEMO_APPID))) await bindMerchant(h.deps);
  if (enrolled) enrolForOrderPayment(h.deps);
  const { items } = await fetchProducts();
  const order = await dispatchCreateOrder([{ productId: items[0].id, quantity: 1 }], newIdempotencyKey());
  return dispatchPay(order.id);
}

const orderState = async (id: string) => (await h.deps.store.get<{ _id: string; state: string }>('orders', id))?.state;

/** What the app passed to a payment API, callbacks left out. */
function sentTo(api: jest.Mock, call = 0): Payment['params'] {
  const { success, fail, complete, ...sent } = api.mock.calls[call][0];
  void success;
  void fail;
  void complete;
  return sent;
}

/** A copy of wx.requestOrderPayment taken away for one test (a client without the API), then put back. */
async function withoutOrderPaymentApi(run: () => Promise<void>): Promise<void> {
  const g = wx as unknown as Record<string, unknown>;
  const saved = g.requestOrderPayment;
  g.requestOrderPayment = undefined;
  try {
    await run();
  } finally {
    g.requestOrderPayment = saved;
  }
}

test('the path: regular WeChat Pay unless the mini program is declared enrolled and the client has the API', async () => {
  expect(paymentPath(false)).toBe('requestPayment');
  expect(paymentPath(true)).toBe('requestOrderPayment');
  (wx.canIUse as jest.Mock).mockReturnValue(false);
  expect(paymentPath(true)).toBe('requestPayment');
  expect(wx.canIUse).toHaveBeenCalledWith('requestOrderPayment');
  (wx.canIUse as jest.Mock).mockReturnValue(true);
  await withoutOrderPaymentApi(async () => {
    expect(paymentPath(true)).toBe('requestPayment');
  });
});

test('by default the prepay says so and wx.requestPayment gets exactly the signed parameters', async () => {
  const payment = await newPayment();
  expect(payment.orderPayment).toBe(false);
  const api = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const result = await requestOrderPayment(payment, fast);
  expect(result).toEqual({ status: 'paid', orderId: payment.orderId, paidAt: h.deps.clock.now().toISOString() });
  expect(api).toHaveBeenCalledTimes(1);
  expect(sentTo(api)).toEqual(payment.params);
  expect(verifyClientPaySign(sentTo(api), DEMO_APPID, h.deps.sandbox.keys.merchantPublicKey)).toBe(true);
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(h.callsTo('checkout', 'confirmPayment')).toHaveLength(1);
  expect(await orderState(payment.orderId)).toBe('PAID');
});

test('enrolled: wx.requestOrderPayment with the documented parameters only (no orderInfo); paid is confirmed by the backend', async () => {
  const payment = await newPayment(true);
  expect(payment.orderPayment).toBe(true);
  const api = fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const result = await requestOrderPayment(payment, fast);
  expect(result).toEqual({ status: 'paid', orderId: payment.orderId, paidAt: h.deps.clock.now().toISOString() });
  expect(api).toHaveBeenCalledTimes(1);
  // timeStamp, nonceStr, package, signType, paySign: nothing else.
  expect(sentTo(api)).toEqual(payment.params);
  expect(Object.keys(sentTo(api)).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
  expect(verifyClientPaySign(sentTo(api), DEMO_APPID, h.deps.sandbox.keys.merchantPublicKey)).toBe(true);
  expect(wx.requestPayment).not.toHaveBeenCalled();
  expect(await orderState(payment.orderId)).toBe('PAID');
});

test('enrolled, but this client lacks wx.requestOrderPayment: wx.requestPayment', async () => {
  const payment = await newPayment(true);
  const api = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  await withoutOrderPaymentApi(async () => {
    expect((await requestOrderPayment(payment, fast)).status).toBe('paid');
  });
  expect(sentTo(api)).toEqual(payment.params);
  (wx.canIUse as jest.Mock).mockImplementation((what: string) => what !== 'requestOrderPayment');
  const again = await newPayment(true);
  expect((await requestOrderPayment(again, fast)).status).toBe('paid');
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  expect(api).toHaveBeenCalledTimes(2);
});

test.each([
  'requestOrderPayment:fail jsapi has no permission, event=requestOrderPayment, runningState=foreground, permissionMsg=permission got, detail=jsapi has no permission',
  'requestOrderPayment:fail no permission',
  'requestOrderPayment:fail :access denied, appId=wxd0c0ffee5a1e5a1e',
  'requestOrderPayment:fail api not supported',
])('enrolled, but "%s": the same signed parameters through wx.requestPayment', async (errMsg) => {
  const payment = await newPayment(true);
  const refused = refuseWechatApi('requestOrderPayment', errMsg);
  const api = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  expect((await requestOrderPayment(payment, fast)).status).toBe('paid');
  expect(refused).toHaveBeenCalledTimes(1);
  expect(api).toHaveBeenCalledTimes(1);
  expect(sentTo(api)).toEqual(sentTo(refused));
  expect(sentTo(api)).toEqual(payment.params);
  expect(await orderState(payment.orderId)).toBe('PAID');
});

test('enrolled: a cancel at the order-payment sheet is a cancel, never a second sheet', async () => {
  const payment = await newPayment(true);
  fakeWechatClient(h.deps, 'requestOrderPayment', 'cancel');
  expect(await requestOrderPayment(payment, fast)).toEqual({ status: 'cancelled', orderId: payment.orderId });
  expect(wx.requestPayment).not.toHaveBeenCalled();
});

test('enrolled: any other failure is reported, not retried with wx.requestPayment', async () => {
  const payment = await newPayment(true);
  fakeWechatClient(h.deps, 'requestOrderPayment', 'fail');
  expect(await requestOrderPayment(payment, fast)).toMatchObject({ status: 'failed', code: PaymentCodes.FAILED });
  expect(wx.requestPayment).not.toHaveBeenCalled();
  // After a fallback, the regular sheet's own cancel is the answer.
  refuseWechatApi('requestOrderPayment', 'requestOrderPayment:fail no permission');
  fakeWechatClient(h.deps, 'requestPayment', 'cancel');
  expect(await requestOrderPayment(payment, fast)).toEqual({ status: 'cancelled', orderId: payment.orderId });
});

test('the client saying "ok" is not enough: unconfirmed after polling is a failure with its own code', async () => {
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestPayment', 'claim-success-without-paying');
  const result = await requestOrderPayment(payment, fast);
  expect(result).toMatchObject({
    status: 'failed',
    orderId: payment.orderId,
    code: PaymentCodes.UNCONFIRMED,
    message: '暂未确认支付结果，请稍后在订单中查看',
  });
  expect(h.callsTo('checkout', 'confirmPayment')).toHaveLength(4);
  expect(await orderState(payment.orderId)).toBe('PAYING');
});

test('a cancel is a cancel, unless the money moved anyway', async () => {
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestPayment', 'cancel');
  expect(await requestOrderPayment(payment, fast)).toEqual({ status: 'cancelled', orderId: payment.orderId });
  fakeWechatClient(h.deps, 'requestPayment', 'pay-then-cancel');
  expect((await requestOrderPayment(payment, fast)).status).toBe('paid');
});

test('a client failure is failed with a code; a dropped confirmation poll is retried', async () => {
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestPayment', 'fail');
  expect(await requestOrderPayment(payment, fast)).toMatchObject({
    status: 'failed',
    code: PaymentCodes.FAILED,
    message: '支付未完成，你没有被扣款，请重试',
  });
  fakeWechatClient(h.deps, 'requestPayment', 'pay');
  h.failNext(1);
  expect((await requestOrderPayment(payment, fast)).status).toBe('paid');
  expect(h.callsTo('checkout', 'confirmPayment').filter((c) => c.failure)).toHaveLength(1);
});

test('in English, a failure is worded in English', async () => {
  speak('en-US');
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestPayment', 'fail');
  expect(await requestOrderPayment(payment, fast)).toMatchObject({
    status: 'failed',
    message: 'The payment did not go through and you were not charged. Please try again',
  });
});
