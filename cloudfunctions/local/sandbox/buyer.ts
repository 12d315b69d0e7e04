// The sandbox-only buyer at the payment sheet: pays (or fails to pay) with
// the client parameters the mini program got, checked the way the WeChat
// client checks them, and sets off the TRANSACTION.SUCCESS notification.
// POST /sandbox/pay is what the mini program's local mode calls.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { verifyClientPaySign } from '../../core/adapters/wechatpay/crypto';
import { parseRfc3339, rfc3339 } from '../../../miniprogram/shared/beijing';
import type { TradeState } from '../../core/ports/pay';
import type { SandboxContext } from './context';
import { parse, WxError, wx } from './errors';
import { enqueueNotification } from './notify';
import { type OrderDoc, type PrepayAlias, TRADE_STATE_DESC, transactionWire } from './payments';

const buyerSchema = z.object({
  prepay_id: z.string().optional(),
  appid: z.string().optional(),
  timeStamp: z.string().optional(),
  nonceStr: z.string().optional(),
  package: z.string().optional(),
  signType: z.string().optional(),
  paySign: z.string().optional(),
  result: z.enum(['SUCCESS', 'FAIL']).default('SUCCESS'),
});

export type BuyerPayInput = z.input<typeof buyerSchema>;

export interface BuyerPayResult {
  out_trade_no: string;
  trade_state: TradeState;
  transaction_id?: string;
  /** The queued TRANSACTION.SUCCESS delivery. */
  delivery_id?: string;
}

/**
 * The buyer confirms (or fails) the payment sheet. With client parameters,
 * the paySign is verified like the WeChat client does, against the appid the
 * order was placed with; a bare prepay_id is accepted too (developer shortcut).
 */
export function buyerPay(ctx: SandboxContext, raw: unknown): BuyerPayResult {
  const b = parse(buyerSchema, raw);
  const prepayId = b.prepay_id ?? b.package?.replace(/^prepay_id=/, '');
  if (!prepayId) throw wx.param('prepay_id 或 package 必填');
  const alias = ctx.state.get<PrepayAlias>('prepay', prepayId);
  const order = alias ? ctx.read<OrderDoc>('order', alias.order) : null;
  if (!alias || !order) throw wx.notExists('prepay_id 不存在');
  if (b.paySign !== undefined || b.package !== undefined) {
    const candidates = order.mode === 'partner' ? [order.sub_appid, order.sp_appid] : [order.appid];
    const appids = (b.appid ? candidates.filter((a) => a === b.appid) : candidates).filter((a): a is string => !!a);
    const params = {
      timeStamp: b.timeStamp ?? '',
      nonceStr: b.nonceStr ?? '',
      package: b.package ?? `prepay_id=${prepayId}`,
      signType: b.signType,
      paySign: b.paySign ?? '',
    };
    if (!appids.some((appid) => verifyClientPaySign(params, appid, ctx.keys.merchantPublicKey))) {
      throw new WxError(400, 'SIGN_ERROR', '支付验证签名失败 (paySign does not verify for the order appid)');
    }
  }
  if (alias.expires_at <= ctx.now().getTime())
    throw new WxError(400, 'PREPAY_EXPIRED', 'prepay_id 已过期（有效期两小时），请重新下单');
  if (order.trade_state === 'SUCCESS' || order.trade_state === 'REFUND')
    throw new WxError(400, 'ORDERPAID', '该订单已支付');
  if (order.trade_state === 'CLOSED') throw new WxError(400, 'ORDER_CLOSED', '订单已关闭');
  if (order.time_expire && (parseRfc3339(order.time_expire)?.getTime() ?? Infinity) <= ctx.now().getTime()) {
    throw new WxError(400, 'ORDER_EXPIRED', '订单已超过支付截止时间');
  }
  if (b.result === 'FAIL') {
    ctx.state.put('order', order.key, {
      ...order,
      trade_state: 'PAYERROR',
      trade_state_desc: TRADE_STATE_DESC.PAYERROR,
    });
    return { out_trade_no: order.out_trade_no, trade_state: 'PAYERROR' };
  }
  const transactionId = ctx.ids.transactionId();
  const paid: OrderDoc = {
    ...order,
    trade_state: 'SUCCESS',
    trade_state_desc: TRADE_STATE_DESC.SUCCESS,
    transaction_id: transactionId,
    success_time: rfc3339(ctx.now()),
    bank_type: 'OTHERS',
  };
  const delivery = ctx.state.transaction(() => {
    ctx.state.put('order', order.key, paid);
    ctx.state.put('txn', transactionId, { order: order.key });
    return enqueueNotification(ctx, {
      notifyUrl: order.notify_url,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      resource: transactionWire(paid),
      ref: `order:${order.key}`,
    });
  });
  ctx.log('order paid', { key: order.key, transaction_id: transactionId });
  return {
    out_trade_no: order.out_trade_no,
    trade_state: 'SUCCESS',
    transaction_id: transactionId,
    delivery_id: delivery.id,
  };
}

export function buyerRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/sandbox/pay', async (request) => buyerPay(ctx, request.body));
}
