// Balances, and the dashboard's overview in one call.
import type { Balances, FundsOverview } from '../../../typings/funds';
import { beijingDate } from '../../../miniprogram/shared/beijing';
import { settlementDaysFrom } from '../domain/funds/settlement';
import { visibleRows } from '../domain/funds/transactions';
import { withdrawalDayKey } from '../domain/funds/withdrawal';
import { type JournalDoc, merchantBalances } from '../ledger/book';
import type { CallContext } from '../runtime/action';
import { serviceStatus } from '../payments/service-status';
import type { BankAccountDoc, DailyLimitDoc, ReconciliationDoc } from './docs';
import { findMerchant } from '../merchants/merchant';
import { accountView, reconciliationView } from './views';

const RECENT = 5;

/** Pending, available and withdrawing: one database round trip. */
export async function getBalances({ deps, identity }: CallContext): Promise<Balances> {
  return merchantBalances(deps.store, identity.appid);
}

export async function getOverview({ deps, identity }: CallContext): Promise<FundsOverview> {
  const { store, clock } = deps;
  const appid = identity.appid;
  const [balances, journal, bank, slot, merchant, recon] = await Promise.all([
    merchantBalances(store, appid),
    store.find<JournalDoc>('journal', { where: { appid }, orderBy: [['createdAt', 'desc']], limit: RECENT }),
    store.get<BankAccountDoc>('bankAccounts', appid),
    store.get<DailyLimitDoc>('dailyLimits', withdrawalDayKey(appid, beijingDate(clock.now()))),
    findMerchant(deps, appid),
    store.find<ReconciliationDoc>('reconciliations', { where: { appid }, orderBy: [['billDate', 'desc']], limit: 1 }),
  ]);
  return {
    service: serviceStatus(),
    balances,
    recent: visibleRows(journal.items).slice(0, RECENT),
    bankAccount: bank?.current ? { ...accountView(bank.current), reviewing: Boolean(bank.pendingChangeId) } : null,
    withdrawnToday: Boolean(slot),
    settlementDays: settlementDaysFrom(process.env),
    merchantBound: Boolean(merchant?.subMchid),
    latestReconciliation: recon.items[0] ? reconciliationView(recon.items[0]) : null,
  };
}
