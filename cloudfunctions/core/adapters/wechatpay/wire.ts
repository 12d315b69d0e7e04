// WeChat Pay v3 JSON shapes (snake_case, as on the wire), shared by the
// adapter and the local sandbox; the schemas that check what the adapter reads
// of them before use (parse, don't cast); and their mapping to the PayProvider port.
import { z } from 'zod';
import type {
  ApplymentState,
  ApplymentStatus,
  Refund,
  RefundStatus,
  TradeState,
  Transaction,
  WithdrawStatus,
} from '../../ports/pay';

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
  resource: {
    original_type: string;
    algorithm: 'AEAD_AES_256_GCM';
    ciphertext: string;
    nonce: string;
    associated_data: string;
  };
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

// ---- schemas: what the adapter reads, with WeChat's names and types ------------------
// Unknown fields are allowed (and dropped): WeChat adds fields without notice.
// Each enum lists every value of the port's union, so the two cannot drift.

const TRADE_STATES: { [S in TradeState]: S } = {
  SUCCESS: 'SUCCESS',
  REFUND: 'REFUND',
  NOTPAY: 'NOTPAY',
  CLOSED: 'CLOSED',
  REVOKED: 'REVOKED',
  USERPAYING: 'USERPAYING',
  PAYERROR: 'PAYERROR',
};
const REFUND_STATUSES: { [S in RefundStatus]: S } = {
  PROCESSING: 'PROCESSING',
  SUCCESS: 'SUCCESS',
  CLOSED: 'CLOSED',
  ABNORMAL: 'ABNORMAL',
};
const WITHDRAW_STATUSES: { [S in WithdrawStatus]: S } = {
  CREATE_SUCCESS: 'CREATE_SUCCESS',
  SUCCESS: 'SUCCESS',
  FAIL: 'FAIL',
  REFUND: 'REFUND',
  CLOSE: 'CLOSE',
  INIT: 'INIT',
};
const APPLYMENT_STATES: { [S in ApplymentState]: S } = {
  APPLYMENT_STATE_EDITTING: 'APPLYMENT_STATE_EDITTING',
  APPLYMENT_STATE_AUDITING: 'APPLYMENT_STATE_AUDITING',
  APPLYMENT_STATE_REJECTED: 'APPLYMENT_STATE_REJECTED',
  APPLYMENT_STATE_TO_BE_CONFIRMED: 'APPLYMENT_STATE_TO_BE_CONFIRMED',
  APPLYMENT_STATE_TO_BE_SIGNED: 'APPLYMENT_STATE_TO_BE_SIGNED',
  APPLYMENT_STATE_SIGNING: 'APPLYMENT_STATE_SIGNING',
  APPLYMENT_STATE_FINISHED: 'APPLYMENT_STATE_FINISHED',
  APPLYMENT_STATE_CANCELED: 'APPLYMENT_STATE_CANCELED',
};

/** Ids and numbers WeChat gives as strings. */
const id = z.string().min(1);
/** Amounts: integer fen. */
const fen = z.int().nonnegative();

export const wxTransactionSchema = z.object({
  sp_appid: id.optional(),
  sp_mchid: id.optional(),
  sub_appid: id.optional(),
  sub_mchid: id.optional(),
  appid: id.optional(),
  mchid: id.optional(),
  out_trade_no: id,
  transaction_id: id.optional(),
  trade_state: z.enum(TRADE_STATES),
  success_time: z.string().optional(),
  payer: z.object({ sp_openid: id.optional(), sub_openid: id.optional(), openid: id.optional() }).optional(),
  amount: z.object({ total: fen, payer_total: fen.optional() }),
});
export type WxTransactionFields = z.output<typeof wxTransactionSchema>;

export const wxRefundSchema = z
  .object({
    sp_mchid: id.optional(),
    sub_mchid: id.optional(),
    mchid: id.optional(),
    refund_id: id,
    out_refund_no: id,
    out_trade_no: id,
    success_time: z.string().optional(),
    /** Create and query answers carry `status`, notifications `refund_status`. */
    status: z.enum(REFUND_STATUSES).optional(),
    refund_status: z.enum(REFUND_STATUSES).optional(),
    amount: z.object({ refund: fen, total: fen }),
  })
  .refine((r) => r.status !== undefined || r.refund_status !== undefined, { message: 'no status', path: ['status'] });
export type WxRefundFields = z.output<typeof wxRefundSchema>;

export const wxApplymentStatusSchema = z.object({
  business_code: id,
  applyment_id: z.int(),
  sub_mchid: id.optional(),
  sign_url: z.string().optional(),
  applyment_state: z.enum(APPLYMENT_STATES),
  applyment_state_msg: z.string(),
  audit_detail: z.array(z.object({ field: z.string(), field_name: z.string(), reject_reason: z.string() })).optional(),
  account_validation: z
    .object({ account_name: z.string(), pay_amount: fen, destination_account_number: z.string(), deadline: z.string() })
    .optional(),
});
export type WxApplymentStatusFields = z.output<typeof wxApplymentStatusSchema>;

export const wxSettlementApplicationSchema = z.object({
  verify_result: z.enum({ AUDITING: 'AUDITING', AUDIT_SUCCESS: 'AUDIT_SUCCESS', AUDIT_FAIL: 'AUDIT_FAIL' }),
  verify_fail_reason: z.string().optional(),
});

export const wxWithdrawSchema = z.object({ status: z.enum(WITHDRAW_STATUSES), reason: z.string().optional() });

/** The notification envelope (before decryption). */
export const wxNotificationSchema = z.object({
  id,
  event_type: id,
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: id,
    nonce: z.string(),
    associated_data: z.string().optional(),
  }),
});

// The wire types the sandbox sends must satisfy what the adapter parses (a compile error otherwise).
type Satisfies<T extends U, U> = T;
export type WireTypesSatisfySchemas = [
  Satisfies<WxTransaction, WxTransactionFields>,
  Satisfies<WxRefund, WxRefundFields>,
  Satisfies<WxApplymentStatus, WxApplymentStatusFields>,
  Satisfies<WxSettlementApplication, z.output<typeof wxSettlementApplicationSchema>>,
  Satisfies<WxWithdraw, z.output<typeof wxWithdrawSchema>>,
  Satisfies<WxNotification, z.output<typeof wxNotificationSchema>>,
];

/**
 * Where and how a value fails a schema: field paths and issue codes only,
 * never the values (they can be personal data: openids, names, account numbers).
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'} ${i.code}`)
    .join(', ');
}

// ---- mapping to the port ------------------------------------------------------------

export function toTransaction(t: WxTransactionFields): Transaction {
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

export function toRefund(r: WxRefundFields): Refund {
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

export function toApplymentStatus(a: WxApplymentStatusFields): ApplymentStatus {
  const v = a.account_validation;
  return {
    businessCode: a.business_code,
    applymentId: String(a.applyment_id),
    state: a.applyment_state,
    stateDesc: a.applyment_state_msg,
    ...(a.sub_mchid ? { subMchid: a.sub_mchid } : {}),
    ...(a.sign_url ? { signUrl: a.sign_url } : {}),
    ...(v
      ? {
          accountValidation: {
            accountName: v.account_name,
            payAmountFen: v.pay_amount,
            destinationAccountNumber: v.destination_account_number,
            deadline: v.deadline,
          },
        }
      : {}),
    auditDetail: (a.audit_detail ?? []).map((d) => ({
      field: d.field,
      fieldName: d.field_name,
      rejectReason: d.reject_reason,
    })),
  };
}
