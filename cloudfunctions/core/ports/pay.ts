// The WeChat Pay port, in service-provider (partner) mode: this deployment is
// the service provider (sp_mchid, sp_appid), each mini program's merchant
// account is a sub-merchant (sub_mchid) created through applyment4sub. The
// same port is implemented by the real v3 adapter and, through the same HTTP
// client, by the local sandbox. Amounts are integer fen.

// ---- payments ----------------------------------------------------------------
export interface PrepayRequest {
  subMchid: string;
  subAppid: string;
  /** Buyer's openid under the mini program (sub_openid). */
  openid: string;
  outTradeNo: string;
  description: string;
  totalFen: number;
  notifyUrl: string;
  expireAt: Date;
  attach?: string;
}

/** The parameters for wx.requestPayment / wx.requestOrderPayment. */
export interface ClientPayParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

export interface Transaction {
  subMchid: string;
  subAppid: string;
  outTradeNo: string;
  transactionId?: string;
  tradeState: TradeState;
  totalFen: number;
  payerTotalFen?: number;
  openid?: string;
  successTime?: string;
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

export interface RefundRequest {
  subMchid: string;
  outTradeNo: string;
  outRefundNo: string;
  reason?: string;
  refundFen: number;
  totalFen: number;
  notifyUrl: string;
}

export interface Refund {
  subMchid: string;
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  status: RefundStatus;
  refundFen: number;
  totalFen: number;
  successTime?: string;
}

/** A verified, decrypted notification. */
export type PayNotification =
  | { id: string; kind: 'transaction'; eventType: string; transaction: Transaction }
  | { id: string; kind: 'refund'; eventType: string; refund: Refund };

// ---- merchant application (applyment4sub) -------------------------------------
export type ApplymentState =
  | 'APPLYMENT_STATE_EDITTING'
  | 'APPLYMENT_STATE_AUDITING'
  | 'APPLYMENT_STATE_REJECTED'
  | 'APPLYMENT_STATE_TO_BE_CONFIRMED'
  | 'APPLYMENT_STATE_TO_BE_SIGNED'
  | 'APPLYMENT_STATE_SIGNING'
  | 'APPLYMENT_STATE_FINISHED'
  | 'APPLYMENT_STATE_CANCELED';

export interface ApplymentStatus {
  businessCode: string;
  applymentId: string;
  state: ApplymentState;
  stateDesc?: string;
  /** Issued when FINISHED. */
  subMchid?: string;
  signUrl?: string;
  /** Account verification instructions when TO_BE_CONFIRMED. */
  accountValidation?: { accountName: string; payAmountFen: number; destinationAccountNumber: string; deadline: string };
  auditDetail: Array<{ field: string; fieldName: string; rejectReason: string }>;
}

// ---- settlement account change ------------------------------------------------
export interface SettlementAccount {
  accountType: 'ACCOUNT_TYPE_BUSINESS' | 'ACCOUNT_TYPE_PRIVATE';
  accountBank: string;
  bankAddressCode: string;
  bankName?: string;
  accountName: string;
  accountNumber: string;
}

export type SettlementModifyState = 'AUDITING' | 'AUDIT_SUCCESS' | 'AUDIT_FAIL';

// ---- withdrawals (sub-merchant balance) ----------------------------------------
export type WithdrawStatus = 'CREATE_SUCCESS' | 'SUCCESS' | 'FAIL' | 'REFUND' | 'CLOSE' | 'INIT';

export interface PayProvider {
  // payments
  prepay(request: PrepayRequest): Promise<{ prepayId: string }>;
  /** Signs the client parameters with the service provider's merchant key (local, no call). */
  clientParams(appid: string, prepayId: string): ClientPayParams;
  queryTransaction(subMchid: string, outTradeNo: string): Promise<Transaction | null>;
  closeTransaction(subMchid: string, outTradeNo: string): Promise<void>;
  refund(request: RefundRequest): Promise<Refund>;
  queryRefund(subMchid: string, outRefundNo: string): Promise<Refund | null>;
  /**
   * Verifies signature, freshness and serial over the raw body, then decrypts. Throws on any failure
   * (the WeChat Pay adapter throws SignatureError with a `reason`: SIGNTEST_PROBE, STALE_TIMESTAMP, …).
   */
  parseNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<PayNotification>;
  /**
   * The trade bill of a day (YYYY-MM-DD, Beijing) for one sub-merchant, hash-checked, as WeChat's CSV
   * text; null when WeChat has no bill for that day (NO_STATEMENT_EXIST: no transactions).
   */
  tradeBill(subMchid: string, billDate: string): Promise<string | null>;

  // merchant application
  uploadImage(file: Buffer, filename: string): Promise<{ mediaId: string }>;
  /**
   * Call before encryptSensitive: in platform-certificate mode it loads the certificates if needed and
   * picks the one the next fields and their request's Wechatpay-Serial use; no-op with a public key.
   */
  prepareSensitive(): Promise<void>;
  /** RSA-OAEP with the platform public key; the serial goes into the Wechatpay-Serial header. */
  encryptSensitive(plain: string): string;
  submitApplyment(body: Record<string, unknown>): Promise<{ applymentId: string }>;
  queryApplyment(businessCode: string): Promise<ApplymentStatus | null>;

  // settlement account
  modifySettlement(subMchid: string, account: SettlementAccount): Promise<{ applicationNo: string }>;
  querySettlementModification(
    subMchid: string,
    applicationNo: string,
  ): Promise<{ state: SettlementModifyState; reason?: string }>;

  // withdrawals
  withdraw(request: {
    subMchid: string;
    outRequestNo: string;
    amountFen: number;
    remark?: string;
  }): Promise<{ withdrawId: string }>;
  queryWithdraw(subMchid: string, outRequestNo: string): Promise<{ status: WithdrawStatus; reason?: string } | null>;
}

/**
 * A typed failure from WeChat Pay (or the sandbox): HTTP status plus WeChat's error code. No answer at
 * all (network down, timeout) is status 0, code NETWORK_ERROR: the outcome is unknown, query or retry.
 */
export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PayError';
  }
}

/**
 * WeChat Pay definitely refused (a 4xx other than rate limiting): the same
 * request will be refused again. Anything else (no answer, 5xx, 429, an
 * unreadable answer) leaves the outcome unknown, to be settled by retrying
 * or querying later.
 */
export function isRefusal(err: unknown): err is PayError {
  return err instanceof PayError && err.status >= 400 && err.status < 500 && err.status !== 429;
}
