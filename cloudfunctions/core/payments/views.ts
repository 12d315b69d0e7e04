// Stored documents as the client sees them: no internal fields, the buyer's
// openid masked for the merchant, merchant-only figures for the admin only.
import type { Order, Product, Refund } from '../../../typings/checkout';
import type { Role } from '../../../typings/api';
import type { ProductDoc } from '../domain/catalogue';
import { isExpired, type OrderDoc, refundStatusOf } from '../domain/order';
import type { RefundDoc } from '../domain/refund';
import { refundableFen } from '../domain/refund';

export function productDto(doc: ProductDoc): Product {
  return { id: doc._id, name: doc.name, priceFen: doc.priceFen, active: doc.active };
}

/** o_buyer_0000000000000000001 -> o_bu…0001 */
function maskOpenid(openid: string): string {
  return openid.length <= 8 ? '****' : `${openid.slice(0, 4)}…${openid.slice(-4)}`;
}

/** `now` is the server's clock: whether an order can still be paid is never left to a phone's clock. */
export function orderDto(doc: OrderDoc, role: Role, now: Date): Order {
  const order: Order = {
    id: doc._id,
    state: doc.state,
    items: doc.items,
    totalFen: doc.totalFen,
    description: doc.description,
    refundedFen: doc.refundedFen,
    refundStatus: refundStatusOf(doc),
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    paidAt: doc.paidAt ?? null,
    closedAt: doc.closedAt ?? null,
    closeReason: doc.closeReason ?? null,
    payable: (doc.state === 'CREATED' || doc.state === 'PAYING') && !isExpired(doc, now),
  };
  if (role === 'admin') {
    order.merchant = {
      buyer: maskOpenid(doc.buyerOpenid),
      feeFen: doc.feeFen ?? null,
      settlementState: doc.settlementState ?? null,
      transactionId: doc.transactionId ?? null,
      refundableFen: doc.state === 'PAID' ? refundableFen(doc) : 0,
    };
  }
  return order;
}

export function refundDto(doc: RefundDoc): Refund {
  return {
    id: doc._id,
    orderId: doc.orderId,
    amountFen: doc.amountFen,
    state: doc.state,
    reason: doc.reason ?? null,
    createdAt: doc.createdAt,
    successTime: doc.successTime ?? null,
    failure: doc.failure ?? null,
  };
}
