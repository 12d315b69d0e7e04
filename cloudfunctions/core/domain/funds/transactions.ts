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

/** What a list can be filtered by: every row type, each on its own. */
export type TransactionFilter = TransactionType;

export const FILTERS: Record<TransactionFilter, { kinds: EntryKind[]; types: TransactionType[] }> = {
  payment: { kinds: ['payment'], types: ['payment'] },
  fee: { kinds: ['payment', 'refund'], types: ['fee'] },
  refund: { kinds: ['refund'], types: ['refund'] },
  settlement: { kinds: ['settlement'], types: ['settlement'] },
  withdrawal: { kinds: ['withdrawal'], types: ['withdrawal'] },
  withdrawal_paid: { kinds: ['withdrawal_paid'], types: ['withdrawal_paid'] },
  withdrawal_returned: { kinds: ['withdrawal_returned'], types: ['withdrawal_returned'] },
  adjustment: { kinds: ['reversal'], types: ['adjustment'] },
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

/**
 * Where a list of rows resumes. One entry can be two rows (a payment and its
 * fee), so a page of `limit` rows may end inside an entry: the cursor is the
 * store's cursor positioned just before the next entry to read (none: from
 * the start) plus how many of that entry's visible rows were already
 * returned. Written as the store cursor alone when nothing is skipped, and as
 * `<store cursor>~<skip>` otherwise (a store cursor is base64url, never `~`).
 */
export interface RowCursor {
  after?: string;
  skip: number;
}

const SKIP_MARK = '~';

export function encodeRowCursor({ after, skip }: RowCursor): string {
  if (skip === 0) {
    if (!after) throw new RangeError('a cursor resumes somewhere: after an entry or inside one');
    return after;
  }
  return `${after ?? ''}${SKIP_MARK}${skip}`;
}

/** The cursor a client sent back; null when it is not one this list made. */
export function decodeRowCursor(cursor: string | undefined): RowCursor | null {
  if (cursor === undefined) return { skip: 0 };
  const at = cursor.lastIndexOf(SKIP_MARK);
  if (at < 0) return { after: cursor, skip: 0 };
  const skip = cursor.slice(at + 1);
  if (!/^[1-9][0-9]?$/.test(skip)) return null;
  const after = cursor.slice(0, at);
  if (after.includes(SKIP_MARK)) return null;
  return after ? { after, skip: Number(skip) } : { skip: Number(skip) };
}

/**
 * Takes at most `room` rows from `entries` (in list order), skipping the
 * first `skip` visible rows of the first entry. Says where it stopped:
 * `done` entries were used up; when `partial` is set, the entry after them
 * was cut and that many of its rows have now been returned.
 */
export function takeRows(
  entries: EntryLike[],
  filter: TransactionFilter | undefined,
  skip: number,
  room: number,
): { rows: TransactionRow[]; done: number; partial?: number } {
  const rows: TransactionRow[] = [];
  let from = skip;
  for (let i = 0; i < entries.length; i++) {
    const own = visibleRows([entries[i]], filter);
    const left = room - rows.length;
    if (own.length - from > left) {
      rows.push(...own.slice(from, from + left));
      return { rows, done: i, partial: from + left };
    }
    rows.push(...own.slice(from));
    from = 0;
    if (rows.length === room) return { rows, done: i + 1 };
  }
  return { rows, done: entries.length };
}
