// The kinds of rows in a merchant's transaction details and the one set of
// words for them, shared by the app's lists and the server's CSV export.

export const TRANSACTION_TYPES = [
  'payment', // +gross into pending
  'fee', // WeChat Pay's fee (negative), or a fee returned with a refund (positive)
  'refund', // -gross back to the buyer, from pending or available
  'settlement', // pending -> available
  'withdrawal', // available -> withdrawing (confirmed)
  'withdrawal_paid', // withdrawing -> the bank
  'withdrawal_returned', // withdrawing -> available (failed or bounced)
  'adjustment', // a reversing entry
] as const;

export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TYPE_LABELS: Record<TransactionType, string> = {
  payment: 'Payment',
  fee: 'Fee',
  refund: 'Refund',
  settlement: 'Settlement',
  withdrawal: 'Withdrawal',
  withdrawal_paid: 'Paid to bank',
  withdrawal_returned: 'Withdrawal returned',
  adjustment: 'Adjustment',
};
