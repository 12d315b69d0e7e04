// When a paid order's money becomes available, and how much of it. T+N
// counts Beijing calendar days: an order paid at any time on day D settles
// from 00:00 of day D+N (T+1: paid Monday 23:59 or 00:01, available Tuesday).
import { type Posting, postedFen } from '../ledger';
import { addDays, beijingDate, beijingMidnight } from '../../../../miniprogram/shared/beijing';

export const DEFAULT_SETTLEMENT_DAYS = 1;
export const MAX_SETTLEMENT_DAYS = 30;

/** The settlement period from PMS_SETTLEMENT_DAYS (0..30, default 1). A bad value is a deployment error. */
export function settlementDaysFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.PMS_SETTLEMENT_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_SETTLEMENT_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0 || days > MAX_SETTLEMENT_DAYS) {
    throw new RangeError(`PMS_SETTLEMENT_DAYS must be an integer from 0 to ${MAX_SETTLEMENT_DAYS}, got "${raw}"`);
  }
  return days;
}

/** The instant from which an order paid at `paidAt` may settle. */
export function settlesAt(paidAt: Date, days: number): Date {
  return beijingMidnight(addDays(beijingDate(paidAt), days));
}

/** Orders paid strictly before this instant are due at `now`. */
export function settlementCutoff(now: Date, days: number): Date {
  return beijingMidnight(addDays(beijingDate(now), 1 - days));
}

/**
 * What an order still holds in pending: the sum of its entries' postings to
 * the merchant's pending account (the payment net of the fee, less refunds
 * already taken from pending). Read from the journal, the ledger's truth,
 * rather than recomputed from order fields.
 */
export function pendingNetFen(appid: string, entries: Array<{ postings: Posting[] }>): number {
  let net = 0;
  for (const entry of entries) net += postedFen(entry.postings, appid, 'pending');
  return net;
}
