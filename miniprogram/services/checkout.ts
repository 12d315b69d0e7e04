// The checkout function (cloudfunctions/checkout): catalogue, orders,
// payments, refunds. Reads are fetchX, writes dispatchX; every write a person
// may retry carries the caller's idempotency key for that one intent.
import type {
  CartLine,
  CheckoutStatus,
  Order,
  OrderDetail,
  OrderPage,
  OrderState,
  Payment,
  PaymentConfirmation,
  Product,
  Quote,
  Refund,
  RefundStatus,
} from '../../typings/checkout';
import { ApiFailure, callFunction } from './transport';

const FN = 'checkout';

/** Whether payment management is active, discontinued (regular WeChat Pay) or paused, and whether a merchant account is bound. */
export function fetchCheckoutStatus(): Promise<CheckoutStatus> {
  return callFunction<CheckoutStatus>(FN, 'getCheckoutStatus');
}

export function fetchProducts(
  options: { includeInactive?: boolean; after?: string } = {},
): Promise<{ items: Product[]; next?: string }> {
  return callFunction(FN, 'listProducts', options);
}

/** Admin: add (no id) or change a product. */
export function dispatchSaveProduct(
  product: { id?: string; name: string; priceFen: number; active: boolean },
  idempotencyKey: string,
): Promise<Product> {
  return callFunction<Product>(FN, 'saveProduct', product, { idempotencyKey });
}

/** The server's amount breakdown for a cart (nothing is stored). */
export function fetchQuote(items: CartLine[]): Promise<Quote> {
  return callFunction<Quote>(FN, 'quoteOrder', { items });
}

/** Creates the order; the same key always yields the same order. */
export function dispatchCreateOrder(items: CartLine[], idempotencyKey: string): Promise<Order> {
  return callFunction<Order>(FN, 'createOrder', { items }, { idempotencyKey });
}

export function fetchOrder(orderId: string): Promise<OrderDetail> {
  return callFunction<OrderDetail>(FN, 'getOrder', { orderId });
}

/** The caller's own orders, newest first. */
export function fetchOrders(after?: string): Promise<OrderPage> {
  return callFunction<OrderPage>(FN, 'listOrders', after ? { after } : {});
}

/** Admin: every order of the mini program, optionally of one state or (paid orders) refund status. */
export function fetchMerchantOrders(
  options: { state?: OrderState; refundStatus?: RefundStatus; after?: string } = {},
): Promise<OrderPage> {
  return callFunction<OrderPage>(FN, 'listMerchantOrders', options);
}

/** Signed pay parameters for the order (a prepay, reused while it can still be paid). */
export function dispatchPay(orderId: string): Promise<Payment> {
  return callFunction<Payment>(FN, 'pay', { orderId });
}

/** Asks the backend (which asks WeChat Pay) whether the order is paid. */
export function fetchPaymentConfirmation(orderId: string): Promise<PaymentConfirmation> {
  return callFunction<PaymentConfirmation>(FN, 'confirmPayment', { orderId });
}

export function dispatchCancelOrder(orderId: string): Promise<Order> {
  return callFunction<Order>(FN, 'cancelOrder', { orderId });
}

/** Admin: refund part or all of a paid order. */
export function dispatchRefund(
  request: { orderId: string; amountFen: number; reason?: string },
  idempotencyKey: string,
): Promise<Refund> {
  return callFunction<Refund>(FN, 'refund', request, { idempotencyKey });
}

/** Puts an order or transaction number on the clipboard. */
export function copyText(data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.setClipboardData({
      data,
      success: () => resolve(),
      fail: (err) => reject(new ApiFailure({ code: 'CLIENT.CLIPBOARD_FAILED' }, err.errMsg)),
    });
  });
}
