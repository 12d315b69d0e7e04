// Balances, and the dashboard's overview in one call.
import { z } from 'zod';
import type { Balances, FundsOverview } from '../../typings/funds';
import { shanghaiDate } from '../core/domain/funds/day';
import { settlementDaysFrom } from '../core/domain/funds/settlement';
import { visibleRows } from '../core/domain/funds/transactions';
import { withdrawalDayKey } from '../core/domain/funds/withdrawal';
import { type JournalDoc, merchantBalances } from '../core/ledger/book';
import { action } from '../core/runtime/action';
import { serviceStatus } from '../checkout/service-status';
import type { BankAccountDoc, DailyLimitDoc, FundsMerchantDoc, ReconciliationDoc } from './docs';
import { accountView, reconciliationView } from './views';

const RECENT = 5;

export const balanceActions = {
  /** Pending, available and withdrawing: one database round trip. */
  getBalances: action({
    roles: ['admin'],
    input: z.object({}).strict(),
    async handler(_input, { deps, identity }): Promise<Balances> {
      return merchantBalances(deps.store, identity.appid);
    },
  }),

  getOverview: action({
    roles: ['admin'],
    input: z.object({}).strict(),
    async handler(_input, { deps, identity }): Promise<FundsOverview> {
      const { store, clock } = deps;
      const appid = identity.appid;
      const [balances, journal, bank, slot, merchant, recon] = await Promise.all([
        merchantBalances(store, appid),
        store.find<JournalDoc>('journal', { where: { appid }, orderBy: [['createdAt', 'desc']], limit: RECENT }),
        store.get<BankAccountDoc>('bankAccounts', appid),
        store.get<DailyLimitDoc>('dailyLimits', withdrawalDayKey(appid, shanghaiDate(clock.now()))),
        store.get<FundsMerchantDoc>('merchants', appid),
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
    },
  }),
};
