// What WeChat Pay says about a payment (a verified notification, or a query
// when a notification was missed) applied to our order. The order becomes
// PAID and the ledger entry is posted in one transaction, and only from a
// state that is not PAID yet, so any number of notifications and queries in
// any order credit the payment exactly once.
import { feeFen } from '../domain/fee';
import { paymentEntry } from '../domain/ledger';
import { type OrderDoc, orderWrite, paidAtFrom, transactionMismatches } from '../domain/order';
import { postInTransaction } from '../ledger/book';
import type { Transaction } from '../ports/pay';
import type { Deps } from '../runtime/deps';
import type { MerchantDoc } from '../merchants/merchant';
import { type AnomalyDoc, recordAnomaly } from './anomalies';

export type PaymentOutcome = 'credited' | 'already-paid' | 'not-paid' | 'closed' | 'anomaly';

export async function applyTransaction(
  deps: Deps,
  transaction: Transaction,
  source: 'notify' | 'query',
): Promise<PaymentOutcome> {
  const { store, clock } = deps;
  const order = await store.get<OrderDoc>('orders', transaction.outTradeNo);
  if (!order) {
    await recordAnomaly(deps, {
      appid: transaction.subAppid,
      kind: 'UNKNOWN_ORDER',
      orderId: transaction.outTradeNo,
      source,
      detail: {
        subMchid: transaction.subMchid,
        totalFen: transaction.totalFen,
        tradeState: transaction.tradeState,
        transactionId: transaction.transactionId ?? null,
      },
    });
    return 'anomaly';
  }

  if (transaction.tradeState !== 'SUCCESS' && transaction.tradeState !== 'REFUND') {
    // Closed or revoked at WeChat: it can no longer be paid, so close ours too.
    if (transaction.tradeState === 'CLOSED' || transaction.tradeState === 'REVOKED') {
      const at = clock.now().toISOString();
      const closed = await store.update(
        'orders',
        order._id,
        orderWrite({ set: { state: 'CLOSED', closedAt: at, closeReason: 'provider_closed', updatedAt: at } }),
        { state: { $in: ['CREATED', 'PAYING'] } },
      );
      return closed ? 'closed' : order.state === 'PAID' ? 'already-paid' : 'not-paid';
    }
    return 'not-paid';
  }

  const mismatches = transactionMismatches(order, transaction);
  if (mismatches.length) {
    await recordAnomaly(deps, {
      appid: order.appid,
      kind: 'PAYMENT_MISMATCH',
      orderId: order._id,
      source,
      detail: { mismatches, transactionId: transaction.transactionId ?? null },
    });
    return 'anomaly';
  }

  const now = clock.now();
  return store.transaction(async (tx): Promise<PaymentOutcome> => {
    const current = await tx.get<OrderDoc>('orders', order._id);
    if (!current || current.state === 'PAID') return 'already-paid';
    const merchant = await tx.get<MerchantDoc>('merchants', current.appid);
    // Orders are only created with a bound merchant; a missing one is a fault to retry, not to guess around.
    if (!merchant) throw new Error(`no merchant bound to ${current.appid} while crediting ${current._id}`);
    const fee = feeFen(current.totalFen, merchant.feeRatePpm);
    const paidAt = paidAtFrom(transaction.successTime, now);
    await tx.update(
      'orders',
      current._id,
      orderWrite({
        set: {
          state: 'PAID',
          paidAt,
          feeFen: fee,
          settlementState: 'PENDING',
          transactionId: transaction.transactionId ?? null,
          updatedAt: now.toISOString(),
        },
      }),
      { state: current.state },
    );
    await postInTransaction(tx, paymentEntry(current.appid, current._id, current.totalFen, fee), now);
    if (current.state === 'CLOSED') {
      // We closed it but WeChat took the money anyway (a close that raced the
      // buyer): the money is real, so it is credited, and flagged for review.
      const at = now.toISOString();
      await tx.insert<AnomalyDoc>('paymentAnomalies', {
        _id: `PAID_AFTER_CLOSE:${current._id}`,
        appid: current.appid,
        kind: 'PAID_AFTER_CLOSE',
        orderId: current._id,
        source,
        detail: {
          closedAt: current.closedAt ?? null,
          closeReason: current.closeReason ?? null,
          transactionId: transaction.transactionId ?? null,
        },
        seen: 1,
        createdAt: at,
        lastSeenAt: at,
      });
    }
    return 'credited';
  });
}

/** Asks WeChat Pay about an unpaid order and applies the answer (missed notifications, payment confirmation). */
export async function syncPayment(deps: Deps, order: OrderDoc): Promise<PaymentOutcome> {
  const transaction = await deps.pay.queryTransaction(order.subMchid, order._id);
  if (!transaction) return 'not-paid';
  return applyTransaction(deps, transaction, 'query');
}
