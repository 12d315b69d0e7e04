// The ledger's self-check: recompute every balance from the journal and
// compare with the materialised balance documents. Any difference, or any
// entry that breaks the ledger's rule (postings of non-zero integer fen to
// distinct accounts, summing to zero), is reported (never silently fixed).
import { assertBalanced } from '../domain/ledger';
import type { Filter, Page, Store } from '../ports/store';
import type { BalanceDoc, JournalDoc } from './book';

export interface LedgerCheck {
  entries: number;
  accounts: number;
  unbalancedEntries: string[];
  differences: Array<{ account: string; journalFen: number; balanceFen: number }>;
  ok: boolean;
}

export async function verifyLedger(store: Store, appid?: string): Promise<LedgerCheck> {
  const where: Filter = appid ? { appid } : {};
  const sums = new Map<string, number>();
  const unbalancedEntries: string[] = [];
  let entries = 0;
  let after: string | undefined;
  do {
    const page: Page<JournalDoc> = await store.find<JournalDoc>('journal', {
      where,
      orderBy: [['createdAt', 'asc']],
      limit: 100,
      after,
    });
    for (const entry of page.items) {
      entries++;
      for (const p of entry.postings) sums.set(p.account, (sums.get(p.account) ?? 0) + p.amountFen);
      if (!keepsTheRule(entry)) unbalancedEntries.push(entry._id);
    }
    after = page.next;
  } while (after);

  const balances = new Map<string, number>();
  after = undefined;
  do {
    const page: Page<BalanceDoc> = await store.find<BalanceDoc>('balances', { where, limit: 100, after });
    for (const b of page.items) balances.set(b._id, b.balanceFen);
    after = page.next;
  } while (after);

  const differences: LedgerCheck['differences'] = [];
  for (const account of new Set([...sums.keys(), ...balances.keys()])) {
    const journalFen = sums.get(account) ?? 0;
    const balanceFen = balances.get(account) ?? 0;
    if (journalFen !== balanceFen) differences.push({ account, journalFen, balanceFen });
  }
  return {
    entries,
    accounts: balances.size,
    unbalancedEntries,
    differences,
    ok: differences.length === 0 && unbalancedEntries.length === 0,
  };
}

function keepsTheRule(entry: JournalDoc): boolean {
  try {
    assertBalanced({ id: entry._id, appid: entry.appid, kind: entry.kind, ref: entry.ref, postings: entry.postings });
    return true;
  } catch {
    return false;
  }
}
