// How orders and refunds read to people (pure, shared by the checkout pages).
import type { Order, Refund, RefundState, RefundStatus } from '../../../../typings/checkout';
import { formatDateTime } from '../../../shared/beijing';

/** A paid order's label says whether refunds took part or all of it (the server's refundStatus). */
export function orderStateLabel(order: Pick<Order, 'state' | 'refundStatus' | 'closeReason'>): string {
  switch (order.state) {
    case 'CREATED':
    case 'PAYING':
      return 'Awaiting payment';
    case 'PAID':
      return order.refundStatus === 'FULL' ? 'Refunded' : order.refundStatus === 'PARTIAL' ? 'Partly refunded' : 'Paid';
    case 'CLOSED':
      return order.closeReason === 'cancelled'
        ? 'Cancelled'
        : order.closeReason === 'expired'
          ? 'Closed: not paid in time'
          : 'Closed';
    default:
      return order.state;
  }
}

export function orderStateTheme(
  order: Pick<Order, 'state' | 'refundStatus'>,
): 'primary' | 'success' | 'warning' | 'default' {
  if (order.state === 'PAID') {
    return order.refundStatus === 'FULL' ? 'default' : order.refundStatus === 'PARTIAL' ? 'primary' : 'success';
  }
  return order.state === 'CLOSED' ? 'default' : 'warning';
}

/** The merchant's order filters: all, or paid orders by how much was refunded. */
export type OrderFilter = '' | RefundStatus;

export const ORDER_FILTERS: Array<{ value: OrderFilter; label: string }> = [
  { value: '', label: 'All' },
  { value: 'NONE', label: 'Paid' },
  { value: 'PARTIAL', label: 'Partly refunded' },
  { value: 'FULL', label: 'Refunded' },
];

const REFUND_LABELS: Record<RefundState, string> = {
  PROCESSING: 'Refund in progress',
  SUCCESS: 'Refunded',
  ABNORMAL: 'Refund stuck: handle it on the WeChat Pay Merchant Platform',
  CLOSED: 'Refund closed',
};

export function refundStateLabel(refund: Pick<Refund, 'state'>): string {
  return REFUND_LABELS[refund.state] ?? refund.state;
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
    title: order.description,
    description: formatDateTime(order.createdAt),
    totalFen: order.totalFen,
    stateLabel: orderStateLabel(order),
    theme: orderStateTheme(order),
  };
}
