// The kinds of rows in a merchant's transaction details and the one set of
// words for them in each language, shared by the app's lists and the
// server's CSV export (which writes them in the requester's language).
import type { Lang } from './lang';

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

export const TYPE_LABELS: Record<Lang, Record<TransactionType, string>> = {
  'zh-CN': {
    payment: '收款',
    fee: '手续费',
    refund: '退款',
    settlement: '结算',
    withdrawal: '提现',
    withdrawal_paid: '提现到账',
    withdrawal_returned: '提现退回',
    adjustment: '调账',
  },
  'en-US': {
    payment: 'Payment',
    fee: 'Fee',
    refund: 'Refund',
    settlement: 'Settlement',
    withdrawal: 'Withdrawal',
    withdrawal_paid: 'Paid to bank',
    withdrawal_returned: 'Withdrawal returned',
    adjustment: 'Adjustment',
  },
};
