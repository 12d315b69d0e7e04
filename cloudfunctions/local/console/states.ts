// The words for every state the console shows, per kind, in Chinese and
// English, with the tone its tag takes. An unknown state shows its code.
import type { Lang } from './i18n';
import type { Tone } from './views';

type Labels = Record<string, [zh: string, en: string, tone: Tone]>;

const STATES = {
  application: {
    EDITING: ['填写中', 'Editing', 'plain'],
    AUDITING: ['审核中', 'In review', 'warn'],
    REJECTED: ['已驳回', 'Rejected', 'bad'],
    TO_BE_CONFIRMED: ['待账户验证', 'Account verification', 'warn'],
    TO_BE_SIGNED: ['待签约', 'To be signed', 'warn'],
    SIGNING: ['开通权限中', 'Opening', 'info'],
    FINISHED: ['已完成', 'Finished', 'ok'],
    CANCELED: ['已作废', 'Cancelled', 'plain'],
  },
  order: {
    CREATED: ['待支付', 'Awaiting payment', 'plain'],
    PAYING: ['支付中', 'Paying', 'warn'],
    PAID: ['已支付', 'Paid', 'ok'],
    CLOSED: ['已关闭', 'Closed', 'plain'],
  },
  trade: {
    SUCCESS: ['支付成功', 'Paid', 'ok'],
    REFUND: ['转入退款', 'Refunded', 'info'],
    NOTPAY: ['未支付', 'Not paid', 'warn'],
    CLOSED: ['已关闭', 'Closed', 'plain'],
    REVOKED: ['已撤销', 'Revoked', 'plain'],
    USERPAYING: ['用户支付中', 'Buyer paying', 'warn'],
    PAYERROR: ['支付失败', 'Payment failed', 'bad'],
  },
  refund: {
    PROCESSING: ['退款中', 'Processing', 'warn'],
    SUCCESS: ['退款成功', 'Refunded', 'ok'],
    ABNORMAL: ['退款异常', 'Abnormal', 'bad'],
    CLOSED: ['退款关闭', 'Closed', 'plain'],
  },
  settlement: {
    PENDING: ['待结算', 'Pending', 'warn'],
    SETTLED: ['已结算', 'Settled', 'ok'],
  },
  withdrawal: {
    AWAITING_CONFIRMATION: ['待身份验证', 'Awaiting confirmation', 'warn'],
    CREATED: ['处理中', 'Processing', 'info'],
    SUCCESS: ['已到账', 'Paid to bank', 'ok'],
    FAILED: ['提现失败', 'Failed', 'bad'],
    RETURNED: ['已退票', 'Returned', 'bad'],
    CLOSED: ['已关闭', 'Closed', 'plain'],
  },
  wxWithdraw: {
    CREATE_SUCCESS: ['银行处理中', 'At the bank', 'info'],
    SUCCESS: ['已到账', 'Paid out', 'ok'],
    FAIL: ['失败', 'Failed', 'bad'],
    REFUND: ['已退票', 'Returned', 'bad'],
    INIT: ['初始化', 'Initialised', 'plain'],
    CLOSE: ['已关闭', 'Closed', 'plain'],
  },
  bankChange: {
    SUBMITTING: ['提交中', 'Submitting', 'info'],
    AUDITING: ['审核中', 'In review', 'warn'],
    APPROVED: ['已通过', 'Approved', 'ok'],
    REJECTED: ['已驳回', 'Rejected', 'bad'],
    FAILED: ['未提交', 'Not submitted', 'bad'],
    UNKNOWN: ['等待微信支付答复', "Waiting for WeChat Pay's answer", 'warn'],
  },
  wxSettlement: {
    AUDITING: ['审核中', 'In review', 'warn'],
    AUDIT_SUCCESS: ['已通过', 'Approved', 'ok'],
    AUDIT_FAIL: ['已驳回', 'Rejected', 'bad'],
  },
  reconciliation: {
    WAITING: ['等待账单', 'Waiting for the bill', 'plain'],
    MATCHED: ['一致', 'Matched', 'ok'],
    MISMATCHED: ['有差异', 'Mismatches', 'bad'],
  },
  delivery: {
    pending: ['待投递', 'Pending', 'warn'],
    sending: ['投递中', 'Sending', 'info'],
    delivered: ['已送达', 'Delivered', 'ok'],
    gave_up: ['已放弃', 'Gave up', 'bad'],
  },
  merchantType: {
    INDIVIDUAL: ['个体工商户', 'Individual business', 'plain'],
    ENTERPRISE: ['企业', 'Enterprise', 'plain'],
    INSTITUTION: ['事业单位', 'Public institution', 'plain'],
    GOVERNMENT: ['政府机关', 'Government agency', 'plain'],
    SOCIAL_ORG: ['社会组织', 'Social organisation', 'plain'],
  },
  account: {
    buyerClearing: ['买家清算', 'Buyer clearing', 'plain'],
    pending: ['待结算', 'Pending', 'warn'],
    available: ['可用', 'Available', 'ok'],
    withdrawing: ['提现中', 'Withdrawing', 'info'],
    fees: ['手续费', 'Fees', 'plain'],
    bank: ['银行', 'Bank', 'plain'],
  },
  entry: {
    payment: ['收款', 'Payment', 'ok'],
    refund: ['退款', 'Refund', 'warn'],
    settlement: ['结算', 'Settlement', 'info'],
    withdrawal: ['提现', 'Withdrawal', 'info'],
    withdrawal_paid: ['提现到账', 'Paid to bank', 'ok'],
    withdrawal_returned: ['提现退回', 'Withdrawal returned', 'bad'],
    reversal: ['冲正', 'Reversal', 'bad'],
  },
  job: {
    queryPaying: ['查询支付中订单', 'Query paying orders', 'plain'],
    closeExpired: ['关闭过期订单', 'Close expired orders', 'plain'],
    syncRefunds: ['同步退款', 'Sync refunds', 'plain'],
    settle: ['结算', 'Settle', 'plain'],
    pollWithdrawals: ['查询提现', 'Poll withdrawals', 'plain'],
    pollBankChanges: ['查询结算账户变更', 'Poll bank changes', 'plain'],
    reconcile: ['对账', 'Reconcile', 'plain'],
    pollApplications: ['查询申请审核', 'Poll applications', 'plain'],
  },
} satisfies Record<string, Labels>;

export type StateKind = keyof typeof STATES;

/** A state's words and tone; an unknown state shows its code. */
export function stateLabel(lang: Lang, kind: StateKind, state: string): { label: string; tone: Tone } {
  const labels: Labels = STATES[kind];
  const found = Object.hasOwn(labels, state) ? labels[state] : undefined;
  if (!found) return { label: state, tone: 'plain' };
  return { label: lang === 'en-US' ? found[1] : found[0], tone: found[2] };
}
