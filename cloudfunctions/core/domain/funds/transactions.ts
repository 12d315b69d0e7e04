// Transaction details: the merchant's view of the journal. One journal entry
// becomes one or two rows (a payment's fee and a refund's returned fee are
// rows of their own), each carrying its signed change to the merchant's three
// balances, so the rows of any period add up to exactly how the balances
// moved. Fees are postings to `fees:<appid>`, the merchant's pending or
// available share is what is left.
import type { TransactionType } from '../../../../miniprogram/shared/transaction-types';
import { type AccountKey, type EntryKind, type Posting, postedFen } from '../ledger';

// The row kinds (and their words) are shared with the app.
export type { TransactionType };

/** What a list can be filtered by; `withdrawal` covers the request and its payout. */
export type TransactionFilter = 'payment' | 'fee' | 'refund' | 'settlement' | 'withdrawal' | 'withdrawal_returned';

export const FILTERS: Record<TransactionFilter, { kinds: EntryKind[]; types: TransactionType[] }> = {
  payment: { kinds: ['payment'], types: ['payment'] },
  fee: { kinds: ['payment', 'refund'], types: ['fee'] },
  refund: { kinds: ['refund'], types: ['refund'] },
  settlement: { kinds: ['settlement'], types: ['settlement'] },
  withdrawal: { kinds: ['withdrawal', 'withdrawal_paid'], types: ['withdrawal', 'withdrawal_paid'] },
  withdrawal_returned: { kinds: ['withdrawal_returned'], types: ['withdrawal_returned'] },
};

export interface BalanceChanges {
  pendingFen: number;
  availableFen: number;
  withdrawingFen: number;
}

export interface TransactionRow {
  /** The journal entry id, plus "#fee" for a fee row. */
  id: string;
  entryId: string;
  type: TransactionType;
  /** The movement's own amount, signed from the merchant's side. */
  amountFen: number;
  changes: BalanceChanges;
  at: string;
  orderId?: string;
  refundId?: string;
  withdrawalId?: string;
}

export interface EntryLike {
  _id: string;
  appid: string;
  kind: EntryKind;
  postings: Posting[];
  ref: { orderId?: string; refundId?: string; withdrawalId?: string; reverses?: string };
  createdAt: string;
}

const FEE_SUFFIX = '#fee';

export function splitRowId(id: string): { entryId: string; fee: boolean } {
  return id.endsWith(FEE_SUFFIX)
    ? { entryId: id.slice(0, -FEE_SUFFIX.length), fee: true }
    : { entryId: id, fee: false };
}

function changesOf(entry: EntryLike): BalanceChanges {
  const of = (key: AccountKey) => postedFen(entry.postings, entry.appid, key);
  return { pendingFen: of('pending'), availableFen: of('available'), withdrawingFen: of('withdrawing') };
}

const zero = (): BalanceChanges => ({ pendingFen: 0, availableFen: 0, withdrawingFen: 0 });

/** The rows of one journal entry, main row first. */
export function rowsOf(entry: EntryLike): TransactionRow[] {
  const base = {
    entryId: entry._id,
    at: entry.createdAt,
    ...(entry.ref.orderId ? { orderId: entry.ref.orderId } : {}),
    ...(entry.ref.refundId ? { refundId: entry.ref.refundId } : {}),
    ...(entry.ref.withdrawalId ? { withdrawalId: entry.ref.withdrawalId } : {}),
  };
  const changes = changesOf(entry);
  const feeFen = postedFen(entry.postings, entry.appid, 'fees');
  const buyerFen = postedFen(entry.postings, entry.appid, 'buyerClearing');
  switch (entry.kind) {
    case 'payment':
    case 'refund': {
      // The merchant's account took (payment) or gave (refund) the gross
      // amount; the fee row carries the difference, so the two rows sum to
      // the entry's real change.
      const balance: keyof BalanceChanges = changes.availableFen !== 0 ? 'availableFen' : 'pendingFen';
      const grossFen = -buyerFen; // payment: buyer clearing -gross; refund: +gross
      const main: TransactionRow = {
        ...base,
        id: entry._id,
        type: entry.kind,
        amountFen: grossFen,
        changes: { ...zero(), [balance]: grossFen },
      };
      if (feeFen === 0) return [main];
      const fee: TransactionRow = {
        ...base,
        id: entry._id + FEE_SUFFIX,
        type: 'fee',
        amountFen: -feeFen,
        changes: { ...zero(), [balance]: -feeFen },
      };
      return [main, fee];
    }
    case 'settlement':
      return [{ ...base, id: entry._id, type: 'settlement', amountFen: changes.availableFen, changes }];
    case 'withdrawal':
      return [{ ...base, id: entry._id, type: 'withdrawal', amountFen: changes.availableFen, changes }];
    case 'withdrawal_paid':
      return [{ ...base, id: entry._id, type: 'withdrawal_paid', amountFen: changes.withdrawingFen, changes }];
    case 'withdrawal_returned':
      return [{ ...base, id: entry._id, type: 'withdrawal_returned', amountFen: changes.availableFen, changes }];
    case 'reversal':
      return [
        {
          ...base,
          id: entry._id,
          type: 'adjustment',
          amountFen: changes.pendingFen + changes.availableFen + changes.withdrawingFen,
          changes,
        },
      ];
  }
}

/** Rows of the entries that the filter keeps (all when no filter). */
export function visibleRows(entries: EntryLike[], filter?: TransactionFilter): TransactionRow[] {
  const rows = entries.flatMap(rowsOf);
  return filter ? rows.filter((r) => FILTERS[filter].types.includes(r.type)) : rows;
}
