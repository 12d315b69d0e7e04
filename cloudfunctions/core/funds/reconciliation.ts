// Daily reconciliation (the reconcile job) and its results for the merchant.
// Each day's result is recorded once decided: MATCHED, or MISMATCHED with
// every difference. WAITING means WeChat Pay's bill could not be had yet
// (bills are ready the morning after); the job tries again.
import type { ReconciliationDetail, ReconciliationPage } from '../../../typings/funds';
import { addDays, beijingDate, dayRange } from '../../../miniprogram/shared/beijing';
import {
  compareDay,
  type LedgerPayment,
  type LedgerRefund,
  type ParsedBill,
  parseTradeBill,
} from '../domain/funds/reconciliation';
import { Accounts } from '../domain/ledger';
import { AppError } from '../errors';
import type { JournalDoc } from '../ledger/book';
import { PayError } from '../ports/pay';
import type { Doc, Filter, FindOptions } from '../ports/store';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import type { OrderDoc } from '../domain/order';
import type { ReconciliationDoc } from './docs';
import type { MerchantDoc } from '../merchants/merchant';
import { findPage, type PageRequest } from '../runtime/paging';
import { reconciliationDetail, reconciliationView } from './views';

/** Days back the job looks for a day still to reconcile. */
export const LOOKBACK_DAYS = 7;
/** Mismatches kept per day; the count is always exact. */
const MAX_STORED_MISMATCHES = 500;

async function all<T extends Doc>(deps: Deps, collection: string, options: FindOptions): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await deps.store.find<T>(collection, { ...options, limit: 100, after });
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/** Our side of a day: orders paid that day with their payment entries, and the day's refund entries. */
async function ledgerDay(
  deps: Deps,
  appid: string,
  date: string,
): Promise<{ payments: LedgerPayment[]; refunds: LedgerRefund[] }> {
  const { startIso, endIso } = dayRange(date, date);
  const orders = await all<OrderDoc>(deps, 'orders', {
    where: { appid, paidAt: { $gte: startIso, $lt: endIso } },
    orderBy: [['paidAt', 'asc']],
  });
  // A payment is posted when its notification arrives, which may be just
  // after midnight: read the entries of the day and its neighbours.
  const window = dayRange(addDays(date, -1), addDays(date, 1));
  const entries = await all<JournalDoc>(deps, 'journal', {
    where: { appid, kind: 'payment', createdAt: { $gte: window.startIso, $lt: window.endIso } },
    orderBy: [['createdAt', 'asc']],
  });
  const byOrder = new Map(entries.map((e) => [e.ref.orderId, e]));
  const payments: LedgerPayment[] = [];
  for (const order of orders) {
    const entry = byOrder.get(order._id) ?? (await deps.store.get<JournalDoc>('journal', `payment:${order._id}`));
    const posted = entry
      ? -(entry.postings.find((p) => p.account === Accounts.buyerClearing(appid))?.amountFen ?? 0)
      : null;
    const fee = entry ? (entry.postings.find((p) => p.account === Accounts.fees(appid))?.amountFen ?? 0) : null;
    payments.push({ orderId: order._id, totalFen: order.totalFen, postedFen: posted, postedFeeFen: fee });
  }
  const refundEntries = await all<JournalDoc>(deps, 'journal', {
    where: { appid, kind: 'refund', createdAt: { $gte: startIso, $lt: endIso } },
    orderBy: [['createdAt', 'asc']],
  });
  const refunds: LedgerRefund[] = refundEntries.map((e) => ({
    refundId: e.ref.refundId ?? e._id,
    orderId: e.ref.orderId ?? '',
    refundFen: e.postings.find((p) => p.account === Accounts.buyerClearing(appid))?.amountFen ?? 0,
    feeReturnedFen: -(e.postings.find((p) => p.account === Accounts.fees(appid))?.amountFen ?? 0),
  }));
  return { payments, refunds };
}

async function save(deps: Deps, doc: ReconciliationDoc): Promise<void> {
  const existing = await deps.store.get<ReconciliationDoc>('reconciliations', doc._id);
  if (!existing) {
    await deps.store.insert('reconciliations', doc);
    return;
  }
  const { _id, ...fields } = doc;
  // Only a WAITING day is ever rewritten; a decided day stays as decided.
  await deps.store.update(
    'reconciliations',
    _id,
    { set: { ...fields, attempts: existing.attempts + 1 } },
    { state: 'WAITING' },
  );
}

