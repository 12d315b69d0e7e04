// Funds DTOs shared by the mini program and the `funds` function. Type-only:
// the app imports it with `import type`. Money is integer fen; times are ISO
// instants; dates (filters, days) are YYYY-MM-DD in Beijing time.
import type { ServiceStatus } from './checkout';

export interface Balances {
  /** Paid, not yet settled (T+1 by default). */
  pendingFen: number;
  /** Settled, can be withdrawn. */
  availableFen: number;
  /** On its way to the bank. */
  withdrawingFen: number;
}

/** The kinds of row in transaction details, declared once beside their labels. */
export type { TransactionType } from '../miniprogram/shared/transaction-types';
import type { TransactionType } from '../miniprogram/shared/transaction-types';

/** List filters: every row type, each on its own. */
export type TransactionFilter = TransactionType;

export interface TransactionRow {
  id: string;
  entryId: string;
  type: TransactionType;
  /** Signed, from the merchant's side: +payment, -fee, -refund, +settlement into available, -withdrawal. */
  amountFen: number;
  /** How this row moved each balance (they add up over any period). */
  changes: Balances;
  at: string;
  orderId?: string;
  refundId?: string;
  withdrawalId?: string;
}

export interface TransactionQuery {
  type?: TransactionFilter;
  /** Beijing dates, inclusive. */
  from?: string;
  to?: string;
  /** Cursor from the previous page's `next`. */
  after?: string;
  limit?: number;
}

export interface TransactionPage {
  items: TransactionRow[];
  next?: string;
}

export interface LinkedOrder {
  id: string;
  state: string;
  totalFen: number;
  feeFen: number;
  refundedFen: number;
  paidAt?: string;
  settlementState?: 'PENDING' | 'SETTLED';
  /** When a PENDING order's money becomes available. */
  settlesAt?: string;
}

export interface TransactionDetail {
  row: TransactionRow;
  /** The other rows of the same journal entry (the fee of a payment, say). */
  related: TransactionRow[];
  memo?: string;
  order: LinkedOrder | null;
  withdrawal: WithdrawalView | null;
}

export interface ExportFile {
  filename: string;
  mimeType: 'text/csv';
  /** The whole file, starting with the UTF-8 BOM. */
  content: string;
  rows: number;
}

// ---- bank account ---------------------------------------------------------------

export type AccountType = 'CORPORATE' | 'PERSONAL';

export interface BankAccountView {
  accountType: AccountType;
  accountBank: string;
  bankName?: string;
  /** "**** **** 0123" */
  accountNumber: string;
  /** Masked name. */
  accountName: string;
}

/**
 * UNKNOWN: WeChat Pay did not answer the request (timeout, network), so it may
 * or may not have accepted it; shown as "waiting for WeChat Pay's answer", not
 * as failed. No other change is allowed until it is resolved.
 */
export type BankChangeState = 'SUBMITTING' | 'AUDITING' | 'APPROVED' | 'REJECTED' | 'FAILED' | 'UNKNOWN';

export interface BankChangeView {
  id: string;
  state: BankChangeState;
  account: BankAccountView;
  submittedAt: string;
  decidedAt?: string;
  reason?: string;
}

export interface BankAccountStatus {
  /** The account in force; null until one is on file. */
  current: (BankAccountView & { since: string }) | null;
  /** The latest change request (in review, or how the last one ended). */
  latestChange: BankChangeView | null;
  changesLeftToday: number;
  /** Individual businesses may use a personal account. */
  personalAllowed: boolean;
  /** WeChat Pay's `account_bank` values (bank data, in Chinese). */
  banks: string[];
  /** The one of `banks` that names no bank: the full branch name goes in `bankName`. */
  otherBank: string;
}

export interface BankChangeInput {
  accountType: AccountType;
  accountBank: string;
  bankName?: string;
  bankAddressCode: string;
  accountName: string;
  accountNumber: string;
}

// ---- withdrawals ------------------------------------------------------------------

export type WithdrawalState = 'AWAITING_CONFIRMATION' | 'CREATED' | 'SUCCESS' | 'FAILED' | 'RETURNED' | 'CLOSED';

export interface WithdrawalView {
  id: string;
  amountFen: number;
  state: WithdrawalState;
  /** The original service's state name (BEFORE_SCAN_QRCODE, CREATE_SUCCESS, SUCCESS, FAIL, REFUND, CLOSE). */
  originalState: string;
  createdAt: string;
  confirmedAt?: string;
  finishedAt?: string;
  reason?: string;
  /** Masked account it goes to. */
  bankAccount?: string;
  bankName?: string;
}

/**
 * The identity check to pass. `soter`: sign `nonce` with
 * wx.startSoterAuthentication (fingerprint or face) and send the result.
 * `code`: type the six-digit code delivered out of band (the local stack
 * prints it in its terminal and writes it to .data/identity-codes.log).
 */
export interface IdentityChallenge {
  method: 'soter' | 'code';
  nonce: string;
  expiresAt: string;
  attemptsLeft: number;
}

export interface WithdrawalRequested {
  withdrawal: WithdrawalView;
  challenge: IdentityChallenge;
}

export type IdentityProof = { code: string } | { resultJSON: string; resultJSONSignature: string };

export interface WithdrawalPage {
  items: WithdrawalView[];
  next?: string;
}

// ---- reconciliation -----------------------------------------------------------------

export interface MismatchView {
  kind: string;
  orderId?: string;
  refundId?: string;
  billFen?: number;
  ledgerFen?: number;
  detail: string;
}

export type ReconciliationState = 'WAITING' | 'MATCHED' | 'MISMATCHED';

export interface ReconciliationView {
  billDate: string;
  state: ReconciliationState;
  billPayments: number;
  ledgerPayments: number;
  billRefunds: number;
  ledgerRefunds: number;
  billPaidFen: number;
  ledgerPaidFen: number;
  mismatchCount: number;
  checkedAt: string;
  /** Why the bill is not compared yet (WAITING). */
  note?: string;
}

export interface ReconciliationDetail extends ReconciliationView {
  mismatches: MismatchView[];
}

export interface ReconciliationPage {
  items: ReconciliationView[];
  next?: string;
}

// ---- dashboard -------------------------------------------------------------------

export interface FundsOverview {
  /** Payment management's availability (checkout's PMS_SERVICE_STATUS). */
  service: ServiceStatus;
  balances: Balances;
  recent: TransactionRow[];
  bankAccount: (BankAccountView & { reviewing: boolean }) | null;
  /** Today's withdrawal is used (one a day). */
  withdrawnToday: boolean;
  settlementDays: number;
  merchantBound: boolean;
  latestReconciliation: ReconciliationView | null;
}
