// Transaction details: the journal as the merchant sees it (see
// core/domain/funds/transactions.ts), newest first with cursor pagination,
// a detail linking to the order or withdrawal, and a CSV export.
import type { ExportFile, LinkedOrder, TransactionDetail, TransactionPage } from '../../../typings/funds';
import type { Lang } from '../../../miniprogram/shared/lang';
import { transactionsCsv } from '../domain/funds/csv';
import { daysBetween, dayRange } from '../../../miniprogram/shared/beijing';
import { settlementDaysFrom, settlesAt } from '../domain/funds/settlement';
import {
  decodeRowCursor,
  encodeRowCursor,
  FILTERS,
  rowsOf,
  splitRowId,
  type TransactionFilter,
  type TransactionRow,
  takeRows,
  visibleRows,
} from '../domain/funds/transactions';
import { fieldProblem } from '../../../miniprogram/shared/errors';
import { AppError, Errors } from '../errors';
import type { JournalDoc } from '../ledger/book';
import { encodeCursor, sortKeys } from '../ports/cursor';
import type { Filter, FindOptions } from '../ports/store';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import type { OrderDoc } from '../domain/order';
import type { WithdrawalDoc } from './docs';
import { findPage, type PageRequest } from '../runtime/paging';
import { withdrawalView } from './views';

export const MAX_LIST_DAYS = 366;
export const MAX_EXPORT_DAYS = 92;
/** An export is returned in the call's response; this keeps it well under the platform's response size limit. */
export const MAX_EXPORT_ROWS = 5000;
/** Pages of entries a list call may read to fill its page (the fee filter skips fee-free payments). */
const MAX_SCAN_PAGES = 5;

const notFound = () => new AppError('FUNDS.TRANSACTION_NOT_FOUND', 'The transaction was not found');

export interface TransactionQuery extends PageRequest {
  type?: TransactionFilter;
  from?: string;
  to?: string;
}

function rangeFilter(from: string | undefined, to: string | undefined, maxDays: number): Filter {
  if (!from && !to) return {};
  if (!from || !to)
    throw new AppError('INPUT.INVALID', 'Please correct: from, to (a range needs both ends)', {
      [from ? 'to' : 'from']: fieldProblem('required'),
    });
  const span = daysBetween(from, to);
  if (span < 0)
    throw new AppError('INPUT.INVALID', 'Please correct: to (must not be before from)', {
      to: fieldProblem('rangeOrder'),
    });
  if (span >= maxDays)
    throw new AppError('INPUT.INVALID', `Please correct: to (the range may cover at most ${maxDays} days)`, {
      to: fieldProblem('rangeTooLong', { maxDays }),
    });
  const { startIso, endIso } = dayRange(from, to);
  return { createdAt: { $gte: startIso, $lt: endIso } };
}

function journalFilter(appid: string, type: TransactionFilter | undefined, range: Filter): Filter {
  const where: Filter = { appid, ...range };
  if (type) {
    const kinds = FILTERS[type].kinds;
    where.kind = kinds.length === 1 ? kinds[0] : { $in: kinds };
  }
  return where;
}

async function linkedOrder(deps: Deps, orderId: string, appid: string): Promise<LinkedOrder | null> {
  const order = await deps.store.get<OrderDoc>('orders', orderId);
  if (!order || order.appid !== appid) return null;
  const linked: LinkedOrder = {
    id: order._id,
    state: order.state,
    totalFen: order.totalFen,
    feeFen: order.feeFen ?? 0,
    refundedFen: order.refundedFen,
  };
  if (order.paidAt) linked.paidAt = order.paidAt;
  if (order.settlementState) linked.settlementState = order.settlementState;
  if (order.settlementState === 'PENDING' && order.paidAt)
    linked.settlesAt = settlesAt(new Date(order.paidAt), settlementDaysFrom(process.env)).toISOString();
  return linked;
}

/**
 * One page of at most `limit` rows (default 20), newest first. A journal
 * entry can be two rows, so a page may end inside one; its cursor then
 * resumes with that entry's remaining row (domain RowCursor). Entries are
 * read `limit` at a time, since each gives at least one row unless the
 * filter hides it (the fee filter skips fee-free payments); at most
 * MAX_SCAN_PAGES reads, after which the rows so far come back with a cursor.
 */
