// WeChat Pay's fee on a payment: the merchant account's rate applied to the
// amount, rounded half up to the fen; and the share of it a refund gives back
// (refundFeeFen). The ledger, the sandbox's balances and its bills all use
// these two rules, so reconciliation compares like with like.

/** The highest rate payment management accepts: 0.6%. */
export const MAX_FEE_RATE_PPM = 6000;

export function feeFen(amountFen: number, ratePpm: number): number {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0)
    throw new RangeError(`amount must be non-negative integer fen, got ${amountFen}`);
  if (!Number.isInteger(ratePpm) || ratePpm < 0 || ratePpm > 1_000_000)
    throw new RangeError(`bad fee rate ${ratePpm} ppm`);
  return Math.floor((amountFen * ratePpm + 500_000) / 1_000_000);
}

/** What an order's refunds have taken so far: amount refunded and fee returned (refunds that ended CLOSED excluded). */
export interface RefundedSoFar {
  totalFen: number;
  feeFen: number;
  refundedFen: number;
  feeReturnedFen: number;
}

/**
 * The fee a refund gives back: the order's fee in proportion to everything
 * refunded so far including this one (rounded half up), less what earlier
 * refunds already returned. Working on the running total keeps partial
 * refunds from drifting (a per-refund rate would return 0 on each of two
 * 50-fen halves of a 1-fen fee), and a refund that completes the order
 * returns exactly the fee that is left.
 */
export function refundFeeFen(order: RefundedSoFar, refundFen: number): number {
  const fee = order.feeFen;
  const refundedAfter = order.refundedFen + refundFen;
  if (!Number.isSafeInteger(refundFen) || refundFen <= 0 || refundedAfter > order.totalFen) {
    throw new RangeError(
      `cannot refund ${refundFen} fen of an order of ${order.totalFen} with ${order.refundedFen} refunded`,
    );
  }
  const remaining = fee - order.feeReturnedFen;
  if (refundedAfter === order.totalFen) return remaining;
  const target = Number(
    (2n * BigInt(fee) * BigInt(refundedAfter) + BigInt(order.totalFen)) / (2n * BigInt(order.totalFen)),
  );
  return Math.min(Math.max(target - order.feeReturnedFen, 0), remaining);
}

/** 6000 -> "0.6%", 3800 -> "0.38%" */
export function formatRate(ratePpm: number): string {
  return `${ratePpm / 10_000}%`;
}
