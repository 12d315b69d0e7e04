// Words and tag colours for funds values, and list rows built from DTOs, so
// every funds page says the same thing the same way, in the user's language.
import type {
  BankChangeState,
  ReconciliationState,
  TransactionFilter,
  TransactionRow,
  TransactionType,
  WithdrawalState,
  WithdrawalView,
} from '../../../../typings/funds';
import { lang } from '../../../i18n/index';
import { formatDateTime } from '../../../shared/beijing';
import { formatFen } from '../../../shared/money';
import { TYPE_LABELS } from '../../../shared/transaction-types';
import { pt } from '../i18n/index';

export type TagTheme = 'default' | 'primary' | 'success' | 'warning' | 'danger';

/** A row type in the user's language. */
export function typeLabel(type: TransactionType): string {
  return TYPE_LABELS[lang()][type];
}

/** The list's filter chips, in this order: all, then every row type (payouts and adjustments included). */
const FILTERS: Array<TransactionFilter | ''> = [
  '',
  'payment',
  'fee',
  'refund',
  'settlement',
  'withdrawal',
  'withdrawal_paid',
  'withdrawal_returned',
  'adjustment',
];

export function filterOptions(): Array<{ value: TransactionFilter | ''; label: string }> {
  const words = pt().filters;
  return FILTERS.map((value) => ({ value, label: value ? words[value] : words.all }));
}

export function isFilter(value: string): value is TransactionFilter {
  return value !== '' && (FILTERS as string[]).includes(value);
}

// Tag colours. Switches, so a new state fails type-checking until it has one.
function withdrawalTheme(state: WithdrawalState): TagTheme {
  switch (state) {
    case 'AWAITING_CONFIRMATION':
      return 'warning';
    case 'CREATED':
      return 'primary';
    case 'SUCCESS':
      return 'success';
    case 'FAILED':
    case 'RETURNED':
      return 'danger';
    case 'CLOSED':
      return 'default';
  }
}

export function withdrawalState(state: WithdrawalState): { label: string; theme: TagTheme } {
  return { label: pt().withdrawalStates[state], theme: withdrawalTheme(state) };
}

function bankChangeTheme(state: BankChangeState): TagTheme {
  switch (state) {
    case 'SUBMITTING':
      return 'primary';
    case 'AUDITING':
      return 'warning';
    case 'APPROVED':
      return 'success';
    case 'REJECTED':
    case 'FAILED':
      return 'danger';
    // WeChat Pay did not answer: it may or may not have the change; not a failure.
    case 'UNKNOWN':
      return 'warning';
  }
}

export function bankChangeState(state: BankChangeState): { label: string; theme: TagTheme } {
  return { label: pt().bankChangeStates[state], theme: bankChangeTheme(state) };
}

function reconciliationTheme(state: ReconciliationState): TagTheme {
  switch (state) {
    case 'WAITING':
      return 'default';
    case 'MATCHED':
      return 'success';
    case 'MISMATCHED':
      return 'danger';
  }
}

export function reconciliationState(state: ReconciliationState): { label: string; theme: TagTheme } {
  return { label: pt().reconciliationStates[state], theme: reconciliationTheme(state) };
}

/** The mismatch kinds this version words (core/domain/funds/reconciliation.ts); a newer one reads as "other". */
const MISMATCH_KINDS = [
  'MISSING_IN_LEDGER',
  'MISSING_IN_BILL',
  'NOT_POSTED',
  'AMOUNT_MISMATCH',
  'FEE_MISMATCH',
  'REFUND_MISSING_IN_LEDGER',
  'REFUND_MISSING_IN_BILL',
  'REFUND_AMOUNT_MISMATCH',
  'REFUND_FEE_MISMATCH',
  'BILL_TOTALS_MISMATCH',
] as const;

const known = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export function mismatchLabel(kind: string): string {
  const words = pt().mismatches;
  return known(MISMATCH_KINDS, kind) ? words[kind] : words.unknown;
}

/** The order states a linked order can be in; a newer one reads as "status unknown". */
const ORDER_STATES = ['CREATED', 'PAYING', 'PAID', 'CLOSED'] as const;

/** A linked order's state as the funds pages say it (the checkout package has its own, richer words). */
export function orderStateLabel(state: string): string {
  const words = pt().orderStates;
  return known(ORDER_STATES, state) ? words[state] : words.unknown;
}

export interface TxRowView {
  id: string;
  title: string;
  time: string;
  amountFen: number;
}

export function txRowView(row: TransactionRow): TxRowView {
  return { id: row.id, title: typeLabel(row.type), time: formatDateTime(row.at), amountFen: row.amountFen };
}

/** Where a withdrawal goes: the bank and the masked number ("招商银行 **** **** 1234"), the number kept on one line. */
export function withdrawalBank(w: WithdrawalView): string {
  return w.bankAccount ? `${w.bankName ?? ''} ${w.bankAccount.replace(/ /g, '\u00a0')}`.trim() : '';
}

export interface WithdrawalRowView {
  id: string;
  /** The amount, as the row's title. */
  amount: string;
  /** When and where it went (the state is the tag, said once). */
  description: string;
  label: string;
  theme: TagTheme;
}

export function withdrawalRowView(w: WithdrawalView): WithdrawalRowView {
  const state = withdrawalState(w.state);
  return {
    id: w.id,
    amount: formatFen(w.amountFen),
    // The time first: a long branch name wraps after it rather than break the date.
    description: [formatDateTime(w.createdAt), withdrawalBank(w)].filter(Boolean).join(' · '),
    label: state.label,
    theme: state.theme,
  };
}
