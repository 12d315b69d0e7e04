// How orders and refunds read to people (pure, shared by the checkout pages).
import type { Order, Refund, RefundState, RefundStatus } from '../../../../typings/checkout';
import { format, lang } from '../../../i18n/index';
import { errorText } from '../../../i18n/errors';
import { formatDateTime } from '../../../shared/beijing';
import { type CheckoutMessages, pt } from '../i18n/index';

type OrderStateKey = keyof CheckoutMessages['orderStates'];

function orderStateKey(order: Pick<Order, 'state' | 'refundStatus' | 'closeReason'>): OrderStateKey {
  switch (order.state) {
    case 'CREATED':
    case 'PAYING':
      return 'awaiting';
    case 'PAID':
      return order.refundStatus === 'FULL' ? 'refunded' : order.refundStatus === 'PARTIAL' ? 'partlyRefunded' : 'paid';
    default:
      return order.closeReason === 'cancelled' ? 'cancelled' : order.closeReason === 'expired' ? 'expired' : 'closed';
  }
}

/** A paid order's label says whether refunds took part or all of it (the server's refundStatus). */
export function orderStateLabel(order: Pick<Order, 'state' | 'refundStatus' | 'closeReason'>): string {
  return pt().orderStates[orderStateKey(order)];
}

export function orderStateTheme(
  order: Pick<Order, 'state' | 'refundStatus'>,
): 'primary' | 'success' | 'warning' | 'default' {
  if (order.state === 'PAID') {
    return order.refundStatus === 'FULL' ? 'default' : order.refundStatus === 'PARTIAL' ? 'primary' : 'success';
  }
  return order.state === 'CLOSED' ? 'default' : 'warning';
}

/**
 * What an order is called in lists and headers: its product for a one-product
 * order, else the first product and how many items in all. Built here rather
 * than taken from the order's description, which is worded for WeChat Pay.
 */
export function orderTitle(order: Pick<Order, 'items' | 'description'>): string {
  const [first] = order.items;
  if (!first) return order.description;
  if (order.items.length === 1) return first.name;
  const count = order.items.reduce((n, item) => n + item.quantity, 0);
  return format(pt().orderSummary, { name: first.name, count });
}

/** "1 item" / "3 items" (the same count words on the shop and the confirmation). */
export function itemCount(count: number): string {
  const cart = pt().cart;
  return count === 1 ? cart.countOne : format(cart.countMany, { count });
}

/** The merchant's order filters: all, or paid orders by how much was refunded. */
export type OrderFilter = '' | RefundStatus;

export function orderFilters(): Array<{ value: OrderFilter; label: string }> {
  const texts = pt();
  return [
    { value: '', label: texts.orders.filterAll },
    { value: 'NONE', label: texts.orderStates.paid },
    { value: 'PARTIAL', label: texts.orderStates.partlyRefunded },
    { value: 'FULL', label: texts.orderStates.refunded },
  ];
}

const REFUND_STATE_KEYS: Record<RefundState, keyof CheckoutMessages['refundStates']> = {
  PROCESSING: 'processing',
  SUCCESS: 'success',
  ABNORMAL: 'abnormal',
  CLOSED: 'closed',
};

export function refundStateLabel(refund: Pick<Refund, 'state'>): string {
  const key = REFUND_STATE_KEYS[refund.state];
  return key ? pt().refundStates[key] : refund.state;
}

/**
 * Why a refund did not go through, in the user's words: WeChat Pay closed it,
 * or refused it with a provider code (shown as the code, never its text).
 */
export function refundFailureText(failure: NonNullable<Refund['failure']>): string {
  if (failure.code === 'CLOSED') return pt().refundFailures.closedByWechat;
  return errorText(lang(), 'REFUND.REJECTED', { providerCode: failure.code });
}

/** Cells for one order in a list. */
export function orderRow(order: Order): {
  id: string;
  title: string;
  description: string;
  totalFen: number;
  stateLabel: string;
  theme: string;
} {
  return {
    id: order.id,
    title: orderTitle(order),
    description: formatDateTime(order.createdAt),
    totalFen: order.totalFen,
    stateLabel: orderStateLabel(order),
    theme: orderStateTheme(order),
  };
}
