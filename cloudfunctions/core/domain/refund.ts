// Refunds (pure rules). WeChat Pay takes a refund out of the merchant's
// balance when it accepts the request (refusing with NOT_ENOUGH otherwise) and
// gives it back if the refund ends CLOSED; the ledger does the same, so
// concurrent refunds and withdrawals can never overdraw. States: PROCESSING ->
// SUCCESS | ABNORMAL (money stuck at the bank, handled on the Merchant
// Platform) | CLOSED (money back to the merchant).
import crypto from 'node:crypto';
import { fieldProblem } from '../../../miniprogram/shared/errors';
import { AppError } from '../errors';
import { refundFeeFen } from './fee';
import type { Refund } from '../ports/pay';
import type { Doc } from '../ports/store';
import { type EntryDraft, entry } from './ledger';
import type { OrderDoc } from './order';

export type RefundState = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface RefundDoc extends Doc {
  /** The id is WeChat's out_refund_no. */
  appid: string;
  orderId: string;
  subMchid: string;
  amountFen: number;
  /** The share of the order's fee this refund gave back (see feeToReturn). */
  feeReturnedFen: number;
  /** Which merchant balance paid for it: pending before settlement, available after. */
  from: 'pending' | 'available';
  state: RefundState;
  reason?: string;
  requestedBy: string;
  /** False until WeChat Pay has certainly received the request (a timeout leaves it unknown). */
  submitted: boolean;
  /** The refund job's claim on resending it (ISO time the claim lapses), so overlapping runs send it once. */
  resendingUntil?: string;
  /** WeChat's refund_id. */
  refundId?: string;
  successTime?: string;
  failure?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
}

export const RefundErrors = {
  orderNotPaid: () => new AppError('REFUND.ORDER_NOT_PAID', 'Only a paid order can be refunded'),
  exceedsPaid: (refundableFen: number) =>
    new AppError(
      'REFUND.EXCEEDS_PAID',
      `The refunds would exceed what was paid: at most ${refundableFen} fen can still be refunded`,
      { amountFen: fieldProblem('amountTooLarge', { maxFen: refundableFen }) },
      { refundableFen },
    ),
  /** The key already names a refund of this order asked by someone else, or for another amount or reason. */
  keyReused: () =>
    new AppError(
      'INPUT.IDEMPOTENCY_KEY_REUSED',
      'This idempotencyKey was already used for a different refund of this order. Use a new key for a new refund.',
    ),
  rejected: (code: string, message: string) =>
    new AppError('REFUND.REJECTED', `WeChat Pay refused the refund (${code}): ${message}`, undefined, {
      providerCode: code,
    }),
};

/**
 * Stable per (order, idempotency key): a retried refund request is the same
 * out_refund_no, so WeChat refunds once. The requester is not part of it, so
 * one key names one refund of the order whoever sends it; sameRefundRequest
 * decides whether a second call is that refund's retry.
 */
export function refundIdFor(appid: string, orderId: string, key: string): string {
  return `R${crypto.createHash('sha256').update(`refund\n${appid}\n${orderId}\n${key}`).digest('hex').slice(0, 31)}`;
}

export interface RefundAsk {
  requestedBy: string;
  amountFen: number;
  reason?: string;
}

/**
 * A call whose key names an existing refund is its retry only when the same
 * admin asks for the same amount with the same reason; anything else would
 * silently get someone else's refund back, and is refused.
 */
export function sameRefundRequest(
  doc: Pick<RefundDoc, 'requestedBy' | 'amountFen' | 'reason'>,
  ask: RefundAsk,
): boolean {
  return (
    doc.requestedBy === ask.requestedBy && doc.amountFen === ask.amountFen && (doc.reason ?? '') === (ask.reason ?? '')
  );
}

export function refundableFen(order: OrderDoc): number {
  return order.totalFen - order.refundedFen;
}

/** The fee a refund gives back: the product's one rule (fee.ts refundFeeFen), on the order's running totals. */
export function feeToReturn(
  order: Pick<OrderDoc, 'totalFen' | 'feeFen' | 'refundedFen' | 'feeReturnedFen'>,
  refundFen: number,
): number {
  return refundFeeFen(
    {
      totalFen: order.totalFen,
      feeFen: order.feeFen ?? 0,
      refundedFen: order.refundedFen,
      feeReturnedFen: order.feeReturnedFen,
    },
    refundFen,
  );
}

export function refundSource(order: OrderDoc): 'pending' | 'available' {
  return order.settlementState === 'SETTLED' ? 'available' : 'pending';
}

/**
 * A closed refund's money goes back to the merchant: the exact opposite of
 * its refund entry, except that it lands where the order's money is now
 * (available if the order was settled meanwhile, so nothing is stranded in
 * pending after settlement).
 */
export function refundReturnedEntry(refund: RefundDoc, to: 'pending' | 'available'): EntryDraft {
  return entry({
    id: `reversal:refund:${refund._id}`,
    appid: refund.appid,
    kind: 'reversal',
    ref: { orderId: refund.orderId, refundId: refund._id, reverses: `refund:${refund._id}` },
    memo: 'refund closed: money returned to the merchant',
  })
    .move(refund.amountFen - refund.feeReturnedFen, 'buyerClearing', to)
    .move(refund.feeReturnedFen, 'buyerClearing', 'fees')
    .build();
}

export interface RefundMismatch {
  field: 'mchid' | 'order' | 'amount' | 'total';
  expected: string | number;
  received: string | number;
}

/** A refund notification must describe exactly the refund we asked for. */
export function refundMismatches(doc: RefundDoc, order: OrderDoc, refund: Refund): RefundMismatch[] {
  const found: RefundMismatch[] = [];
  if (refund.subMchid !== doc.subMchid)
    found.push({ field: 'mchid', expected: doc.subMchid, received: refund.subMchid });
  if (refund.outTradeNo !== doc.orderId)
    found.push({ field: 'order', expected: doc.orderId, received: refund.outTradeNo });
  if (refund.refundFen !== doc.amountFen)
    found.push({ field: 'amount', expected: doc.amountFen, received: refund.refundFen });
  if (refund.totalFen !== order.totalFen)
    found.push({ field: 'total', expected: order.totalFen, received: refund.totalFen });
  return found;
}
