// WeChat Pay v3 JSON shapes (snake_case, as on the wire), shared by the
// adapter and the local sandbox, and their mapping to the PayProvider port.
import type { ApplymentState, ApplymentStatus, Refund, RefundStatus, TradeState, Transaction, WithdrawStatus } from '../../ports/pay';

export interface WxAmount {
  total: number;
  payer_total?: number;
  currency: 'CNY';
  payer_currency?: 'CNY';
}

/** A transaction as queried or notified, partner (sp_/sub_) or direct (appid/mchid). */
export interface WxTransaction {
  sp_appid?: string;
  sp_mchid?: string;
  sub_appid?: string;
  sub_mchid?: string;
  appid?: string;
  mchid?: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: 'JSAPI';
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { sp_openid?: string; sub_openid?: string; openid?: string };
  amount: WxAmount;
}

export interface WxRefundAmount {
  total: number;
  refund: number;
  payer_total: number;
  payer_refund: number;
  settlement_total?: number;
  settlement_refund?: number;
  discount_refund?: number;
  currency?: 'CNY';
}

/** A refund as answered by create/query (status) or notified (refund_status). */
export interface WxRefund {
  sp_mchid?: string;
  sub_mchid?: string;
  mchid?: string;
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel?: 'ORIGINAL';
  user_received_account?: string;
  success_time?: string;
  create_time?: string;
  status?: RefundStatus;
  refund_status?: RefundStatus;
  funds_account?: string;
  amount: WxRefundAmount;
}

export interface WxNotification {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: 'encrypt-resource';
  summary: string;
  resource: { original_type: string; algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; nonce: string; associated_data: string };
}

export interface WxApplymentStatus {
  business_code: string;
  applyment_id: number;
  sub_mchid?: string;
  sign_url?: string;
  legal_validation_url?: string;
  applyment_state: ApplymentState;
  applyment_state_msg: string;
  audit_detail?: Array<{ field: string; field_name: string; reject_reason: string }>;
  account_validation?: {
    account_name: string;
    account_no?: string;
    pay_amount: number;
    destination_account_number: string;
    destination_account_name: string;
    destination_account_bank: string;
    city: string;
    remark: string;
    deadline: string;
  };
}

export interface WxSettlementApplication {
  account_name: string;
  account_type: 'ACCOUNT_TYPE_BUSINESS' | 'ACCOUNT_TYPE_PRIVATE';
  account_bank: string;
  bank_name?: string;
  bank_branch_id?: string;
  account_number: string;
  verify_result: 'AUDITING' | 'AUDIT_SUCCESS' | 'AUDIT_FAIL';
  verify_fail_reason?: string;
  verify_finish_time?: string;
}

export interface WxWithdraw {
  sp_mchid: string;
  sub_mchid: string;
  status: WithdrawStatus;
  withdraw_id: string;
  out_request_no: string;
  amount: number;
  create_time: string;
  update_time: string;
  reason: string;
  remark: string;
  bank_memo: string;
  account_type: string;
  account_number: string;
  account_bank: string;
  bank_name: string;
}

// ---- mapping to the port ------------------------------------------------------------

export function toTransaction(t: WxTransaction): Transaction {
  return {
    subMchid: t.sub_mchid ?? t.mchid ?? '',
    subAppid: t.sub_appid ?? t.appid ?? t.sp_appid ?? '',
    outTradeNo: t.out_trade_no,
    ...(t.transaction_id ? { transactionId: t.transaction_id } : {}),
    tradeState: t.trade_state,
    totalFen: t.amount.total,
    ...(t.amount.payer_total !== undefined ? { payerTotalFen: t.amount.payer_total } : {}),
    ...(t.payer ? { openid: t.payer.sub_openid ?? t.payer.sp_openid ?? t.payer.openid } : {}),
    ...(t.success_time ? { successTime: t.success_time } : {}),
  };
}

export function toRefund(r: WxRefund): Refund {
  const status = r.status ?? r.refund_status;
  if (!status) throw new Error(`refund ${r.out_refund_no} has no status`);
  return {
    subMchid: r.sub_mchid ?? r.mchid ?? '',
    outTradeNo: r.out_trade_no,
    outRefundNo: r.out_refund_no,
    refundId: r.refund_id,
    status,
    refundFen: r.amount.refund,
    totalFen: r.amount.total,
    ...(r.success_time ? { successTime: r.success_time } : {}),
  };
}

export function toApplymentStatus(a: WxApplymentStatus): ApplymentStatus {
  const v = a.account_validation;
  return {
    businessCode: a.business_code,
    applymentId: String(a.applyment_id),
    state: a.applyment_state,
    stateDesc: a.applyment_state_msg,
    ...(a.sub_mchid ? { subMchid: a.sub_mchid } : {}),
    ...(a.sign_url ? { signUrl: a.sign_url } : {}),
    ...(v
      ? { accountValidation: { accountName: v.account_name, payAmountFen: v.pay_amount, destinationAccountNumber: v.destination_account_number, deadline: v.deadline } }
      : {}),
    auditDetail: (a.audit_detail ?? []).map((d) => ({ field: d.field, fieldName: d.field_name, rejectReason: d.reject_reason })),
  };
}
