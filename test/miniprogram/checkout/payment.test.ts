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
import { bindMerchant, fakeWechatClient } from './support';

const h = useHarness();
const fast = { service: 'active' as const, confirmDelaysMs: [0, 5, 5, 5] };

async function newPayment(): Promise<Payment> {
  await bindMerchant(h.deps);
  const { items } = await fetchProducts();
  const order = await dispatchCreateOrder([{ productId: items[0].id, quantity: 1 }], newIdempotencyKey());
  return dispatchPay(order.id);
}

const orderState = async (id: string) => (await h.deps.store.get<{ _id: string; state: string }>('orders', id))?.state;

test('the path: order payment while active and supported, regular WeChat Pay otherwise', () => {
  expect(paymentPath('active')).toBe('requestOrderPayment');
  expect(paymentPath('discontinued')).toBe('requestPayment');
  (wx.canIUse as jest.Mock).mockReturnValue(false);
  expect(paymentPath('active')).toBe('requestPayment');
  expect(wx.canIUse).toHaveBeenCalledWith('requestOrderPayment');
});

test('requestOrderPayment gets the signed parameters and the order info; paid is confirmed by the backend', async () => {
  const payment = await newPayment();
  const api = fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  const result = await requestOrderPayment(payment, fast);
  expect(result).toEqual({ status: 'paid', orderId: payment.orderId, paidAt: h.deps.clock.now().toISOString() });
  expect(api).toHaveBeenCalledTimes(1);
  const sent = api.mock.calls[0][0];
  expect(sent).toMatchObject({ ...payment.params, orderInfo: payment.orderInfo });
  expect(verifyClientPaySign(sent, DEMO_APPID, h.deps.sandbox.keys.merchantPublicKey)).toBe(true);
  expect(wx.requestPayment).not.toHaveBeenCalled();
  expect(h.callsTo('checkout', 'confirmPayment')).toHaveLength(1);
  expect(await orderState(payment.orderId)).toBe('PAID');
});

test('discontinued: wx.requestPayment with exactly the pay parameters', async () => {
  const payment = await newPayment();
  const api = fakeWechatClient(h.deps, 'requestPayment', 'pay');
  const result = await requestOrderPayment(payment, { ...fast, service: 'discontinued' });
  expect(result.status).toBe('paid');
  const { success, fail, ...sent } = api.mock.calls[0][0];
  void success;
  void fail;
  expect(sent).toEqual(payment.params);
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
});

test('the client saying "ok" is not enough: unconfirmed after polling is a failure with its own code', async () => {
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestOrderPayment', 'claim-success-without-paying');
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
  fakeWechatClient(h.deps, 'requestOrderPayment', 'cancel');
  expect(await requestOrderPayment(payment, fast)).toEqual({ status: 'cancelled', orderId: payment.orderId });
  fakeWechatClient(h.deps, 'requestOrderPayment', 'pay-then-cancel');
  expect((await requestOrderPayment(payment, fast)).status).toBe('paid');
});

test('a client failure is failed with a code; a dropped confirmation poll is retried', async () => {
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestOrderPayment', 'fail');
  expect(await requestOrderPayment(payment, fast)).toMatchObject({
    status: 'failed',
    code: PaymentCodes.FAILED,
    message: '支付未完成，你没有被扣款，请重试',
  });
  fakeWechatClient(h.deps, 'requestOrderPayment', 'pay');
  h.failNext(1);
  expect((await requestOrderPayment(payment, fast)).status).toBe('paid');
  expect(h.callsTo('checkout', 'confirmPayment').filter((c) => c.failure)).toHaveLength(1);
});

test('in English, a failure is worded in English', async () => {
  speak('en-US');
  const payment = await newPayment();
  fakeWechatClient(h.deps, 'requestOrderPayment', 'fail');
  expect(await requestOrderPayment(payment, fast)).toMatchObject({
    status: 'failed',
    message: 'The payment did not go through and you were not charged. Please try again',
  });
});
