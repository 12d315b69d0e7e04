// JSAPI / mini program payments, direct and partner: prepay (idempotent for
// the same out_trade_no and parameters), query by out_trade_no or
// transaction_id, close. The buyer who pays is in buyer.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseRfc3339, rfc3339 } from '../../../miniprogram/shared/beijing';
import type { WxTransaction } from '../../core/adapters/wechatpay/wire';
import type { TradeState } from '../../core/ports/pay';
import type { SandboxContext } from './context';
import { parse, WxError, wx } from './errors';
import { requireMerchant } from './merchants';

/** A prepay_id is valid for two hours. */
export const PREPAY_TTL_MS = 2 * 3600_000;

export const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '未支付',
  CLOSED: '已关闭',
  REVOKED: '已撤销',
  USERPAYING: '用户支付中',
  PAYERROR: '支付失败，请重新下单支付',
};

export interface OrderDoc {
  key: string;
  /** Merchant of record: sub_mchid (partner) or mchid (direct). */
  merchant: string;
  mode: 'partner' | 'direct';
  sp_appid?: string;
  sp_mchid?: string;
  sub_appid?: string;
  sub_mchid?: string;
  appid?: string;
  mchid?: string;
  out_trade_no: string;
  description: string;
  attach?: string;
  notify_url: string;
  time_expire?: string;
  amount_total: number;
  payer: { sp_openid?: string; sub_openid?: string; openid?: string };
  prepay_id: string;
  trade_state: TradeState;
  trade_state_desc: string;
  transaction_id?: string;
  success_time?: string;
  bank_type?: string;
  fingerprint: string;
  created_at: string;
}

export interface PrepayAlias {
  order: string;
  expires_at: number;
}

const outTradeNo = z.string().regex(/^[0-9A-Za-z_\-*]{6,32}$/, 'out_trade_no: 6-32 digits, letters, _ - *');
const notifyUrl = z
  .string()
  .max(256)
  .refine((u) => /^https?:\/\/[^\s?#]+$/.test(u), 'notify_url must be an absolute URL without query parameters');
const amount = z.object({ total: z.number().int().min(1).max(100_000_000_00), currency: z.literal('CNY').optional() });
const common = {
  description: z.string().min(1).max(127),
  out_trade_no: outTradeNo,
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: notifyUrl,
  amount,
};

const partnerPrepaySchema = z.object({
  sp_appid: z.string().min(1).max(32),
  sp_mchid: z.string().min(1).max(32),
  sub_appid: z.string().min(1).max(32).optional(),
  sub_mchid: z.string().min(1).max(32),
  ...common,
  payer: z.object({
    sp_openid: z.string().min(1).max(128).optional(),
    sub_openid: z.string().min(1).max(128).optional(),
  }),
});

const directPrepaySchema = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  ...common,
  payer: z.object({ openid: z.string().min(1).max(128) }),
});

export const orderKey = (merchant: string, no: string): string => `${merchant}|${no}`;

function checkExpiry(ctx: SandboxContext, timeExpire: string | undefined): void {
  if (timeExpire === undefined) return;
  const at = parseRfc3339(timeExpire);
  if (!at)
    throw wx.param('time_expire 应为 rfc3339 格式，如 2026-01-05T10:30:00+08:00', {
      location: 'body',
      field: '/time_expire',
      value: timeExpire,
    });
  if (at.getTime() <= ctx.now().getTime())
    throw wx.param('time_expire 不能早于当前时间', { location: 'body', field: '/time_expire', value: timeExpire });
}

/** Creates the order or, for the same parameters, answers the same prepay (renewed after two hours). */
function placeOrder(
  ctx: SandboxContext,
  fields: Omit<OrderDoc, 'key' | 'prepay_id' | 'trade_state' | 'trade_state_desc' | 'fingerprint' | 'created_at'>,
  fingerprint: string,
): { prepay_id: string } {
  const key = orderKey(fields.merchant, fields.out_trade_no);
  const existing = ctx.read<OrderDoc>('order', key);
  if (existing) {
    if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND')
      throw new WxError(400, 'ORDERPAID', '该订单已支付');
    if (existing.trade_state === 'CLOSED') throw new WxError(400, 'ORDER_CLOSED', '订单已关闭');
    if (existing.fingerprint !== fingerprint)
      throw new WxError(403, 'OUT_TRADE_NO_USED', '商户订单号重复，且参数与原订单不一致');
    const alias = ctx.state.get<PrepayAlias>('prepay', existing.prepay_id);
    if (alias && alias.expires_at > ctx.now().getTime()) return { prepay_id: existing.prepay_id };
    const prepayId = ctx.ids.prepayId();
    ctx.state.put('prepay', prepayId, {
      order: key,
      expires_at: ctx.now().getTime() + PREPAY_TTL_MS,
    } satisfies PrepayAlias);
    ctx.state.put('order', key, { ...existing, prepay_id: prepayId });
    return { prepay_id: prepayId };
  }
  const prepayId = ctx.ids.prepayId();
  const order: OrderDoc = {
    ...fields,
    key,
    prepay_id: prepayId,
    trade_state: 'NOTPAY',
    trade_state_desc: TRADE_STATE_DESC.NOTPAY,
    fingerprint,
    created_at: rfc3339(ctx.now()),
  };
  ctx.state.transaction(() => {
    ctx.state.put('order', key, order);
    ctx.state.put('prepay', prepayId, {
      order: key,
      expires_at: ctx.now().getTime() + PREPAY_TTL_MS,
    } satisfies PrepayAlias);
  });
  ctx.log('order placed', { key, total: order.amount_total });
  return { prepay_id: prepayId };
}

