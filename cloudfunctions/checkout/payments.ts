// Paying an order: a JSAPI prepay through PayProvider (reused while it can
// still be paid), returned as signed client parameters for
// wx.requestOrderPayment / wx.requestPayment; and confirming a payment, which
// asks WeChat Pay instead of trusting the client.
import { z } from 'zod';
import type { Payment, PaymentConfirmation } from '../../typings/checkout';
import { assertPayable, isAlreadyPaidCode, type OrderDoc, OrderErrors, orderWrite, prepayExpiry, type PrepayRecord, reusablePrepay } from '../core/domain/order';
import { sandboxUrl } from '../core/adapters/wechatpay';
import { PayError } from '../core/ports/pay';
import { action } from '../core/runtime/action';
import { syncPayment } from './apply-transaction';
import { providerFailure } from './provider-errors';
import { orderInfoOf } from './dto';
import { assertServiceOpen, boundMerchant } from './merchant';
import { orderId, ownOrder } from './orders';

export const paymentActions = {
  pay: action({
    roles: ['buyer', 'admin'],
    input: z.object({ orderId }).strict(),
    async handler(input, ctx): Promise<Payment> {
      const { deps, log } = ctx;
      assertServiceOpen();
      const order = await ownOrder(ctx, input.orderId);
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
        const saved = await deps.store.update('orders', order._id, orderWrite({ set: { state: 'PAYING', prepay, updatedAt: now.toISOString() } }), { state: { $in: ['CREATED', 'PAYING'] } });
        if (!saved) {
          // Paid or closed while we were asking WeChat Pay.
          assertPayable((await deps.store.get<OrderDoc>('orders', order._id))!, now);
        }
      }
      return {
        orderId: order._id,
        totalFen: order.totalFen,
        params: deps.pay.clientParams(order.appid, prepay.prepayId),
        orderInfo: orderInfoOf(order),
        expiresAt: prepay.expiresAt,
        // Local mode pays through the sandbox: tell the app where its buyer is.
        ...(deps.config.mode === 'local' ? { sandbox: { payUrl: `${sandboxUrl()}/sandbox/pay` } } : {}),
      };
    },
  }),

  /**
   * The app calls this after the payment sheet closes: an unpaid order is
   * checked with WeChat Pay, so the answer never rests on the client's word
   * and does not wait for the notification.
   */
  confirmPayment: action({
    roles: ['buyer', 'admin'],
    input: z.object({ orderId }).strict(),
    async handler(input, ctx): Promise<PaymentConfirmation> {
      let order = await ownOrder(ctx, input.orderId);
      if (order.state === 'PAYING') {
        try {
          await syncPayment(ctx.deps, order);
        } catch (err) {
          // The notification or the next poll will tell; report what we know now.
          ctx.log.warn({ err, orderId: order._id }, 'payment query failed');
        }
        order = (await ctx.deps.store.get<OrderDoc>('orders', order._id))!;
      }
      return { orderId: order._id, state: order.state, paidAt: order.paidAt ?? null };
    },
  }),
};