/** Reconciles one merchant's day. Returns the recorded state. */
export async function reconcileDay(
  deps: Deps,
  merchant: MerchantDoc,
  date: string,
): Promise<ReconciliationDoc['state']> {
  const now = deps.clock.now().toISOString();
  const appid = merchant.appid;
  const base = { _id: `${appid}:${date}`, appid, billDate: date, attempts: 1, checkedAt: now, updatedAt: now };
  const empty = {
    billPayments: 0,
    billRefunds: 0,
    ledgerPayments: 0,
    ledgerRefunds: 0,
    billPaidFen: 0,
    ledgerPaidFen: 0,
    mismatches: [],
    mismatchCount: 0,
  };
  let bill: ParsedBill;
  try {
    // null: WeChat Pay has no bill because the day had no trades.
    const csv = await deps.pay.tradeBill(merchant.subMchid, date);
    bill = csv === null ? { trades: [], summary: null } : parseTradeBill(csv);
  } catch (err) {
    const note = err instanceof PayError || err instanceof AppError ? err.message : 'The bill could not be downloaded';
    deps.log.warn({ appid, date, err }, 'trade bill not available; retried next run');
    await save(deps, { ...base, ...empty, state: 'WAITING', note });
    return 'WAITING';
  }
  const { payments, refunds } = await ledgerDay(deps, appid, date);
  const result = compareDay(bill, payments, refunds);
  await save(deps, {
    ...base,
    ...result,
    mismatches: result.mismatches.slice(0, MAX_STORED_MISMATCHES),
    mismatchCount: result.mismatches.length,
    state: result.mismatches.length ? 'MISMATCHED' : 'MATCHED',
  });
  if (result.mismatches.length)
    deps.log.warn({ appid, date, mismatches: result.mismatches.length }, 'reconciliation found mismatches');
  return result.mismatches.length ? 'MISMATCHED' : 'MATCHED';
}

export interface ReconcileResult {
  matched: number;
  mismatched: number;
  waiting: number;
}

/** The reconcile job: every bound merchant, every recent day not yet decided, up to yesterday (Beijing). */
export async function reconcile(deps: Deps): Promise<ReconcileResult> {
  const result: ReconcileResult = { matched: 0, mismatched: 0, waiting: 0 };
  const today = beijingDate(deps.clock.now());
  const merchants = await all<MerchantDoc>(deps, 'merchants', {});
  for (const merchant of merchants) {
    if (!merchant.subMchid) continue;
    const first = merchant.boundAt ? beijingDate(new Date(merchant.boundAt)) : addDays(today, -LOOKBACK_DAYS);
    for (let back = LOOKBACK_DAYS; back >= 1; back--) {
      const date = addDays(today, -back);
      if (date < first) continue;
      const done = await deps.store.get<ReconciliationDoc>('reconciliations', `${merchant.appid}:${date}`);
      if (done && done.state !== 'WAITING') continue;
      const state = await reconcileDay(deps, merchant, date);
      result[state === 'MATCHED' ? 'matched' : state === 'MISMATCHED' ? 'mismatched' : 'waiting']++;
    }
  }
  return result;
}

export async function listReconciliations(
  { deps, identity }: CallContext,
  { after, limit }: PageRequest,
): Promise<ReconciliationPage> {
  const where: Filter = { appid: identity.appid };
  const page = await findPage<ReconciliationDoc>(deps.store, 'reconciliations', {
    where,
    orderBy: [['billDate', 'desc']],
    limit: limit ?? 20,
    after,
  });
  return { items: page.items.map(reconciliationView), ...(page.next ? { next: page.next } : {}) };
}

export async function getReconciliation(
  { deps, identity }: CallContext,
  { date }: { date: string },
): Promise<ReconciliationDetail> {
  const doc = await deps.store.get<ReconciliationDoc>('reconciliations', `${identity.appid}:${date}`);
  if (!doc) throw new AppError('FUNDS.RECONCILIATION_NOT_FOUND', `No reconciliation of ${date}`, undefined, { date });
  return reconciliationDetail(doc);
}
