// Refunds by the merchant admin, fully or in part. The refund is recorded,
// bounded by what is left to refund, and taken from the merchant's balance in
// one transaction before WeChat Pay is asked; its out_refund_no comes from the
// idempotency key, so a retry is the same refund at WeChat Pay too.
import type { Refund } from '../../../typings/checkout';
import { refundEntry } from '../domain/ledger';
import { type OrderDoc, OrderErrors, refundedWrite } from '../domain/order';
import {
  feeToReturn,
  type RefundDoc,
  RefundErrors,
  refundIdFor,
  refundableFen,
  refundSource,
  sameRefundRequest,
} from '../domain/refund';
import { postInTransaction } from '../ledger/book';
import { type CallContext, idempotencyKeyOf } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import { applyRefundStatus, closeRefund } from './apply-refund';
import { refundDto } from './views';
import { isRefusal } from '../ports/pay';
import { isDuplicate, mustGet } from '../ports/store';

/**
 * Sends a recorded refund to WeChat Pay and applies the answer. A refusal
 * closes the refund (money back to the merchant); no answer leaves it
 * PROCESSING and unsubmitted for the refund job to find out and resend.
 */
export async function submitRefund(deps: Deps, refund: RefundDoc): Promise<RefundDoc> {
  const order = await mustGet<OrderDoc>(deps.store, 'orders', refund.orderId);
  try {
    const answer = await deps.pay.refund({
      subMchid: refund.subMchid,
      outTradeNo: refund.orderId,
      outRefundNo: refund._id,
      ...(refund.reason ? { reason: refund.reason } : {}),
      refundFen: refund.amountFen,
      totalFen: order.totalFen,
      notifyUrl: deps.config.notifyUrl,
    });
    await applyRefundStatus(deps, answer, 'refund');
  } catch (err) {
    if (isRefusal(err)) {
      await closeRefund(deps, refund._id, { code: err.code, message: err.message });
    } else {
      deps.log.warn({ err, refundId: refund._id }, 'refund request unanswered; the refund job will resolve it');
    }
  }
  return await mustGet<RefundDoc>(deps.store, 'refunds', refund._id);
}

export interface RefundRequest {
  orderId: string;
  amountFen: number;
  reason?: string;
}

/** The merchant admin refunds a paid order, fully or in part. */
export async function requestRefund(ctx: CallContext, input: RefundRequest): Promise<Refund> {
  const { deps, identity } = ctx;
  const id = refundIdFor(identity.appid, input.orderId, idempotencyKeyOf(ctx));
  const ask = {
    requestedBy: identity.openid,
    amountFen: input.amountFen,
    ...(input.reason ? { reason: input.reason } : {}),
  };
  /** The refund this key already names: its retry gets it (sent again if WeChat Pay may not have it), anything else is refused. */
  const retried = async (seen: RefundDoc): Promise<Refund> => {
    if (!sameRefundRequest(seen, ask)) throw RefundErrors.keyReused();
    return refundDto(seen.submitted || seen.state !== 'PROCESSING' ? seen : await submitRefund(deps, seen));
  };
  const seen = await deps.store.get<RefundDoc>('refunds', id);
  if (seen) return retried(seen);

  const order = await deps.store.get<OrderDoc>('orders', input.orderId);
  if (!order || order.appid !== identity.appid) throw OrderErrors.notFound();
  if (order.state === 'PAID' && order.refundedFen > 0) await learnOpenRefunds(deps, order._id);
  let recorded: RefundDoc;
  try {
    recorded = await recordRefund(ctx, input, id, order);
  } catch (err) {
    // Another call with this key recorded it first (a racing retry, or another admin).
    const raced = isDuplicate(err) ? await deps.store.get<RefundDoc>('refunds', id) : null;
    if (raced) return retried(raced);
    throw err;
  }
  const result = await submitRefund(deps, recorded);
  if (result.state === 'CLOSED' && result.failure)
    throw RefundErrors.rejected(result.failure.code, result.failure.message);
  return refundDto(result);
}

/**
 * Asks WeChat Pay about the order's refunds still open here before a new one
 * is recorded. WeChat Pay shares the fee over the refunds it still counts: an
 * earlier refund it closed that we have not heard of yet would make our share
 * of the new one a fen off its own. A query that fails leaves that refund as
 * it is (the refund job asks again).
 */
async function learnOpenRefunds(deps: Deps, orderId: string): Promise<void> {
  const refunds = await deps.store.find<RefundDoc>('refunds', {
    where: { orderId },
    orderBy: [['createdAt', 'desc']],
    limit: 100,
  });
  for (const refund of refunds.items) {
    if (refund.state !== 'PROCESSING' || !refund.submitted) continue;
    try {
      const answer = await deps.pay.queryRefund(refund.subMchid, refund._id);
      if (answer) await applyRefundStatus(deps, answer, 'query');
    } catch (err) {
      deps.log.warn({ err, refundId: refund._id }, 'open refund not confirmed before a new refund');
    }
  }
}

/** Records the refund and takes it from the merchant's balance, bounded by what is left to refund, in one transaction. */
async function recordRefund(
  { deps, identity }: CallContext,
  input: RefundRequest,
  id: string,
  order: OrderDoc,
): Promise<RefundDoc> {
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const current = await mustGet<OrderDoc>(tx, 'orders', order._id);
    if (current.state !== 'PAID') throw RefundErrors.orderNotPaid();
    if (input.amountFen > refundableFen(current)) throw RefundErrors.exceedsPaid(refundableFen(current));
    const feeReturnedFen = feeToReturn(current, input.amountFen);
    const from = refundSource(current);
    const doc: RefundDoc = {
      _id: id,
      appid: current.appid,
      orderId: current._id,
      subMchid: current.subMchid,
      amountFen: input.amountFen,
      feeReturnedFen,
      from,
      state: 'PROCESSING',
      requestedBy: identity.openid,
      submitted: false,
      createdAt: at,
      updatedAt: at,
    };
    if (input.reason) doc.reason = input.reason;
    await tx.insert<RefundDoc>('refunds', doc);
    await tx.update('orders', current._id, refundedWrite(current, input.amountFen, feeReturnedFen, at));
    // Throws FUNDS.INSUFFICIENT_BALANCE (and rolls all of this back) when the balance cannot cover it.
    await postInTransaction(
      tx,
      refundEntry(current.appid, current._id, id, input.amountFen, feeReturnedFen, from),
      now,
    );
    return doc;
  });
}
