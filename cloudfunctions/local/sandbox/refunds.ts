// Domestic refunds: bounded by what is left of the paid amount and by the
// merchant's balance, idempotent by out_refund_no, PROCESSING then SUCCESS
// after a short delay (or ABNORMAL / CLOSED when forced, sandbox-only), with
// a REFUND.* notification at each outcome.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { feeFen, refundFeeFen } from '../../core/domain/fee';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import type { WxRefund } from '../../core/adapters/wechatpay/wire';
import type { RefundStatus } from '../../core/ports/pay';
import type { SandboxContext } from './context';
import { parse, WxError, wx } from './errors';
import { balanceOf, rateOf, requireMerchant } from './merchants';
import { enqueueNotification } from './notify';
import { findByTransactionId, findOrder, markRefunded, type OrderDoc, orderKey } from './payments';

export interface RefundDoc {
  key: string;
  merchant: string;
  mode: 'partner' | 'direct';
  sub_mchid?: string;
  order: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  reason?: string;
  notify_url?: string;
  amount_refund: number;
  amount_total: number;
  /** The share of the payment's fee that comes back with this refund. */
  fee_fen: number;
  status: RefundStatus;
  create_time: string;
  success_time?: string;
}

const refundSchema = z.object({
  sub_mchid: z.string().min(1).max(32).optional(),
  transaction_id: z.string().min(1).max(32).optional(),
  out_trade_no: z.string().min(1).max(32).optional(),
  out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, 'out_refund_no: 1-64 digits, letters, _-|*@'),
  reason: z.string().max(80).optional(),
  notify_url: z
    .string()
    .max(256)
    .refine((u) => /^https?:\/\/[^\s?#]+$/.test(u), 'notify_url must be an absolute URL without query parameters')
    .optional(),
  funds_account: z.string().optional(),
  amount: z.object({ refund: z.number().int().min(1), total: z.number().int().min(1), currency: z.literal('CNY') }),
});

const SUMMARY: Record<RefundStatus, string> = {
  SUCCESS: '退款成功',
  ABNORMAL: '退款异常',
  CLOSED: '退款关闭',
  PROCESSING: '退款处理中',
};

export function refundWire(r: RefundDoc): WxRefund {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.success_time ? { success_time: r.success_time } : {}),
    create_time: r.create_time,
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: r.amount_total,
      refund: r.amount_refund,
      payer_total: r.amount_total,
      payer_refund: r.amount_refund,
      settlement_total: r.amount_total,
      settlement_refund: r.amount_refund,
      discount_refund: 0,
      currency: 'CNY',
    },
  };
}

/** The resource of a REFUND.* notification (refund_status, not status). */
function refundNotice(ctx: SandboxContext, r: RefundDoc): WxRefund {
  const wire = refundWire(r);
  return {
    ...(r.mode === 'partner' ? { sp_mchid: ctx.keys.mchid, sub_mchid: r.sub_mchid } : { mchid: ctx.keys.mchid }),
    refund_id: wire.refund_id,
    out_refund_no: wire.out_refund_no,
    transaction_id: wire.transaction_id,
    out_trade_no: wire.out_trade_no,
    user_received_account: wire.user_received_account,
    ...(wire.success_time ? { success_time: wire.success_time } : {}),
    refund_status: r.status,
    amount: {
      total: r.amount_total,
      refund: r.amount_refund,
      payer_total: r.amount_total,
      payer_refund: r.amount_refund,
    },
  };
}

