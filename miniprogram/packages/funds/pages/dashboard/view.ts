// The dashboard's view of the overview (pure, so it is tested without a page).
import type { FundsOverview } from '../../../../../typings/funds';
import { RECONCILIATION_STATES, txRowView, type TxRowView } from '../../utils/labels';

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
  bank: { title: string; note: string; reviewing: boolean } | null;
  recent: TxRowView[];
  reconciliation: { note: string } | null;
}

const NOTICES = {
  active: '',
  discontinued:
    'Payment management has been discontinued by WeChat: buyers now pay through regular WeChat Pay. Your balances, withdrawals and bank account are still managed here.',
  unavailable: 'Payments are paused for maintenance. Balances and withdrawals are still available.',
} as const;

export function dashboardView(o: FundsOverview): DashboardView {
  const { availableFen, pendingFen, withdrawingFen } = o.balances;
  let withdrawHint = '';
  if (!o.bankAccount) withdrawHint = 'Add a bank account first';
  else if (o.withdrawnToday) withdrawHint = "Today's withdrawal is used (one a day)";
  else if (availableFen <= 0) withdrawHint = 'Nothing available to withdraw yet';
  const recon = o.latestReconciliation;
  return {
    serviceNotice: NOTICES[o.service],
    merchantBound: o.merchantBound,
    pendingFen,
    availableFen,
    withdrawingFen,
    settlementHint: o.settlementDays === 0 ? 'Available the same day' : `Available T+${o.settlementDays}`,
    canWithdraw: withdrawHint === '',
    withdrawHint,
    bank: o.bankAccount
      ? {
          title: o.bankAccount.bankName ?? o.bankAccount.accountBank,
          note: o.bankAccount.accountNumber,
          reviewing: o.bankAccount.reviewing,
        }
      : null,
    recent: o.recent.map(txRowView),
    reconciliation: recon ? { note: `${recon.billDate} · ${RECONCILIATION_STATES[recon.state].label}` } : null,
  };
}
