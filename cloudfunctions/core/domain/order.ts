// Orders (pure rules). CREATED -> PAYING (a prepay exists) -> PAID, or
// CLOSED (expired or cancelled). Amounts are computed here from the
// catalogue and are integer fen; the client only says what and how many.
import crypto from 'node:crypto';
import { type FieldProblems, fieldProblem } from '../../../miniprogram/shared/errors';
import { AppError, type Fields } from '../errors';
import type { Transaction } from '../ports/pay';
import type { Doc, Update } from '../ports/store';
import type { ProductDoc } from './catalogue';

export type OrderState = 'CREATED' | 'PAYING' | 'PAID' | 'CLOSED';

/** How much of an order its refunds have taken: none, part, or all of it. */
export type RefundStatus = 'NONE' | 'PARTIAL' | 'FULL';

export interface OrderItem {
  productId: string;
  name: string;
  unitPriceFen: number;
  quantity: number;
  amountFen: number;
}

export interface PrepayRecord {
  prepayId: string;
  createdAt: string;
  /** After this the prepay cannot be paid any more (WeChat's time_expire or prepay lifetime). */
  expiresAt: string;
}

export interface OrderDoc extends Doc {
  appid: string;
  buyerOpenid: string;
  /** The merchant account the order was placed with (sub_mchid); payments for another are refused. */
  subMchid: string;
  state: OrderState;
  items: OrderItem[];
  totalFen: number;
  description: string;
  /** Set when paid: WeChat Pay's fee at the merchant's rate. */
  feeFen?: number;
  /** Refunds taken from the merchant (processing, succeeded or abnormal; closed ones are given back). */
  refundedFen: number;
  /** The part of feeFen those refunds returned (domain/refund.ts). */
  feeReturnedFen: number;
  /**
   * refundStatusOf(this), stored for the merchant's list filter (index appid,
   * state, refundStatus, createdAt): set NONE at creation and by refundedWrite
   * in the very write that moves refundedFen. Orders stored before it lack it;
   * what an order shows is always derived from refundedFen.
   */
  refundStatus?: RefundStatus;
  paidAt?: string;
  transactionId?: string | null;
  /** Set to PENDING when paid; funds' settlement job sets SETTLED. */
  settlementState?: 'PENDING' | 'SETTLED';
  prepay?: PrepayRecord;
  expiresAt: string;
  closedAt?: string;
  closeReason?: 'expired' | 'cancelled' | 'provider_closed';
  createdAt: string;
  updatedAt: string;
  /**
   * Revision: 0 when created, bumped by every write (orderWrite). A reader that
   * matches on it in its conditional update loses to any write since it read,
   * even one in the same millisecond, which `updatedAt` cannot tell apart.
   * Orders stored before revisions lack it (a missing field matches null).
   */
  rev: number;
}

/** Every write to an order goes through this, so its revision moves. */
export function orderWrite(update: Update): Update {
  return { ...update, inc: { ...update.inc, rev: 1 } };
}

/**
 * Whether refunds took none, part or all of the order. refundedFen counts
 * only money actually taken from the merchant (processing, succeeded or
 * abnormal refunds; a closed refund gave its money back), so a refund still
 * processing counts and a closed one does not.
 */
export function refundStatusOf(order: Pick<OrderDoc, 'totalFen' | 'refundedFen'>): RefundStatus {
  if (order.refundedFen <= 0) return 'NONE';
  return order.refundedFen >= order.totalFen ? 'FULL' : 'PARTIAL';
}

/**
 * The order's side of a refund: `amountFen` taken (a refund requested) or
 * given back (negative: a refund closed), with its share of the fee. Moves the
 * running totals and sets the stored refundStatus in the same write. `order`
 * is the order as read inside the same transaction, so the status matches the
 * totals the increments produce.
 */
export function refundedWrite(
  order: Pick<OrderDoc, 'totalFen' | 'refundedFen'>,
  amountFen: number,
  feeReturnedFen: number,
  at: string,
): Update {
  const refundStatus = refundStatusOf({ totalFen: order.totalFen, refundedFen: order.refundedFen + amountFen });
  return orderWrite({
    inc: { refundedFen: amountFen, feeReturnedFen },
    set: { refundStatus, updatedAt: at },
  });
}

/** An unpaid order is closed after this. */
export const ORDER_TTL_MS = 30 * 60 * 1000;
/** WeChat Pay's prepay_id lives two hours. */
export const PREPAY_TTL_MS = 2 * 60 * 60 * 1000;
/** A prepay this close to expiring is not handed out again: the buyer would not finish in time. */
export const PREPAY_REUSE_MARGIN_MS = 60 * 1000;
export const MAX_LINES = 20;
export const MAX_QUANTITY = 99;
/** ¥100,000: well inside WeChat Pay's limits and safe for every fen computation. */
export const MAX_ORDER_FEN = 10_000_000;

