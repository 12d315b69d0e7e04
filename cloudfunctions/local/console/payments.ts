// The payments tab: the catalogue, the latest orders with their refunds (as
// the merchant admin sees them: orderDto/refundDto, the buyer masked) next to
// what WeChat Pay (the sandbox) holds, with the buyer's and WeChat's buttons,
// and the payment anomalies recorded for review.
import type { ProductDoc } from '../../core/domain/catalogue';
import { maskMchid } from '../../core/domain/mask';
import type { OrderDoc } from '../../core/domain/order';
import type { RefundDoc } from '../../core/domain/refund';
import type { AnomalyDoc } from '../../core/payments/anomalies';
import { orderDto, refundDto } from '../../core/payments/views';
import { type OrderDoc as WxOrderDoc, orderKey } from '../sandbox/payments';
import type { RefundDoc as WxRefundDoc } from '../sandbox/refunds';
import type { PageCtx } from './context';
import {
  actionForm,
  actions,
  code,
  fen,
  type Html,
  html,
  json,
  nothing,
  remoteTag,
  section,
  stateTag,
  table,
  time,
  type WideRow,
} from './views';

export async function paymentsTab(ctx: PageCtx): Promise<Html> {
  return html`${await catalogue(ctx)}${await orders(ctx)}${await anomalies(ctx)}`;
}

async function catalogue(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const page = await ctx.env.deps.store.find<ProductDoc>('products', {
    where: { appid: ctx.appid },
    orderBy: [['createdAt', 'desc']],
    limit: 50,
  });
  return section(
    'catalogue',
    m.secCatalogue,
    table(
      [m.colProduct, m.colPrice, m.colActive, m.created],
      page.items.map((p) => [html`${p.name}`, fen(p.priceFen), html`${p.active ? m.yes : m.no}`, time(p.createdAt)]),
      m.none,
    ),
  );
}

async function orders(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const { store } = ctx.env.deps;
  const page = await store.find<OrderDoc>('orders', {
    where: { appid: ctx.appid },
    orderBy: [['createdAt', 'desc']],
    limit: 20,
  });
  const rows: Array<Html[] | WideRow> = [];
  for (const doc of page.items) {
    const order = orderDto(doc, 'admin', ctx.now);
    // The order as WeChat Pay holds it (what its query by out_trade_no answers).
    const wx = ctx.env.sandbox.ctx.state.get<WxOrderDoc>('order', orderKey(doc.subMchid, doc._id));
    const refunds =
      doc.state === 'PAID'
        ? (
            await store.find<RefundDoc>('refunds', {
              where: { orderId: doc._id },
              orderBy: [['createdAt', 'desc']],
              limit: 20,
            })
          ).items
        : [];
    const payable = order.payable && doc.prepay && wx && ['NOTPAY', 'PAYERROR', 'USERPAYING'].includes(wx.trade_state);
    rows.push([
      html`<code>${doc._id}</code><br><span class="muted">${doc.description}</span>`,
      html`${stateTag(ctx, 'order', order.state)}${wx ? remoteTag(ctx, 'trade', wx.trade_state) : nothing}`,
      fen(order.totalFen),
      fen(order.merchant?.feeFen),
      fen(order.refundedFen),
      code(order.merchant?.buyer),
      time(order.createdAt),
      html`${time(order.paidAt)}${order.merchant?.settlementState ? html`<br>${stateTag(ctx, 'settlement', order.merchant.settlementState)}` : nothing}`,
      payable
        ? actions([
            actionForm(ctx, 'pay', { order: doc._id, result: 'SUCCESS', at: 'orders' }, m.payAsBuyer, {
              tone: 'primary',
            }),
            actionForm(ctx, 'pay', { order: doc._id, result: 'FAIL', at: 'orders' }, m.failAsBuyer),
          ])
        : nothing,
    ]);
    if (refunds.length) rows.push({ wide: html`<div class="nested">${refundTable(ctx, refunds)}</div>` });
  }
  return section(
    'orders',
    m.secOrders,
    table(
      [m.colOrder, m.state, m.colTotal, m.colFee, m.colRefunded, m.colBuyer, m.created, m.colPaid, m.actionsCol],
      rows,
      m.none,
    ),
    m.ordersNote,
  );
}

function refundTable(ctx: PageCtx, refunds: RefundDoc[]): Html {
  const { m } = ctx;
  const rows = refunds.map((doc) => {
    const r = refundDto(doc);
    const wx = ctx.env.sandbox.ctx.state.list<WxRefundDoc>('refund', {
      out_refund_no: doc._id,
      merchant: doc.subMchid,
    })[0];
    const open = wx && (wx.status === 'PROCESSING' || wx.status === 'ABNORMAL');
    const force = (status: string, label: string, tone: 'primary' | 'plain' = 'plain') =>
      actionForm(ctx, 'refund', { refund: doc._id, status, at: 'orders' }, label, { tone });
    return [
      code(r.id),
      fen(r.amountFen),
      html`${stateTag(ctx, 'refund', r.state)}${wx ? remoteTag(ctx, 'refund', wx.status) : nothing}`,
      html`${r.reason ?? ''}${r.failure ? html`<br><span class="reason">${r.failure.code}: ${r.failure.message}</span>` : nothing}`,
      time(r.createdAt),
      time(r.successTime),
      open
        ? actions([
            force('SUCCESS', m.refundSuccess, 'primary'),
            ...(wx.status === 'PROCESSING' ? [force('ABNORMAL', m.refundAbnormal)] : []),
            force('CLOSED', m.refundClosed),
          ])
        : nothing,
    ];
  });
  return html`<h4>${m.refundsOf}</h4>${table(
    [m.colRefund, m.colAmount, m.state, m.colReason, m.colRequested, m.colCompleted, m.actionsCol],
    rows,
    m.none,
  )}`;
}

/** Anomaly details with every merchant id masked, as the app masks them. */
export function maskDetail(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskDetail);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const aboutMchid = typeof obj.field === 'string' && /mchid/i.test(obj.field);
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => [
      k,
      typeof v === 'string' && (/mchid/i.test(k) || (aboutMchid && k !== 'field')) ? maskMchid(v) : maskDetail(v),
    ]),
  );
}

async function anomalies(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  // Read by id (the collection has no other index) and kept to this mini program.
  const page = await ctx.env.deps.store.find<AnomalyDoc>('paymentAnomalies', { limit: 100 });
  const mine = page.items.filter((a) => a.appid === ctx.appid);
  return section(
    'anomalies',
    m.secAnomalies,
    table(
      [m.colKind, m.colOrder, m.colSource, m.colSeen, m.colFirst, m.colLast, m.colDetail],
      mine.map((a) => [
        html`<span class="tag bad">${a.kind}</span>`,
        html`${code(a.orderId)}${a.refundId ? html`<br>${code(a.refundId)}` : nothing}`,
        html`${a.source}`,
        html`${a.seen}`,
        time(a.createdAt),
        time(a.lastSeenAt),
        json(maskDetail(a.detail)),
      ]),
      m.none,
    ),
  );
}
