// Errors of balances, transaction details, the settlement account,
// withdrawals and reconciliation.
import { declare } from './spec';

export const fundsErrors = {
  'FUNDS.INSUFFICIENT_BALANCE': declare('limit'),
  'FUNDS.TRANSACTION_NOT_FOUND': declare('not_found'),
  'FUNDS.EXPORT_TOO_LARGE': declare<{ maxRows: number }>('limit'),
  'FUNDS.RECONCILIATION_NOT_FOUND': declare<{ date: string }>('not_found'),
  'FUNDS.BILL_UNREADABLE': declare('provider'),
  'FUNDS.PROVIDER_UNAVAILABLE': declare('provider'),
  'FUNDS.NO_BANK_ACCOUNT': declare('conflict'),
  'FUNDS.BANK_ACCOUNT_UNCHANGED': declare('input'),
  'FUNDS.ACCOUNT_NAME_MISMATCH': declare<{ accountType: 'CORPORATE' | 'PERSONAL' }>('input'),
  'FUNDS.PERSONAL_ACCOUNT_NOT_ALLOWED': declare('input'),
  'FUNDS.BANK_CHANGE_DAILY_LIMIT': declare<{ perDay: number }>('limit'),
  'FUNDS.BANK_CHANGE_IN_REVIEW': declare('conflict'),
  'FUNDS.BANK_CHANGE_REFUSED': declare<{ providerCode: string }>('provider'),
  'FUNDS.BANK_CHANGE_UNCONFIRMED': declare('provider'),
  'FUNDS.WITHDRAWAL_NOT_FOUND': declare('not_found'),
  'FUNDS.WITHDRAWAL_DAILY_LIMIT': declare('limit'),
  'FUNDS.WITHDRAWAL_NOT_AWAITING': declare('conflict'),
  'FUNDS.NOT_YOUR_WITHDRAWAL': declare('auth'),
  'FUNDS.CHALLENGE_EXPIRED': declare('conflict'),
  'FUNDS.IDENTITY_CHECK_FAILED': declare<{ attemptsLeft: number }>('auth'),
} as const;
