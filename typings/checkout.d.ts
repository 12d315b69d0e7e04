// The checkout function's wire contract (cloudfunctions/checkout), shared by
// the mini program and the functions. Amounts are integer fen.
import type { Role } from './api';

/**
 * PMS_SERVICE_STATUS: active (payments taken; the payment API follows the mini
 * program's `orderPayment` registration setting), discontinued (regular
 * wx.requestPayment for every mini program), unavailable (paused).
 */
export type ServiceStatus = 'active' | 'discontinued' | 'unavailable';

export interface CheckoutStatus {
  service: ServiceStatus;
  /**
   * The app should try wx.requestOrderPayment (falling back to wx.requestPayment):
   * the registration record declares the mini program enrolled (`orderPayment`)
   * and the service is active. False: wx.requestPayment.
   */
  orderPayment: boolean;
  role: Role;
  /** False: the mini program has no merchant account, so nothing can be sold yet. */
  merchantBound: boolean;
  merchantName: string | null;
}

export interface Product {
  id: string;
  name: string;
  priceFen: number;
  active: boolean;
}

export interface CartLine {
  productId: string;
  quantity: number;
}

export interface OrderLine {
  productId: string;
  name: string;
  unitPriceFen: number;
  quantity: number;
  amountFen: number;
}

/** What an order would cost, computed by the server from the catalogue. */
export interface Quote {
  items: OrderLine[];
  totalFen: number;
}

export type OrderState = 'CREATED' | 'PAYING' | 'PAID' | 'CLOSED';

export type RefundState = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

/** How much of an order its refunds took: none, part or all (from refundedFen against totalFen). */
export type RefundStatus = 'NONE' | 'PARTIAL' | 'FULL';

export interface Refund {
  id: string;
  orderId: string;
  amountFen: number;
  state: RefundState;
  reason: string | null;
  createdAt: string;
  successTime: string | null;
  failure: { code: string; message: string } | null;
}

export interface Order {
  id: string;
  state: OrderState;
  items: OrderLine[];
  totalFen: number;
  description: string;
  /** Refunded or being refunded (closed refunds gave theirs back). */
  refundedFen: number;
  /** Whether refundedFen is none, part or all of totalFen: a fully refunded order is still PAID. */
  refundStatus: RefundStatus;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  closedAt: string | null;
  closeReason: 'expired' | 'cancelled' | 'provider_closed' | null;
  /** Unpaid and not expired by the server's clock: the buyer can still pay it. */
  payable: boolean;
  /** Present for the merchant admin only. */
  merchant?: {
    buyer: string;
    feeFen: number | null;
    settlementState: 'PENDING' | 'SETTLED' | null;
    transactionId: string | null;
    refundableFen: number;
  };
}

export interface OrderDetail extends Order {
  /** The caller is the buyer (who alone may pay or cancel it). */
  mine: boolean;
  /** The order's refunds, newest first (the buyer sees their own order's refunds too). */
  refunds: Refund[];
}

export interface OrderPage {
  items: Order[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
}

/** Parameters for wx.requestPayment (and wx.requestOrderPayment, which takes the same ones), signed by the server. */
export interface PayParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface Payment {
  orderId: string;
  totalFen: number;
  params: PayParams;
  /** As CheckoutStatus.orderPayment, when this payment was prepared: try wx.requestOrderPayment first. */
  orderPayment: boolean;
  /** The pay parameters stop working at this time. */
  expiresAt: string;
  /**
   * Local mode only: the prepay came from the local WeChat Pay sandbox, which
   * no real WeChat client can pay; the sandbox's buyer endpoint can.
   */
  sandbox?: { payUrl: string };
}

export interface PaymentConfirmation {
  orderId: string;
  state: OrderState;
  paidAt: string | null;
}
