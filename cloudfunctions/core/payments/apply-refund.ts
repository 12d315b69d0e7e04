// What WeChat Pay says about a refund (its answer to the request, a verified
// notification, or a query) applied to our refund. Every change is a
// conditional update from an earlier state, so repeated or reordered reports
// change things once; a closed refund gives the money back to the merchant in
// the same transaction that closes it.
import { type OrderDoc, paidAtFrom, refundedWrite } from '../domain/order';
import { type RefundDoc, refundMismatches, refundReturnedEntry, refundSource } from '../domain/refund';
import { postInTransaction } from '../ledger/book';
import type { Refund } from '../ports/pay';
import type { Deps } from '../runtime/deps';
import { recordAnomaly } from './anomalies';

export type RefundOutcome = 'updated' | 'unchanged' | 'anomaly';

const OPEN = { $in: ['PROCESSING', 'ABNORMAL'] };

export async function applyRefundStatus(
  deps: Deps,
  refund: Refund,
  source: 'notify' | 'query' | 'refund',
): Promise<RefundOutcome> {
  const { store, clock } = deps;
  const doc = await store.get<RefundDoc>('refunds', refund.outRefundNo);
  if (!doc) {
    const order = await store.get<OrderDoc>('orders', refund.outTradeNo);
    await recordAnomaly(deps, {
      appid: order?.appid ?? 'unknown',
      kind: 'UNKNOWN_REFUND',
      orderId: refund.outTradeNo,
      refundId: refund.outRefundNo,
      source,
      detail: { subMchid: refund.subMchid, refundFen: refund.refundFen, status: refund.status },
    });
    return 'anomaly';
  }
  const order = await store.get<OrderDoc>('orders', doc.orderId);
  if (!order) throw new Error(`refund ${doc._id} names a missing order ${doc.orderId}`);
  const mismatches = refundMismatches(doc, order, refund);
  if (mismatches.length) {
    await recordAnomaly(deps, {
      appid: doc.appid,
      kind: 'REFUND_MISMATCH',
      orderId: doc.orderId,
      refundId: doc._id,
      source,
      detail: { mismatches },
    });
    return 'anomaly';
  }

  const now = clock.now();
  const at = now.toISOString();
  const known = { submitted: true, ...(refund.refundId ? { refundId: refund.refundId } : {}), updatedAt: at };
  switch (refund.status) {
    case 'PROCESSING':
      if (doc.submitted && doc.refundId === refund.refundId) return 'unchanged';
      return (await store.update('refunds', doc._id, { set: known }, { state: 'PROCESSING' }))
        ? 'updated'
        : 'unchanged';
    case 'SUCCESS': {
      const done = await store.update(
        'refunds',
        doc._id,
        { set: { ...known, state: 'SUCCESS', successTime: paidAtFrom(refund.successTime, now) } },
        { state: OPEN },
      );
      if (!done && doc.state === 'CLOSED') {
        // We gave this money back to the merchant, yet WeChat paid the buyer: a person must look.
        await recordAnomaly(deps, {
          appid: doc.appid,
          kind: 'REFUND_MISMATCH',
          orderId: doc.orderId,
          refundId: doc._id,
          source,
          detail: { ours: 'CLOSED', reported: 'SUCCESS' },
        });
        return 'anomaly';
      }
      return done ? 'updated' : 'unchanged';
    }
    case 'ABNORMAL': {
      const marked = await store.update(
        'refunds',
        doc._id,
        { set: { ...known, state: 'ABNORMAL' } },
        { state: 'PROCESSING' },
      );
      if (marked) {
        await recordAnomaly(deps, {
          appid: doc.appid,
          kind: 'REFUND_ABNORMAL',
          orderId: doc.orderId,
          refundId: doc._id,
          source,
          detail: { refundId: refund.refundId },
        });
      }
      return marked ? 'updated' : 'unchanged';
    }
    case 'CLOSED':
      return closeRefund(deps, doc._id, {
        code: 'CLOSED',
        message: 'WeChat Pay closed the refund; the money stays with the merchant',
      });
  }
}

/** Closes an open refund and returns its money to the merchant, once. */
export function closeRefund(
  deps: Deps,
  refundId: string,
  failure: { code: string; message: string },
): Promise<RefundOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.transaction(async (tx): Promise<RefundOutcome> => {
    const doc = await tx.get<RefundDoc>('refunds', refundId);
    if (!doc || (doc.state !== 'PROCESSING' && doc.state !== 'ABNORMAL')) return 'unchanged';
    const order = await tx.get<OrderDoc>('orders', doc.orderId);
    if (!order) throw new Error(`refund ${doc._id} names a missing order ${doc.orderId}`);
    await tx.update('refunds', doc._id, { set: { state: 'CLOSED', failure, updatedAt: at } });
    await tx.update('orders', order._id, refundedWrite(order, -doc.amountFen, -doc.feeReturnedFen, at));
    await postInTransaction(tx, refundReturnedEntry(doc, refundSource(order)), now);
    return 'updated';
  });
}
