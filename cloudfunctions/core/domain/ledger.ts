// Double-entry ledger rules (pure). Every money movement is one journal entry
// whose postings sum to zero; a positive amount raises an account's balance,
// a negative one lowers it. Entries are never edited: a correction is a new,
// reversing entry. Amounts are integer fen.
//
// Entries are written with one builder (`entry(...).move(...).build()`): a
// move takes fen out of one account and puts them into another, so an entry
// made of moves balances by construction, and account names come only from
// `Accounts`.
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

/** The one place account names are made. */
export const Accounts = {
  buyerClearing: (appid: string) => `buyer-clearing:${appid}`,
  pending: (appid: string) => `merchant:${appid}:pending`,
  available: (appid: string) => `merchant:${appid}:available`,
  withdrawing: (appid: string) => `merchant:${appid}:withdrawing`,
  fees: (appid: string) => `fees:${appid}`,
  bank: (appid: string) => `bank:${appid}`,
} as const satisfies Record<string, (appid: string) => string>;

/** 'buyerClearing' | 'pending' | 'available' | 'withdrawing' | 'fees' | 'bank' */
export type AccountKey = keyof typeof Accounts;

const ACCOUNT_KEYS = Object.keys(Accounts) as AccountKey[];

/** Which of an app's accounts a name is (undefined for any other name, another app's included). */
export function accountKeyOf(appid: string, account: string): AccountKey | undefined {
  return ACCOUNT_KEYS.find((key) => Accounts[key](appid) === account);
}

/** What postings put into one of an app's accounts (0 when they do not touch it). */
export function postedFen(postings: readonly Posting[], appid: string, key: AccountKey): number {
  const account = Accounts[key](appid);
  let fen = 0;
  for (const p of postings) if (p.account === account) fen += p.amountFen;
  return fen;
}

/** Merchant accounts hold real money and can never go below zero; the outside world's can. */
export function mustStayNonNegative(account: string): boolean {
  return account.startsWith('merchant:');
}

export function assertBalanced(entry: EntryDraft): void {
  if (entry.postings.length < 2) throw new RangeError(`entry ${entry.id} needs at least two postings`);
  let sum = 0;
  const seen = new Set<string>();
  for (const p of entry.postings) {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen === 0)
      throw new RangeError(`entry ${entry.id}: posting to ${p.account} must be non-zero integer fen`);
    if (seen.has(p.account)) throw new RangeError(`entry ${entry.id}: account ${p.account} posted twice`);
    seen.add(p.account);
    sum += p.amountFen;
  }
  if (sum !== 0) throw new RangeError(`entry ${entry.id} does not balance: postings sum to ${sum}`);
}

/** Everything about an entry except its postings. */
export type EntryHead = Omit<EntryDraft, 'postings'>;

export interface EntryBuilder {
  /**
   * Takes `fen` (a non-negative integer) out of `from` and puts it into `to`.
   * A move of 0 fen is dropped; moves touching the same account add up.
   */
  move(fen: number, from: AccountKey, to: AccountKey): EntryBuilder;
  /**
   * Adds the exact opposite of every posting of `original`, in its order.
   * Each posting must be to one of this entry's app's `Accounts`.
   */
  reverse(original: Pick<EntryDraft, 'id' | 'postings'>): EntryBuilder;
  /**
   * The entry: one posting per account, zero sums dropped, buyer clearing
   * listed first and fees last (other accounts in the order first moved), the
   * layout journal entries have always had. Throws RangeError unless the
   * postings are non-zero integer fen summing to zero over at least two accounts.
   */
  build(): EntryDraft;
}

