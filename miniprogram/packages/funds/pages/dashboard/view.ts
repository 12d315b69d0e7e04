// The dashboard's view of the overview (pure, so it is tested without a page).
import type { FundsOverview } from '../../../../../typings/funds';
import { format } from '../../../../i18n/index';
import { pt } from '../../i18n/index';
import { reconciliationState, txRowView, type TxRowView } from '../../utils/labels';

export interface DashboardView {
  /** Shown above everything when payment management is not simply active. */
  serviceNotice: string;
  merchantBound: boolean;
  pendingFen: number;
  availableFen: number;
  withdrawingFen: number;
  settlementHint: string;
  canWithdraw: boolean;
  withdrawHint: string;
  /** The account in use: its bank and masked number, and whether a change is in review. */
  bank: { description: string; reviewing: boolean } | null;
  recent: TxRowView[];
  reconciliation: { note: string } | null;
}

export function dashboardView(o: FundsOverview): DashboardView {
  const words = pt().dashboard;
  const { availableFen, pendingFen, withdrawingFen } = o.balances;
  let withdrawHint = '';
  if (!o.bankAccount) withdrawHint = words.noBank;
  else if (o.withdrawnToday) withdrawHint = words.usedToday;
  else if (availableFen <= 0) withdrawHint = words.nothing;
  const recon = o.latestReconciliation;
  const notices = { active: '', discontinued: words.discontinued, unavailable: words.unavailable };
  return {
    serviceNotice: notices[o.service],
    merchantBound: o.merchantBound,
    pendingFen,
    availableFen,
    withdrawingFen,
    settlementHint: o.settlementDays === 0 ? words.sameDay : format(words.settleAfter, { days: o.settlementDays }),
    canWithdraw: withdrawHint === '',
    withdrawHint,
    bank: o.bankAccount
      ? {
          description: `${o.bankAccount.bankName ?? o.bankAccount.accountBank} ${o.bankAccount.accountNumber}`,
          reviewing: o.bankAccount.reviewing,
        }
      : null,
    recent: o.recent.map(txRowView),
    reconciliation: recon ? { note: `${recon.billDate} · ${reconciliationState(recon.state).label}` } : null,
  };
}
