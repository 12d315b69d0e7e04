// Double-entry ledger rules (pure). Every money movement is one journal entry
// whose postings sum to zero; a positive amount raises an account's balance,
// a negative one lowers it. Entries are never edited: a correction is a new,
// reversing entry. Amounts are integer fen.
import { AppError } from '../errors';

export type EntryKind =
  | 'payment' // buyer paid: buyer clearing -> merchant pending (+ fee)
  | 'refund' // money back to the buyer from the merchant (+ fee returned)
  | 'settlement' // pending -> available after the settlement period
  | 'withdrawal' // available -> withdrawing (requested)
  | 'withdrawal_paid' // withdrawing -> bank (succeeded)
  | 'withdrawal_returned' // withdrawing -> available (failed)
  | 'reversal'; // undoes an earlier entry

export interface Posting {
  account: string;
  amountFen: number;
}

export interface EntryDraft {
  /** Idempotency: the same business event always yields the same id, so it posts once. */
  id: string;
  appid: string;
  kind: EntryKind;
  postings: Posting[];
  /** What the entry is about, for transaction details (order, refund, withdrawal ids). */
  ref: { orderId?: string; refundId?: string; withdrawalId?: string; reverses?: string };
  memo?: string;
}

export const Accounts = {
  buyerClearing: (appid: string) => `buyer-clearing:${appid}`,
  pending: (appid: string) => `merchant:${appid}:pending`,
  available: (appid: string) => `merchant:${appid}:available`,
  withdrawing: (appid: string) => `merchant:${appid}:withdrawing`,
  fees: (appid: string) => `fees:${appid}`,
  bank: (appid: string) => `bank:${appid}`,
};

/** Merchant accounts hold real money and can never go below zero; the outside world's can. */
export function mustStayNonNegative(account: string): boolean {
  return account.startsWith('merchant:');
}

export function assertBalanced(entry: EntryDraft): void {
  if (entry.postings.length < 2) throw new RangeError(`entry ${entry.id} needs at least two postings`);
  let sum = 0;
  const seen = new Set<string>();
  for (const p of entry.postings) {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen === 0) throw new RangeError(`entry ${entry.id}: posting to ${p.account} must be non-zero integer fen`);
    if (seen.has(p.account)) throw new RangeError(`entry ${entry.id}: account ${p.account} posted twice`);
    seen.add(p.account);
    sum += p.amountFen;
  }
  if (sum !== 0) throw new RangeError(`entry ${entry.id} does not balance: postings sum to ${sum}`);
}

/** Payment: the buyer's money lands in pending, less WeChat Pay's fee. */
export function paymentEntry(appid: string, orderId: string, amountFen: number, feeFen: number): EntryDraft {
  return balanced({
    id: `payment:${orderId}`,
    appid,
    kind: 'payment',
    ref: { orderId },
    postings: [
      { account: Accounts.buyerClearing(appid), amountFen: -amountFen },
      { account: Accounts.pending(appid), amountFen: amountFen - feeFen },
      { account: Accounts.fees(appid), amountFen: feeFen },
    ],
  });
}

/**
 * Refund: the buyer gets `refundFen` back; the merchant's share comes out of
 * pending (order not settled yet) or available, the returned fee out of fees.
 */
export function refundEntry(appid: string, orderId: string, refundId: string, refundFen: number, feeReturnedFen: number, from: 'pending' | 'available'): EntryDraft {
  return balanced({
    id: `refund:${refundId}`,
    appid,
    kind: 'refund',
    ref: { orderId, refundId },
    postings: [
      { account: Accounts.buyerClearing(appid), amountFen: refundFen },
      { account: from === 'pending' ? Accounts.pending(appid) : Accounts.available(appid), amountFen: -(refundFen - feeReturnedFen) },
      { account: Accounts.fees(appid), amountFen: -feeReturnedFen },
    ],
  });
}

export function settlementEntry(appid: string, orderId: string, netFen: number): EntryDraft {
  return balanced({
    id: `settlement:${orderId}`,
    appid,
    kind: 'settlement',
    ref: { orderId },
    postings: [
      { account: Accounts.pending(appid), amountFen: -netFen },
      { account: Accounts.available(appid), amountFen: netFen },
    ],
  });
}

export function withdrawalEntry(appid: string, withdrawalId: string, amountFen: number): EntryDraft {
  return balanced({
    id: `withdrawal:${withdrawalId}`,
    appid,
    kind: 'withdrawal',
    ref: { withdrawalId },
    postings: [
      { account: Accounts.available(appid), amountFen: -amountFen },
      { account: Accounts.withdrawing(appid), amountFen: amountFen },
    ],
  });
}

export function withdrawalOutcomeEntry(appid: string, withdrawalId: string, amountFen: number, paid: boolean): EntryDraft {
  return balanced({
    id: `${paid ? 'withdrawal_paid' : 'withdrawal_returned'}:${withdrawalId}`,
    appid,
    kind: paid ? 'withdrawal_paid' : 'withdrawal_returned',
    ref: { withdrawalId },
    postings: [
      { account: Accounts.withdrawing(appid), amountFen: -amountFen },
      { account: paid ? Accounts.bank(appid) : Accounts.available(appid), amountFen: amountFen },
    ],
  });
}

/** The exact opposite of an entry, recorded as a new entry. */
export function reversalEntry(original: EntryDraft, memo: string): EntryDraft {
  return balanced({
    id: `reversal:${original.id}`,
    appid: original.appid,
    kind: 'reversal',
    ref: { ...original.ref, reverses: original.id },
    postings: original.postings.map((p) => ({ account: p.account, amountFen: -p.amountFen })),
    memo,
  });
}

function balanced(entry: EntryDraft): EntryDraft {
  // Zero postings (a zero fee, say) carry no information and are dropped.
  const postings = entry.postings.filter((p) => p.amountFen !== 0);
  const result = { ...entry, postings };
  assertBalanced(result);
  return result;
}

export class InsufficientBalance extends AppError {
  constructor(readonly account: string) {
    super('FUNDS.INSUFFICIENT_BALANCE', 'The balance is not enough for this operation');
  }
}