export function createRefund(ctx: SandboxContext, raw: unknown): WxRefund {
  const b = parse(refundSchema, raw);
  const merchant = b.sub_mchid ? requireMerchant(ctx, b.sub_mchid).sub_mchid : ctx.keys.mchid;
  let order: OrderDoc;
  try {
    if (b.transaction_id) order = findByTransactionId(ctx, merchant, b.transaction_id);
    else if (b.out_trade_no) order = findOrder(ctx, merchant, b.out_trade_no);
    else throw wx.param('transaction_id 与 out_trade_no 必须填写一个', { location: 'body', field: '/out_trade_no' });
  } catch (err) {
    if (err instanceof WxError && err.status === 404) throw wx.notExists('订单不存在');
    throw err;
  }
  const key = orderKey(merchant, b.out_refund_no);
  const existing = ctx.read<RefundDoc>('refund', key);
  if (existing) {
    // Same refund number, same request: the same refund (a retried call must not refund twice).
    if (existing.order !== order.key || existing.amount_refund !== b.amount.refund)
      throw wx.invalid('商户退款单号重复，且与原退款请求参数不一致');
    return refundWire(existing);
  }
  if (order.trade_state !== 'SUCCESS' && order.trade_state !== 'REFUND') throw wx.invalid('订单未支付，不能退款');
  if (b.amount.total !== order.amount_total)
    throw wx.param('amount.total 与原订单金额不一致', {
      location: 'body',
      field: '/amount/total',
      value: b.amount.total,
    });
  const live = ctx.state.list<RefundDoc>('refund', { merchant, order: order.key }).filter((r) => r.status !== 'CLOSED');
  const refunded = live.reduce((sum, r) => sum + r.amount_refund, 0);
  if (b.amount.refund > order.amount_total - refunded)
    throw wx.invalid(`申请退款金额超过订单可退金额（可退 ${order.amount_total - refunded} 分）`);
  // The same cumulative rule as the ledger (refundFeeFen), over the refunds
  // still standing: a CLOSED refund gave its fee share back, like its amount.
  const fee = refundFeeFen(
    {
      totalFen: order.amount_total,
      feeFen: feeFen(order.amount_total, rateOf(ctx, merchant)),
      refundedFen: refunded,
      feeReturnedFen: live.reduce((sum, r) => sum + r.fee_fen, 0),
    },
    b.amount.refund,
  );
  if (balanceOf(ctx, merchant) < b.amount.refund - fee) throw wx.notEnough('商户余额不足，无法退款');
  const doc: RefundDoc = {
    key,
    merchant,
    mode: order.mode,
    ...(order.sub_mchid ? { sub_mchid: order.sub_mchid } : {}),
    order: order.key,
    out_trade_no: order.out_trade_no,
    transaction_id: order.transaction_id ?? '',
    out_refund_no: b.out_refund_no,
    refund_id: ctx.ids.refundId(),
    ...(b.reason ? { reason: b.reason } : {}),
    ...(b.notify_url ? { notify_url: b.notify_url } : {}),
    amount_refund: b.amount.refund,
    amount_total: order.amount_total,
    fee_fen: fee,
    status: 'PROCESSING',
    create_time: rfc3339(ctx.now()),
  };
  ctx.state.transaction(() => {
    ctx.state.put('refund', key, doc, ctx.after(ctx.delays.refundMs));
    markRefunded(ctx, order.key);
  });
  ctx.log('refund accepted', { key, refund: doc.amount_refund });
  return refundWire(doc);
}

export function queryRefund(ctx: SandboxContext, merchant: string, outRefundNo: string): WxRefund {
  const r = ctx.read<RefundDoc>('refund', orderKey(merchant, outRefundNo));
  if (!r) throw wx.notExists('退款单不存在');
  return refundWire(r);
}

function settle(ctx: SandboxContext, r: RefundDoc, status: Exclude<RefundStatus, 'PROCESSING'>): RefundDoc {
  const next: RefundDoc = { ...r, status, ...(status === 'SUCCESS' ? { success_time: rfc3339(ctx.now()) } : {}) };
  ctx.state.transaction(() => {
    ctx.state.put('refund', r.key, next, null);
    if (r.notify_url) {
      enqueueNotification(ctx, {
        notifyUrl: r.notify_url,
        eventType: `REFUND.${status}`,
        summary: SUMMARY[status],
        originalType: 'refund',
        resource: refundNotice(ctx, next),
        ref: `refund:${r.key}`,
      });
    }
  });
  ctx.log('refund settled', { key: r.key, status });
  return next;
}

/** The due transition: the refund reaches the buyer. */
export function advanceRefund(ctx: SandboxContext, key: string): void {
  const r = ctx.state.get<RefundDoc>('refund', key);
  if (r?.status === 'PROCESSING') settle(ctx, r, 'SUCCESS');
  else if (r) ctx.state.put('refund', key, r, null);
}

/** Sandbox-only: force a refund's outcome (PROCESSING -> any; ABNORMAL -> SUCCESS or CLOSED). */
export function forceRefund(
  ctx: SandboxContext,
  outRefundNo: string,
  status: Exclude<RefundStatus, 'PROCESSING'>,
  subMchid?: string,
): WxRefund {
  const matches = ctx.state.list<RefundDoc>('refund', {
    out_refund_no: outRefundNo,
    ...(subMchid ? { merchant: subMchid } : {}),
  });
  if (matches.length !== 1)
    throw matches.length
      ? wx.invalid('several refunds have this number: give sub_mchid')
      : wx.notExists('退款单不存在');
  const r = matches[0];
  const allowed = r.status === 'PROCESSING' || (r.status === 'ABNORMAL' && status !== 'ABNORMAL');
  if (!allowed) throw wx.invalid(`refund is ${r.status}; cannot become ${status}`);
  return refundWire(settle(ctx, r, status));
}

export function refundRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  ctx.advancers.set('refund', advanceRefund);
  app.post('/v3/refund/domestic/refunds', async (request) => createRefund(ctx, request.body));
  app.get<{ Params: { no: string }; Querystring: { sub_mchid?: string } }>(
    '/v3/refund/domestic/refunds/:no',
    async (request) => queryRefund(ctx, request.query.sub_mchid || ctx.keys.mchid, request.params.no),
  );
  app.post<{ Params: { no: string }; Body: { status?: string; sub_mchid?: string } }>(
    '/sandbox/refunds/:no',
    async (request) => {
      const b = parse(
        z.object({ status: z.enum(['SUCCESS', 'ABNORMAL', 'CLOSED']), sub_mchid: z.string().optional() }),
        request.body,
      );
      return forceRefund(ctx, request.params.no, b.status, b.sub_mchid);
    },
  );
}
