// Payments and refunds that WeChat Pay reports but that do not match what we
// asked for (another amount, merchant or mini program, an unknown order) are
// never credited: they are recorded here for a person to review. The same
// report seen again (WeChat retries) is counted on the same record.
import crypto from 'node:crypto';
import type { Deps } from '../runtime/deps';
import { type Doc, isDuplicate } from '../ports/store';

export type AnomalyKind =
  | 'PAYMENT_MISMATCH' // appid, mchid or amount differ from the order
  | 'UNKNOWN_ORDER' // a payment for an out_trade_no we never issued
  | 'PAID_AFTER_CLOSE' // paid although we had closed the order: credited, but someone should refund or ship
  | 'REFUND_MISMATCH'
  | 'UNKNOWN_REFUND'
  | 'REFUND_ABNORMAL'; // the bank could not pay the buyer back: handle on the Merchant Platform

export interface AnomalyDoc extends Doc {
  appid: string;
  kind: AnomalyKind;
  orderId: string;
  refundId?: string;
  source: 'notify' | 'query' | 'refund';
  detail: Record<string, unknown>;
  seen: number;
  createdAt: string;
  lastSeenAt: string;
}

export async function recordAnomaly(
  deps: Deps,
  anomaly: Pick<AnomalyDoc, 'appid' | 'kind' | 'orderId' | 'refundId' | 'source' | 'detail'>,
): Promise<string> {
  const at = deps.clock.now().toISOString();
  const id = `${anomaly.kind}:${crypto
    .createHash('sha256')
    .update(JSON.stringify([anomaly.orderId, anomaly.refundId ?? '', anomaly.detail]))
    .digest('hex')
    .slice(0, 24)}`;
  const doc: AnomalyDoc = { _id: id, ...anomaly, seen: 1, createdAt: at, lastSeenAt: at };
  if (doc.refundId === undefined) delete doc.refundId;
  try {
    await deps.store.insert<AnomalyDoc>('paymentAnomalies', doc);
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    await deps.store.update('paymentAnomalies', id, { inc: { seen: 1 }, set: { lastSeenAt: at } });
  }
  deps.log.warn(
    { anomaly: anomaly.kind, orderId: anomaly.orderId, refundId: anomaly.refundId, source: anomaly.source },
    'payment anomaly recorded',
  );
  return id;
}
