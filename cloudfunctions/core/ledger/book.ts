// Posting journal entries and reading balances. Written for CloudBase's
// transaction rule (single-document operations only): an entry is one journal
// document plus one conditional increment per account balance document, all
// in one transaction. The journal id is the business event's id, so posting
// the same event twice is a no-op.
import {
  Accounts,
  assertBalanced,
  type EntryDraft,
  InsufficientBalance,
  mustStayNonNegative,
  type Posting,
} from '../domain/ledger';
import { type Doc, type DocOps, isDuplicate, type Store } from '../ports/store';

export interface JournalDoc extends Doc {
  appid: string;
  kind: EntryDraft['kind'];
  postings: Posting[];
  ref: EntryDraft['ref'];
  memo?: string;
  createdAt: string;
}

export interface BalanceDoc extends Doc {
  appid: string;
  balanceFen: number;
  updatedAt: string;
}

/** Posts inside a caller's transaction, so a state change and its money move commit together. */
export async function postInTransaction(tx: DocOps, entry: EntryDraft, now: Date): Promise<boolean> {
  assertBalanced(entry);
  const at = now.toISOString();
  const doc: JournalDoc = {
    _id: entry.id,
    appid: entry.appid,
    kind: entry.kind,
    postings: entry.postings,
    ref: entry.ref,
    createdAt: at,
  };
  if (entry.memo) doc.memo = entry.memo;
  try {
    // The journal document goes first: its id is the event, so a repeat stops here.
    await tx.insert<JournalDoc>('journal', doc);
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
  for (const { account, amountFen } of entry.postings) {
    const guarded = mustStayNonNegative(account) && amountFen < 0;
    const applied = await tx.update(
      'balances',
      account,
      { inc: { balanceFen: amountFen }, set: { updatedAt: at } },
      guarded ? { balanceFen: { $gte: -amountFen } } : undefined,
    );
    if (applied) continue;
    // Not applied: the guard refused, or the account has no balance document yet
    // (a missing guarded account holds zero, which is not enough either).
    if (guarded) throw new InsufficientBalance(account);
    await tx.insert<BalanceDoc>('balances', { _id: account, appid: entry.appid, balanceFen: amountFen, updatedAt: at });
  }
  return true;
}

/** Posts one entry atomically. Returns false when it was already posted. */
export function post(store: Store, entry: EntryDraft, now: Date): Promise<boolean> {
  return store.transaction((tx) => postInTransaction(tx, entry, now));
}

export interface MerchantBalances {
  pendingFen: number;
  availableFen: number;
  withdrawingFen: number;
}

/** A merchant's three balances in one query. */
export async function merchantBalances(store: Store, appid: string): Promise<MerchantBalances> {
  const ids = {
    pending: Accounts.pending(appid),
    available: Accounts.available(appid),
    withdrawing: Accounts.withdrawing(appid),
  };
  const page = await store.find<BalanceDoc>('balances', {
    where: { appid, _id: { $in: Object.values(ids) } },
    limit: 3,
  });
  const of = (id: string) => page.items.find((b) => b._id === id)?.balanceFen ?? 0;
  return { pendingFen: of(ids.pending), availableFen: of(ids.available), withdrawingFen: of(ids.withdrawing) };
}