/** Starts an entry: `entry({ id, appid, kind, ref }).move(fen, 'buyerClearing', 'pending').build()`. */
export function entry(head: EntryHead): EntryBuilder {
  // Insertion order of a Map is the order accounts were first moved.
  const lines = new Map<AccountKey, number>();
  const add = (key: AccountKey, fen: number) => lines.set(key, (lines.get(key) ?? 0) + fen);
  const builder: EntryBuilder = {
    move(fen, from, to) {
      if (!Number.isSafeInteger(fen) || fen < 0)
        throw new RangeError(`entry ${head.id}: a move must be non-negative integer fen, got ${fen}`);
      if (!ACCOUNT_KEYS.includes(from) || !ACCOUNT_KEYS.includes(to))
        throw new RangeError(`entry ${head.id}: unknown account in a move from ${from} to ${to}`);
      if (from === to) throw new RangeError(`entry ${head.id}: a move from ${from} to itself`);
      if (fen === 0) return builder;
      add(from, -fen);
      add(to, fen);
      return builder;
    },
    reverse(original) {
      for (const p of original.postings) {
        const key = accountKeyOf(head.appid, p.account);
        if (!key)
          throw new RangeError(
            `entry ${head.id}: cannot reverse ${original.id}, whose posting to ${p.account} is not an account of ${head.appid}`,
          );
        if (!Number.isSafeInteger(p.amountFen))
          throw new RangeError(
            `entry ${head.id}: cannot reverse ${original.id}, whose posting to ${p.account} is not integer fen`,
          );
        add(key, -p.amountFen);
      }
      return builder;
    },
    build() {
      const rank = (key: AccountKey) => (key === 'buyerClearing' ? 0 : key === 'fees' ? 2 : 1);
      const postings = [...lines]
        .filter(([, fen]) => fen !== 0)
        .sort(([a], [b]) => rank(a) - rank(b)) // stable: equal ranks keep their order
        .map(([key, fen]) => ({ account: Accounts[key](head.appid), amountFen: fen }));
      const draft: EntryDraft = { id: head.id, appid: head.appid, kind: head.kind, ref: { ...head.ref }, postings };
      if (head.memo !== undefined) draft.memo = head.memo;
      assertBalanced(draft);
      return draft;
    },
  };
  return builder;
}

/** Payment: the buyer's money lands in pending, less WeChat Pay's fee. */
export function paymentEntry(appid: string, orderId: string, amountFen: number, feeFen: number): EntryDraft {
  return entry({ id: `payment:${orderId}`, appid, kind: 'payment', ref: { orderId } })
    .move(amountFen - feeFen, 'buyerClearing', 'pending')
    .move(feeFen, 'buyerClearing', 'fees')
    .build();
}

/**
 * Refund: the buyer gets `refundFen` back; the merchant's share comes out of
 * pending (order not settled yet) or available, the returned fee out of fees.
 */
export function refundEntry(
  appid: string,
  orderId: string,
  refundId: string,
  refundFen: number,
  feeReturnedFen: number,
  from: 'pending' | 'available',
): EntryDraft {
  return entry({ id: `refund:${refundId}`, appid, kind: 'refund', ref: { orderId, refundId } })
    .move(refundFen - feeReturnedFen, from, 'buyerClearing')
    .move(feeReturnedFen, 'fees', 'buyerClearing')
    .build();
}

export function settlementEntry(appid: string, orderId: string, netFen: number): EntryDraft {
  return entry({ id: `settlement:${orderId}`, appid, kind: 'settlement', ref: { orderId } })
    .move(netFen, 'pending', 'available')
    .build();
}

export function withdrawalEntry(appid: string, withdrawalId: string, amountFen: number): EntryDraft {
  return entry({ id: `withdrawal:${withdrawalId}`, appid, kind: 'withdrawal', ref: { withdrawalId } })
    .move(amountFen, 'available', 'withdrawing')
    .build();
}

export function withdrawalOutcomeEntry(
  appid: string,
  withdrawalId: string,
  amountFen: number,
  paid: boolean,
): EntryDraft {
  const kind = paid ? 'withdrawal_paid' : 'withdrawal_returned';
  return entry({ id: `${kind}:${withdrawalId}`, appid, kind, ref: { withdrawalId } })
    .move(amountFen, 'withdrawing', paid ? 'bank' : 'available')
    .build();
}

/** The exact opposite of an entry, recorded as a new entry. */
export function reversalEntry(original: EntryDraft, memo: string): EntryDraft {
  return entry({
    id: `reversal:${original.id}`,
    appid: original.appid,
    kind: 'reversal',
    ref: { ...original.ref, reverses: original.id },
    memo,
  })
    .reverse(original)
    .build();
}

export class InsufficientBalance extends AppError<'FUNDS.INSUFFICIENT_BALANCE'> {
  constructor(readonly account: string) {
    super('FUNDS.INSUFFICIENT_BALANCE', 'The balance is not enough for this operation');
  }
}
