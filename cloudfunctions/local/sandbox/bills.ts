// Trade bills in WeChat's CSV format: a header, one row per payment (by
// success time) and per refund (by the time it was accepted) on the Beijing
// day, each field prefixed with a backtick, amounts in yuan (fees to five
// decimals, as WeChat prints them), then the summary header and line. Fees
// use the product's one rounding rule (feeFen) at the sub-merchant's rate; a
// refund row carries the fee share returned, negative: the refund's fee_fen,
// fixed when it was accepted by the ledger's cumulative rule (refundFeeFen). A bill is generated
// once, the first time it is asked for after 10:00 the next day, and then
// served as that snapshot (like WeChat's). No rows: NO_STATEMENT_EXIST.
import type { FastifyInstance } from 'fastify';
import zlib from 'node:zlib';
import { z } from 'zod';
import { sha1Hex } from '../../core/adapters/wechatpay/crypto';
import { beijingDate, beijingDateTime, beijingMidnight } from '../../../miniprogram/shared/beijing';
import { feeFen } from '../../core/domain/fee';
import type { SandboxContext } from './context';
import { parse, WxError, wx } from './errors';
import { rateOf, requireMerchant } from './merchants';
import type { OrderDoc } from './payments';
import type { RefundDoc } from './refunds';

const DAY_MS = 86_400_000;
/** Bills for day D are ready at 10:00 Beijing on D+1. */
const READY_AFTER_MS = DAY_MS + 10 * 3600_000;
const TOKEN_TTL_MS = 5 * 60_000;

export const BILL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const SUMMARY_HEADER =
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

type BillType = 'ALL' | 'SUCCESS' | 'REFUND';

interface BillDoc {
  csv: string;
  sha1: string;
  rows: number;
}

interface TokenDoc {
  bill: string;
  gzip: boolean;
  expires_at: number;
}

/** Integer fen to yuan with `decimals` places (2, or 5 for fees), exactly. */
export function yuan(fen: number, decimals = 2): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}${'0'.repeat(decimals - 2)}`;
}

const ratePercent = (ppm: number): string => `${(ppm / 10_000).toFixed(2)}%`;
/** Free text cannot break the comma-separated line. */
const text = (s: string | undefined): string =>
  (s ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/,/g, '，')
    .replace(/`/g, "'");
const line = (fields: Array<string | number>): string => fields.map((f) => `\`${f}`).join(',');

function inDay(iso: string | undefined, start: number): boolean {
  const t = iso ? Date.parse(iso) : NaN;
  return t >= start && t < start + DAY_MS;
}

