// Words and tag colours for funds values, and list rows built from DTOs, so
// every funds page says the same thing the same way.
import type {
  BankChangeState,
  ReconciliationState,
  TransactionFilter,
  TransactionRow,
  TransactionType,
  WithdrawalState,
  WithdrawalView,
} from '../../../../typings/funds';
import { formatDateTime } from '../../../shared/beijing';
import { TYPE_LABELS } from '../../../shared/transaction-types';

export type TagTheme = 'default' | 'primary' | 'success' | 'warning' | 'danger';

/** What each row type means for the merchant, for the detail page. */
export const TYPE_HINTS: Record<TransactionType, string> = {
  payment: 'A buyer paid. The money is pending until settlement.',
  fee: "WeChat Pay's fee on a payment, or the part of it returned with a refund.",
  refund: 'Money returned to the buyer.',
  settlement: 'Pending money became available after the settlement period.',
  withdrawal: 'Moved from available to withdrawing, on its way to your bank account.',
  withdrawal_paid: 'The bank received the withdrawal.',
  withdrawal_returned: 'The withdrawal failed or was returned by the bank; the money is available again.',
  adjustment: 'A correction that reverses an earlier movement.',
};

export const FILTER_OPTIONS: Array<{ value: TransactionFilter | ''; label: string }> = [
  { value: '', label: 'All' },
  { value: 'payment', label: 'Payments' },
  { value: 'fee', label: 'Fees' },
  { value: 'refund', label: 'Refunds' },
  { value: 'settlement', label: 'Settlements' },
  { value: 'withdrawal', label: 'Withdrawals' },
  { value: 'withdrawal_returned', label: 'Returned' },
];

export const WITHDRAWAL_STATES: Record<WithdrawalState, { label: string; theme: TagTheme }> = {
  AWAITING_CONFIRMATION: { label: 'Awaiting confirmation', theme: 'warning' },
  CREATED: { label: 'Processing', theme: 'primary' },
  SUCCESS: { label: 'Paid to bank', theme: 'success' },
  FAILED: { label: 'Failed', theme: 'danger' },
  RETURNED: { label: 'Returned', theme: 'danger' },
  CLOSED: { label: 'Closed', theme: 'default' },
};

/** A linked order's state as the funds pages say it (the checkout package has its own, richer labels). */
export const ORDER_STATES: Record<string, string> = {
  CREATED: 'Awaiting payment',
  PAYING: 'Awaiting payment',
  PAID: 'Paid',
  CLOSED: 'Closed',
};

export function orderStateLabel(state: string): string {
  return Object.prototype.hasOwnProperty.call(ORDER_STATES, state) ? ORDER_STATES[state] : 'Status unknown';
}

export const BANK_CHANGE_STATES: Record<BankChangeState, { label: string; theme: TagTheme }> = {
  SUBMITTING: { label: 'Submitting', theme: 'primary' },
  AUDITING: { label: 'In review', theme: 'warning' },
  APPROVED: { label: 'Approved', theme: 'success' },
  REJECTED: { label: 'Rejected', theme: 'danger' },
  FAILED: { label: 'Not submitted', theme: 'danger' },
  // WeChat Pay did not answer: it may or may not have the change; not a failure.
  UNKNOWN: { label: "Waiting for WeChat Pay's answer", theme: 'warning' },
};

export const RECONCILIATION_STATES: Record<ReconciliationState, { label: string; theme: TagTheme }> = {
  WAITING: { label: 'Waiting for bill', theme: 'default' },
  MATCHED: { label: 'Matched', theme: 'success' },
  MISMATCHED: { label: 'Mismatches', theme: 'danger' },
};

export const MISMATCH_LABELS: Record<string, string> = {
  MISSING_IN_LEDGER: 'Payment missing in our ledger',
  MISSING_IN_BILL: "Payment missing in WeChat Pay's bill",
  NOT_POSTED: 'Paid order never posted',
  AMOUNT_MISMATCH: 'Amount differs',
  FEE_MISMATCH: 'Fee differs',
  REFUND_MISSING_IN_LEDGER: 'Refund missing in our ledger',
  REFUND_MISSING_IN_BILL: "Refund missing in WeChat Pay's bill",
  REFUND_AMOUNT_MISMATCH: 'Refund amount differs',
  REFUND_FEE_MISMATCH: 'Returned fee differs',
  BILL_TOTALS_MISMATCH: "Bill totals don't add up",
};

export interface TxRowView {
  id: string;
  title: string;
  time: string;
  amountFen: number;
}

export function txRowView(row: TransactionRow): TxRowView {
  return { id: row.id, title: TYPE_LABELS[row.type], time: formatDateTime(row.at), amountFen: row.amountFen };
}

export interface WithdrawalRowView {
  id: string;
  amountFen: number;
  label: string;
  theme: TagTheme;
  time: string;
  description: string;
}

export function withdrawalRowView(w: WithdrawalView): WithdrawalRowView {
  const state = WITHDRAWAL_STATES[w.state];
  const to = w.bankAccount ? `${w.bankName ?? ''} ${w.bankAccount}`.trim() : '';
  return {
    id: w.id,
    amountFen: w.amountFen,
    label: state.label,
    theme: state.theme,
    time: formatDateTime(w.createdAt),
    description: [formatDateTime(w.createdAt), to].filter(Boolean).join(' · '),
  };
}
