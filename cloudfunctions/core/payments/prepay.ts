// Paying an order: a JSAPI prepay through PayProvider (reused while it can
// still be paid), returned as signed client parameters for wx.requestPayment
// (or wx.requestOrderPayment where the registration declares the mini program
// enrolled: `orderPayment`); and confirming a payment, which asks WeChat Pay
// instead of trusting the client.
import type { Payment, PaymentConfirmation } from '../../../typings/checkout';
import { sandboxUrl } from '../adapters/wechatpay';
import {
  assertPayable,
  isAlreadyPaidCode,
  type OrderDoc,
  OrderErrors,
  orderWrite,
  prepayExpiry,
  type PrepayRecord,
  reusablePrepay,
} from '../domain/order';
import { boundMerchant } from '../merchants/merchant';
import { PayError } from '../ports/pay';
import type { CallContext } from '../runtime/action';
import { syncPayment } from './apply-transaction';
import { ownOrder } from './orders';
import { providerFailure } from './provider-errors';
import { assertServiceOpen, usesOrderPayment } from './service-status';
import { mustGet } from '../ports/store';

export async function payOrder(ctx: CallContext, orderId: string): Promise<Payment> {
  const { deps, log } = ctx;
  assertServiceOpen();
  const order = await ownOrder(ctx, orderId);
  const now = deps.clock.now();
  assertPayable(order, now);
  await boundMerchant(deps, order.appid);

  let prepay: PrepayRecord | null = reusablePrepay(order, now);
  if (!prepay) {
    const expireAt = prepayExpiry(order, now);
    let prepayId: string;
    try {
      ({ prepayId } = await deps.pay.prepay({
        subMchid: order.subMchid,
        subAppid: order.appid,
        openid: order.buyerOpenid,
        outTradeNo: order._id,
        description: order.description,
        totalFen: order.totalFen,
        notifyUrl: deps.config.notifyUrl,
        expireAt,
      }));
    } catch (err) {
      // Paid already (a lost notification): credit it now and say so.
      if (err instanceof PayError && isAlreadyPaidCode(err.code)) {
        await syncPayment(deps, order);
        throw OrderErrors.alreadyPaid();
      }
      if (err instanceof PayError && err.code === 'ORDER_CLOSED') throw OrderErrors.closed();
      providerFailure(err, log);
    }
    prepay = { prepayId, createdAt: now.toISOString(), expiresAt: expireAt.toISOString() };
    const saved = await deps.store.update(
      'orders',
      order._id,
      orderWrite({ set: { state: 'PAYING', prepay, updatedAt: now.toISOString() } }),
      { state: { $in: ['CREATED', 'PAYING'] } },
    );
    if (!saved) {
      // Paid or closed while we were asking WeChat Pay.
      assertPayable(await mustGet<OrderDoc>(deps.store, 'orders', order._id), now);
    }
  }
  return {
    orderId: order._id,
    totalFen: order.totalFen,
    params: deps.pay.clientParams(order.appid, prepay.prepayId),
    // No orderInfo is prepared: wx.requestOrderPayment documents it as optional,
    // "订单信息，仅在需要校验的场景下需要传递" (only for the transaction component's
    // checked scenes, which this product does not join),
    // https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestOrderPayment.html
    orderPayment: usesOrderPayment(ctx.miniProgram),
    expiresAt: prepay.expiresAt,
    // Local mode pays through the sandbox: tell the app where its buyer is.
    ...(deps.config.mode === 'local' ? { sandbox: { payUrl: `${sandboxUrl()}/sandbox/pay` } } : {}),
  };
}

/**
 * The app calls this after the payment sheet closes: an unpaid order is
 * checked with WeChat Pay, so the answer never rests on the client's word
 * and does not wait for the notification.
 */
export async function confirmPayment(ctx: CallContext, orderId: string): Promise<PaymentConfirmation> {
  let order = await ownOrder(ctx, orderId);
  if (order.state === 'PAYING') {
    try {
      await syncPayment(ctx.deps, order);
    } catch (err) {
      // The notification or the next poll will tell; report what we know now.
      ctx.log.warn({ err, orderId: order._id }, 'payment query failed');
    }
    order = await mustGet<OrderDoc>(ctx.deps.store, 'orders', order._id);
  }
  return { orderId: order._id, state: order.state, paidAt: order.paidAt ?? null };
}