export function prepayPartner(ctx: SandboxContext, raw: unknown): { prepay_id: string } {
  const b = parse(partnerPrepaySchema, raw);
  if (b.sp_mchid !== ctx.keys.mchid)
    throw wx.param('sp_mchid 与发起请求的商户号不一致', { location: 'body', field: '/sp_mchid' });
  if (b.sp_appid !== ctx.keys.appid) throw new WxError(400, 'APPID_MCHID_NOT_MATCH', 'sp_appid 与 sp_mchid 不匹配');
  const m = requireMerchant(ctx, b.sub_mchid);
  if (b.sub_appid !== undefined && !m.appids.includes(b.sub_appid))
    throw wx.param(`sub_appid ${b.sub_appid} 与 sub_mchid ${b.sub_mchid} 不匹配`, {
      location: 'body',
      field: '/sub_appid',
    });
  if (!b.payer.sp_openid && !b.payer.sub_openid)
    throw wx.param('payer.sp_openid 与 payer.sub_openid 必须填写一个', { location: 'body', field: '/payer' });
  if (b.payer.sub_openid && !b.sub_appid)
    throw wx.param('传 sub_openid 时 sub_appid 必填', { location: 'body', field: '/sub_appid' });
  checkExpiry(ctx, b.time_expire);
  return placeOrder(
    ctx,
    {
      merchant: b.sub_mchid,
      mode: 'partner',
      sp_appid: b.sp_appid,
      sp_mchid: b.sp_mchid,
      ...(b.sub_appid ? { sub_appid: b.sub_appid } : {}),
      sub_mchid: b.sub_mchid,
      ...orderFields(b),
    },
    JSON.stringify(b),
  );
}

/** The order fields both prepay modes share, as the sandbox stores them. */
function orderFields(b: {
  out_trade_no: string;
  description: string;
  attach?: string;
  notify_url: string;
  time_expire?: string;
  amount: { total: number };
  payer: OrderDoc['payer'];
}) {
  return {
    out_trade_no: b.out_trade_no,
    description: b.description,
    ...(b.attach !== undefined ? { attach: b.attach } : {}),
    notify_url: b.notify_url,
    ...(b.time_expire ? { time_expire: b.time_expire } : {}),
    amount_total: b.amount.total,
    payer: b.payer,
  };
}

export function prepayDirect(ctx: SandboxContext, raw: unknown): { prepay_id: string } {
  const b = parse(directPrepaySchema, raw);
  if (b.mchid !== ctx.keys.mchid)
    throw wx.param('mchid 与发起请求的商户号不一致', { location: 'body', field: '/mchid' });
  if (b.appid !== ctx.keys.appid) throw new WxError(400, 'APPID_MCHID_NOT_MATCH', 'appid 与 mchid 不匹配');
  checkExpiry(ctx, b.time_expire);
  return placeOrder(
    ctx,
    {
      merchant: b.mchid,
      mode: 'direct',
      appid: b.appid,
      mchid: b.mchid,
      ...orderFields(b),
    },
    JSON.stringify(b),
  );
}