export function renderBill(ctx: SandboxContext, date: string, merchant: string | undefined, type: BillType): BillDoc {
  const start = beijingMidnight(date).getTime();
  const where: Record<string, string> = merchant ? { merchant } : {};
  type Row = { at: number; fields: Array<string | number>; settle: number; refund: number; fee: number };
  const rows: Row[] = [];
  const orders = new Map<string, OrderDoc>();
  for (const o of ctx.state.list<OrderDoc>('order', where)) {
    orders.set(o.key, o);
    if (
      type === 'REFUND' ||
      !(o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') ||
      !inDay(o.success_time, start)
    )
      continue;
    const rate = rateOf(ctx, o.merchant);
    const fee = feeFen(o.amount_total, rate);
    rows.push({
      at: Date.parse(o.success_time as string),
      settle: o.amount_total,
      refund: 0,
      fee,
      fields: [
        beijingDateTime(new Date(o.success_time as string)),
        o.sub_appid ?? o.sp_appid ?? o.appid ?? '',
        o.sp_mchid ?? o.mchid ?? '',
        o.sub_mchid ?? '0',
        '',
        o.transaction_id ?? '',
        o.out_trade_no,
        o.payer.sub_openid ?? o.payer.sp_openid ?? o.payer.openid ?? '',
        'JSAPI',
        'SUCCESS',
        o.bank_type ?? 'OTHERS',
        'CNY',
        yuan(o.amount_total),
        yuan(0),
        '0',
        '0',
        yuan(0),
        yuan(0),
        '',
        '',
        text(o.description),
        text(o.attach),
        yuan(fee, 5),
        ratePercent(rate),
        yuan(o.amount_total),
        yuan(0),
        '',
      ],
    });
  }
  if (type !== 'SUCCESS') {
    for (const r of ctx.state.list<RefundDoc>('refund', where)) {
      if (!inDay(r.create_time, start)) continue;
      const o = orders.get(r.order) ?? ctx.state.get<OrderDoc>('order', r.order);
      if (!o) continue;
      rows.push({
        at: Date.parse(r.create_time),
        settle: 0,
        refund: r.amount_refund,
        fee: -r.fee_fen,
        fields: [
          beijingDateTime(new Date(r.create_time)),
          o.sub_appid ?? o.sp_appid ?? o.appid ?? '',
          o.sp_mchid ?? o.mchid ?? '',
          o.sub_mchid ?? '0',
          '',
          r.transaction_id,
          r.out_trade_no,
          o.payer.sub_openid ?? o.payer.sp_openid ?? o.payer.openid ?? '',
          'JSAPI',
          'REFUND',
          o.bank_type ?? 'OTHERS',
          'CNY',
          yuan(0),
          yuan(0),
          r.refund_id,
          r.out_refund_no,
          yuan(r.amount_refund),
          yuan(0),
          'ORIGINAL',
          r.status,
          text(o.description),
          text(o.attach),
          yuan(-r.fee_fen, 5),
          ratePercent(rateOf(ctx, r.merchant)),
          yuan(0),
          yuan(r.amount_refund),
          '',
        ],
      });
    }
  }
  rows.sort((a, b) => a.at - b.at);
  const sum = (pick: (r: Row) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const lines = [
    BILL_HEADER,
    ...rows.map((r) => line(r.fields)),
    SUMMARY_HEADER,
    line([
      rows.length,
      yuan(sum((r) => r.settle)),
      yuan(sum((r) => r.refund)),
      yuan(0),
      yuan(
        sum((r) => r.fee),
        5,
      ),
      yuan(sum((r) => r.settle)),
      yuan(sum((r) => r.refund)),
    ]),
  ];
  const csv = `${lines.join('\r\n')}\r\n`;
  return { csv, sha1: sha1Hex(Buffer.from(csv, 'utf8')), rows: rows.length };
}

const querySchema = z.object({
  bill_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'bill_date: yyyy-MM-DD'),
  sub_mchid: z.string().optional(),
  bill_type: z.enum(['ALL', 'SUCCESS', 'REFUND']).default('ALL'),
  tar_type: z.enum(['GZIP']).optional(),
});

export function requestBill(
  ctx: SandboxContext,
  query: unknown,
  origin: string,
): { hash_type: 'SHA1'; hash_value: string; download_url: string } {
  const q = parse(querySchema, query, 'query');
  let start: number;
  try {
    start = beijingMidnight(q.bill_date).getTime();
  } catch {
    throw wx.param(`bill_date ${q.bill_date} 不是有效日期`, { location: 'query', field: 'bill_date' });
  }
  const now = ctx.now();
  const today = beijingDate(now);
  if (q.bill_date >= today) throw wx.param('只能下载今天以前的账单', { location: 'query', field: 'bill_date' });
  const oldest = new Date(now);
  oldest.setUTCMonth(oldest.getUTCMonth() - 3);
  if (q.bill_date < beijingDate(oldest))
    throw wx.param('仅支持三个月内的账单下载申请', { location: 'query', field: 'bill_date' });
  if (now.getTime() < start + READY_AFTER_MS)
    throw new WxError(400, 'STATEMENT_CREATING', '账单生成中，请在次日10点后再获取');
  if (q.sub_mchid) requireMerchant(ctx, q.sub_mchid);
  const id = `${q.bill_date}|${q.sub_mchid ?? '*'}|${q.bill_type}`;
  let bill = ctx.state.get<BillDoc>('bill', id);
  if (!bill) {
    bill = renderBill(ctx, q.bill_date, q.sub_mchid, q.bill_type);
    ctx.state.put('bill', id, bill);
  }
  if (bill.rows === 0) throw new WxError(400, 'NO_STATEMENT_EXIST', '账单文件不存在（当日无交易）');
  const token = ctx.ids.token();
  ctx.state.put('billtoken', token, {
    bill: id,
    gzip: q.tar_type === 'GZIP',
    expires_at: now.getTime() + TOKEN_TTL_MS,
  } satisfies TokenDoc);
  return { hash_type: 'SHA1', hash_value: bill.sha1, download_url: `${origin}/v3/billdownload/file?token=${token}` };
}

export function downloadBill(ctx: SandboxContext, token: string | undefined): { bytes: Buffer; gzip: boolean } {
  const t = token ? ctx.state.get<TokenDoc>('billtoken', token) : null;
  if (!t || t.expires_at <= ctx.now().getTime()) throw wx.param('下载地址无效或已过期，请重新申请账单');
  const bill = ctx.state.get<BillDoc>('bill', t.bill);
  if (!bill) throw wx.notExists('账单文件不存在');
  const bytes = Buffer.from(bill.csv, 'utf8');
  return { bytes: t.gzip ? zlib.gzipSync(bytes) : bytes, gzip: t.gzip };
}

export function billRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/v3/bill/tradebill', async (request) =>
    requestBill(ctx, request.query, `${request.protocol}://${request.headers.host}`),
  );
  app.get<{ Querystring: { token?: string } }>('/v3/billdownload/file', async (request, reply) => {
    const { bytes, gzip } = downloadBill(ctx, request.query.token);
    return reply.type(gzip ? 'application/x-gzip' : 'application/octet-stream').send(bytes);
  });
}
