// The documents funds reads and writes. Orders belong to payments
// (core/domain/order.ts) and the bound merchant to core/merchants.
import type { AccountType } from '../domain/funds/bank-account';
import type { StoredChallenge, WithdrawalState } from '../domain/funds/withdrawal';
import type { DayComparison } from '../domain/funds/reconciliation';

/** A bank account as stored: number and name sealed, masked forms kept for display. */
export interface StoredAccount {
  accountType: AccountType;
  accountBank: string;
  bankName?: string;
  bankAddressCode: string;
  accountNumberSealed: string;
  accountNameSealed: string;
  accountNumberMasked: string;
  accountNameMasked: string;
}

/** bankAccounts/<appid>: the account in force and the change in review, if any. */
export interface BankAccountDoc {
  _id: string;
  appid: string;
  current: StoredAccount | null;
  since: string | null;
  /** The change request in flight (SUBMITTING or AUDITING); null when none. */
  pendingChangeId: string | null;
  latestChangeId: string | null;
  updatedAt: string;
  [field: string]: unknown;
}

export interface BankChangeDoc {
  _id: string;
  appid: string;
  /** UNKNOWN: sent, but WeChat Pay's answer never came (see bank-account.ts). */
  state: 'SUBMITTING' | 'AUDITING' | 'APPROVED' | 'REJECTED' | 'FAILED' | 'UNKNOWN';
  account: StoredAccount;
  /** WeChat Pay's application number, once it accepted the request. */
  applicationNo?: string;
  requestedBy: string;
  /** Beijing date whose daily allowance it used. */
  day: string;
  submittedAt: string;
  decidedAt?: string;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  [field: string]: unknown;
}

/** dailyLimits: withdrawal-day:<appid>:<date> (one withdrawal) and bank-changes:<appid>:<date> (a counter). */
export interface DailyLimitDoc {
  _id: string;
  appid: string;
  date: string;
  count?: number;
  withdrawalId?: string;
  createdAt: string;
  [field: string]: unknown;
}

export interface WithdrawalDoc {
  _id: string;
  appid: string;
  amountFen: number;
  state: WithdrawalState;
  requestedBy: string;
  challenge: StoredChallenge;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  /** WeChat Pay's withdraw id, once it accepted the request. */
  withdrawId?: string;
  submittedAt?: string;
  finishedAt?: string;
  reason?: string;
  /** Where it goes, masked, as at confirmation. */
  bankAccount?: string;
  bankName?: string;
  [field: string]: unknown;
}

/** One day's comparison of WeChat Pay's bill with the ledger, as stored. */
export interface ReconciliationDoc extends DayComparison {
  _id: string; // <appid>:<billDate>
  appid: string;
  billDate: string;
  state: 'WAITING' | 'MATCHED' | 'MISMATCHED';
  mismatchCount: number;
  attempts: number;
  note?: string;
  checkedAt: string;
  updatedAt: string;
  [field: string]: unknown;
}