/** The transaction as WeChat answers queries and notifies it. */
export function transactionWire(o: OrderDoc): WxTransaction {
  const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
  return {
    ...(o.mode === 'partner'
      ? {
          sp_appid: o.sp_appid,
          sp_mchid: o.sp_mchid,
          ...(o.sub_appid ? { sub_appid: o.sub_appid } : {}),
          sub_mchid: o.sub_mchid,
        }
      : { appid: o.appid, mchid: o.mchid }),
    out_trade_no: o.out_trade_no,
    ...(o.transaction_id ? { transaction_id: o.transaction_id } : {}),
    trade_type: 'JSAPI',
    trade_state: o.trade_state,
    trade_state_desc: o.trade_state_desc,
    ...(o.bank_type ? { bank_type: o.bank_type } : {}),
    ...(o.attach !== undefined ? { attach: o.attach } : {}),
    ...(o.success_time ? { success_time: o.success_time } : {}),
    payer: o.payer,
    amount: {
      total: o.amount_total,
      ...(paid ? { payer_total: o.amount_total } : {}),
      currency: 'CNY',
      payer_currency: 'CNY',
    },
  };
}

export function findOrder(ctx: SandboxContext, merchant: string, no: string): OrderDoc {
  const o = ctx.read<OrderDoc>('order', orderKey(merchant, no));
  if (!o) throw wx.orderNotExist();
  return o;
}

export function findByTransactionId(ctx: SandboxContext, merchant: string, transactionId: string): OrderDoc {
  const alias = ctx.state.get<{ order: string }>('txn', transactionId);
  const o = alias ? ctx.read<OrderDoc>('order', alias.order) : null;
  if (!o || o.merchant !== merchant) throw wx.orderNotExist();
  return o;
}

export function closeOrder(ctx: SandboxContext, merchant: string, no: string): void {
  const o = findOrder(ctx, merchant, no);
  if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND')
    throw new WxError(400, 'ORDERPAID', '订单已支付，不能关闭');
  if (o.trade_state === 'CLOSED') return;
  ctx.state.put('order', o.key, { ...o, trade_state: 'CLOSED', trade_state_desc: TRADE_STATE_DESC.CLOSED });
}

export function markRefunded(ctx: SandboxContext, key: string): void {
  const o = ctx.state.get<OrderDoc>('order', key);
  if (o && o.trade_state === 'SUCCESS')
    ctx.state.put('order', key, { ...o, trade_state: 'REFUND', trade_state_desc: TRADE_STATE_DESC.REFUND });
}

// ---- routes ---------------------------------------------------------------------------

type Q = Record<string, string | undefined>;

function partnerMerchant(ctx: SandboxContext, q: Q): string {
  if (q.sp_mchid !== ctx.keys.mchid)
    throw wx.param('sp_mchid 缺失或与发起请求的商户号不一致', { location: 'query', field: 'sp_mchid' });
  if (!q.sub_mchid) throw wx.param('sub_mchid 必填', { location: 'query', field: 'sub_mchid' });
  return q.sub_mchid;
}

function directMerchant(ctx: SandboxContext, q: Q): string {
  if (q.mchid !== ctx.keys.mchid)
    throw wx.param('mchid 缺失或与发起请求的商户号不一致', { location: 'query', field: 'mchid' });
  return q.mchid;
}

export function paymentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/v3/pay/partner/transactions/jsapi', async (request) => prepayPartner(ctx, request.body));
  app.post('/v3/pay/transactions/jsapi', async (request) => prepayDirect(ctx, request.body));

  app.get<{ Params: { no: string }; Querystring: Q }>(
    '/v3/pay/partner/transactions/out-trade-no/:no',
    async (request) => transactionWire(findOrder(ctx, partnerMerchant(ctx, request.query), request.params.no)),
  );
  app.get<{ Params: { id: string }; Querystring: Q }>('/v3/pay/partner/transactions/id/:id', async (request) =>
    transactionWire(findByTransactionId(ctx, partnerMerchant(ctx, request.query), request.params.id)),
  );
  app.get<{ Params: { no: string }; Querystring: Q }>('/v3/pay/transactions/out-trade-no/:no', async (request) =>
    transactionWire(findOrder(ctx, directMerchant(ctx, request.query), request.params.no)),
  );
  app.get<{ Params: { id: string }; Querystring: Q }>('/v3/pay/transactions/id/:id', async (request) =>
    transactionWire(findByTransactionId(ctx, directMerchant(ctx, request.query), request.params.id)),
  );

  app.post<{ Params: { no: string } }>(
    '/v3/pay/partner/transactions/out-trade-no/:no/close',
    async (request, reply) => {
      const b = parse(z.object({ sp_mchid: z.string(), sub_mchid: z.string() }), request.body);
      closeOrder(ctx, partnerMerchant(ctx, b), request.params.no);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: { no: string } }>('/v3/pay/transactions/out-trade-no/:no/close', async (request, reply) => {
    const b = parse(z.object({ mchid: z.string() }), request.body);
    closeOrder(ctx, directMerchant(ctx, b), request.params.no);
    return reply.code(204).send();
  });
}