export async function listTransactions(
  { deps, identity }: CallContext,
  { type, from, to, after, limit }: TransactionQuery,
): Promise<TransactionPage> {
  const where = journalFilter(identity.appid, type, rangeFilter(from, to, MAX_LIST_DAYS));
  const start = decodeRowCursor(after);
  if (!start) throw Errors.badInput({ after: fieldProblem('cursor') });
  const size = limit ?? 20;
  const options: FindOptions = { where, orderBy: [['createdAt', 'desc']], limit: size };
  // The store's own cursor after an entry (what its `next` would be had the page ended there).
  const cursorAfter = (entry: JournalDoc) => encodeCursor(sortKeys(options), entry);
  const items: TransactionRow[] = [];
  let position = start.after;
  let skip = start.skip;
  for (let scanned = 0; scanned < MAX_SCAN_PAGES; scanned++) {
    const page = await findPage<JournalDoc>(deps.store, 'journal', { ...options, after: position });
    const taken = takeRows(page.items, type, skip, size - items.length);
    items.push(...taken.rows);
    if (taken.partial !== undefined) {
      const before = taken.done === 0 ? position : cursorAfter(page.items[taken.done - 1]);
      return { items, next: encodeRowCursor({ after: before, skip: taken.partial }) };
    }
    if (taken.done < page.items.length) return { items, next: cursorAfter(page.items[taken.done - 1]) };
    if (!page.next) return { items };
    position = page.next;
    skip = 0;
    if (items.length === size) break;
  }
  return { items, ...(position ? { next: position } : {}) };
}

export async function getTransaction(
  { deps, identity }: CallContext,
  { id }: { id: string },
): Promise<TransactionDetail> {
  const { entryId } = splitRowId(id);
  const entry = await deps.store.get<JournalDoc>('journal', entryId);
  if (!entry || entry.appid !== identity.appid) throw notFound();
  const rows = rowsOf(entry);
  const row = rows.find((r) => r.id === id);
  if (!row) throw notFound();
  const order = entry.ref.orderId ? await linkedOrder(deps, entry.ref.orderId, identity.appid) : null;
  const w = entry.ref.withdrawalId ? await deps.store.get<WithdrawalDoc>('withdrawals', entry.ref.withdrawalId) : null;
  return {
    row,
    related: rows.filter((r) => r.id !== id),
    ...(entry.memo ? { memo: entry.memo } : {}),
    order,
    withdrawal: w && w.appid === identity.appid ? withdrawalView(w) : null,
  };
}

/**
 * The range's rows, oldest first, as a CSV file. The file travels in the
 * response in both modes (the app writes it with wx.getFileSystemManager
 * and offers wx.shareFileMessage): one path to test, no storage to clean
 * up, nothing to expire. At most MAX_EXPORT_ROWS rows (~500 KB), well
 * within a function response; a longer range is refused with a typed error.
 * Headers and type words are in `lang`, the app's language (Chinese when absent).
 */
export async function exportTransactions(
  { deps, identity }: CallContext,
  { from, to, lang }: { from: string; to: string; lang?: Lang },
): Promise<ExportFile> {
  const where = journalFilter(identity.appid, undefined, rangeFilter(from, to, MAX_EXPORT_DAYS));
  const rows: TransactionRow[] = [];
  let after: string | undefined;
  do {
    const page = await deps.store.find<JournalDoc>('journal', {
      where,
      orderBy: [['createdAt', 'asc']],
      limit: 100,
      after,
    });
    rows.push(...visibleRows(page.items));
    if (rows.length > MAX_EXPORT_ROWS) {
      throw new AppError(
        'FUNDS.EXPORT_TOO_LARGE',
        `More than ${MAX_EXPORT_ROWS} transactions in this range. Export a shorter range.`,
        undefined,
        {
          maxRows: MAX_EXPORT_ROWS,
        },
      );
    }
    after = page.next;
  } while (after);
  return {
    filename: `transactions_${from}_${to}.csv`,
    mimeType: 'text/csv',
    content: transactionsCsv(rows, lang),
    rows: rows.length,
  };
}
