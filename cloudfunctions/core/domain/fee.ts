// WeChat Pay's fee on a payment: the merchant account's rate applied to the
// amount, rounded half up to the fen. The ledger and the sandbox's bills use
// this one rule, so reconciliation compares like with like.

/** The highest rate payment management accepts: 0.6%. */
export const MAX_FEE_RATE_PPM = 6000;

export function feeFen(amountFen: number, ratePpm: number): number {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) throw new RangeError(`amount must be non-negative integer fen, got ${amountFen}`);
  if (!Number.isInteger(ratePpm) || ratePpm < 0 || ratePpm > 1_000_000) throw new RangeError(`bad fee rate ${ratePpm} ppm`);
  return Math.floor((amountFen * ratePpm + 500_000) / 1_000_000);
}

/** 6000 -> "0.6%", 3800 -> "0.38%" */
export function formatRate(ratePpm: number): string {
  return `${ratePpm / 10_000}%`;
}
