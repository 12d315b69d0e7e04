// Documents to the DTOs in typings/funds.d.ts. Bank account numbers and names
// leave only masked; nothing sealed ever leaves.
import type {
  BankAccountView,
  BankChangeView,
  ReconciliationDetail,
  ReconciliationView,
  WithdrawalView,
} from '../../../typings/funds';
import { ORIGINAL_STATE } from '../domain/funds/withdrawal';
import type { BankChangeDoc, ReconciliationDoc, StoredAccount, WithdrawalDoc } from './docs';

export function accountView(a: StoredAccount): BankAccountView {
  return {
    accountType: a.accountType,
    accountBank: a.accountBank,
    ...(a.bankName ? { bankName: a.bankName } : {}),
    accountNumber: a.accountNumberMasked,
    accountName: a.accountNameMasked,
  };
}

export function bankChangeView(c: BankChangeDoc): BankChangeView {
  return {
    id: c._id,
    state: c.state,
    account: accountView(c.account),
    submittedAt: c.submittedAt,
    ...(c.decidedAt ? { decidedAt: c.decidedAt } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

export function withdrawalView(w: WithdrawalDoc): WithdrawalView {
  return {
    id: w._id,
    amountFen: w.amountFen,
    state: w.state,
    originalState: ORIGINAL_STATE[w.state],
    createdAt: w.createdAt,
    ...(w.confirmedAt ? { confirmedAt: w.confirmedAt } : {}),
    ...(w.finishedAt ? { finishedAt: w.finishedAt } : {}),
    ...(w.reason ? { reason: w.reason } : {}),
    ...(w.bankAccount ? { bankAccount: w.bankAccount } : {}),
    ...(w.bankName ? { bankName: w.bankName } : {}),
  };
}

export function reconciliationView(r: ReconciliationDoc): ReconciliationView {
  return {
    billDate: r.billDate,
    state: r.state,
    billPayments: r.billPayments,
    ledgerPayments: r.ledgerPayments,
    billRefunds: r.billRefunds,
    ledgerRefunds: r.ledgerRefunds,
    billPaidFen: r.billPaidFen,
    ledgerPaidFen: r.ledgerPaidFen,
    mismatchCount: r.mismatchCount,
    checkedAt: r.checkedAt,
    ...(r.note ? { note: r.note } : {}),
  };
}

export function reconciliationDetail(r: ReconciliationDoc): ReconciliationDetail {
  return { ...reconciliationView(r), mismatches: r.mismatches.map((m) => ({ ...m })) };
}