export const OrderErrors = {
  serviceUnavailable: () =>
    new AppError('CHECKOUT.SERVICE_UNAVAILABLE', 'Payments are not available right now. Please try again later'),
  notFound: () => new AppError('CHECKOUT.ORDER_NOT_FOUND', 'That order was not found'),
  alreadyPaid: () => new AppError('CHECKOUT.ORDER_PAID', 'This order has already been paid'),
  closed: () => new AppError('CHECKOUT.ORDER_CLOSED', 'This order is closed and can no longer be paid'),
  expired: () => new AppError('CHECKOUT.ORDER_EXPIRED', 'This order expired before it was paid. Please order again'),
  tooLarge: () =>
    new AppError('CHECKOUT.AMOUNT_TOO_LARGE', `An order can be at most ¥${MAX_ORDER_FEN / 100}`, undefined, {
      maxFen: MAX_ORDER_FEN,
    }),
  payRefused: (code: string, message: string) =>
    new AppError('CHECKOUT.PAY_REFUSED', `WeChat Pay refused the payment (${code}): ${message}`, undefined, {
      providerCode: code,
    }),
  providerUnavailable: () =>
    new AppError(
      'CHECKOUT.PROVIDER_UNAVAILABLE',
      "WeChat Pay can't be reached right now. Please try again in a moment",
    ),
  productUnavailable: (fields: Fields) =>
    new AppError('CHECKOUT.PRODUCT_UNAVAILABLE', 'Some items are no longer for sale', fields),
};

/** Stable per (mini program, buyer, idempotency key): a retried create finds the same order. 32 chars, a valid out_trade_no. */
export function orderIdFor(appid: string, openid: string, key: string): string {
  return `O${crypto.createHash('sha256').update(`order\n${appid}\n${openid}\n${key}`).digest('hex').slice(0, 31)}`;
}

/** Prices the requested lines from the catalogue. Unknown, inactive or foreign products are refused by line. */
export function priceOrder(
  lines: Array<{ productId: string; quantity: number }>,
  products: Map<string, ProductDoc>,
  appid: string,
): { items: OrderItem[]; totalFen: number } {
  const refused: FieldProblems = {};
  const items: OrderItem[] = [];
  lines.forEach((line, i) => {
    const product = products.get(line.productId);
    if (!product || product.appid !== appid || !product.active) {
      refused[`items.${i}.productId`] = fieldProblem('notForSale');
      return;
    }
    items.push({
      productId: product._id,
      name: product.name,
      unitPriceFen: product.priceFen,
      quantity: line.quantity,
      amountFen: product.priceFen * line.quantity,
    });
  });
  if (Object.keys(refused).length) throw OrderErrors.productUnavailable(refused);
  const totalFen = items.reduce((sum, item) => sum + item.amountFen, 0);
  if (totalFen > MAX_ORDER_FEN) throw OrderErrors.tooLarge();
  return { items, totalFen };
}

/**
 * The order as WeChat Pay's payment sheet and the buyer's WeChat bill show it
 * (`description`, at most 127 characters), in Chinese as WeChat's own pages
 * are: "西湖龙井 等3件商品" counts every unit.
 */
export function describe(items: OrderItem[]): string {
  const units = items.reduce((n, item) => n + item.quantity, 0);
  const suffix = units === 1 ? '' : ` 等${units}件商品`;
  // A long name gives way, so the count always shows.
  return [...items[0].name].slice(0, 127 - suffix.length).join('') + suffix;
}

export function isExpired(order: OrderDoc, now: Date): boolean {
  return Date.parse(order.expiresAt) <= now.getTime();
}

/** Throws the reason an order cannot be paid now. */
export function assertPayable(order: OrderDoc, now: Date): void {
  if (order.state === 'PAID') throw OrderErrors.alreadyPaid();
  if (order.state === 'CLOSED') throw OrderErrors.closed();
  if (isExpired(order, now)) throw OrderErrors.expired();
}

/** An existing prepay is handed out again while it can still be paid. */
export function reusablePrepay(order: OrderDoc, now: Date): PrepayRecord | null {
  const prepay = order.prepay;
  if (!prepay) return null;
  return Date.parse(prepay.expiresAt) - now.getTime() > PREPAY_REUSE_MARGIN_MS ? prepay : null;
}

/** A new prepay expires with the order, and never later than WeChat keeps a prepay_id. */
export function prepayExpiry(order: OrderDoc, now: Date): Date {
  return new Date(Math.min(Date.parse(order.expiresAt), now.getTime() + PREPAY_TTL_MS));
}

export interface Mismatch {
  field: 'appid' | 'mchid' | 'amount';
  expected: string | number;
  received: string | number;
}

/** What WeChat says was paid must be exactly this order: same mini program, merchant and amount. */
export function transactionMismatches(order: OrderDoc, transaction: Transaction): Mismatch[] {
  const found: Mismatch[] = [];
  if (transaction.subAppid !== order.appid)
    found.push({ field: 'appid', expected: order.appid, received: transaction.subAppid });
  if (transaction.subMchid !== order.subMchid)
    found.push({ field: 'mchid', expected: order.subMchid, received: transaction.subMchid });
  if (transaction.totalFen !== order.totalFen)
    found.push({ field: 'amount', expected: order.totalFen, received: transaction.totalFen });
  return found;
}

/** WeChat Pay's way of saying "this order is already paid" (ORDERPAID in v3's JSAPI and close docs; ORDER_PAID in some answers). */
export function isAlreadyPaidCode(code: string): boolean {
  return code === 'ORDERPAID' || code === 'ORDER_PAID';
}

/** WeChat's success_time ("2026-01-05T10:00:00+08:00") as an ISO instant; now when absent or unreadable. */
export function paidAtFrom(successTime: string | undefined, now: Date): string {
  const at = successTime ? Date.parse(successTime) : NaN;
  return Number.isNaN(at) ? now.toISOString() : new Date(at).toISOString();
}
