// How orders and refunds read to people (pure, shared by the checkout pages).
import type { Order, Refund, RefundState } from '../../../../typings/checkout';
import { formatDateTime } from '../../../shared/beijing';

/** A paid order's label says how much of it was refunded. */
export function orderStateLabel(order: Pick<Order, 'state' | 'totalFen' | 'refundedFen' | 'closeReason'>): string {
  switch (order.state) {
    case 'CREATED':
    case 'PAYING':
      return 'Awaiting payment';
    case 'PAID':
      if (order.refundedFen >= order.totalFen) return 'Refunded';
      return order.refundedFen > 0 ? 'Partly refunded' : 'Paid';
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

export function orderStateTheme(order: Pick<Order, 'state'>): 'primary' | 'success' | 'warning' | 'default' {
  return order.state === 'PAID' ? 'success' : order.state === 'CLOSED' ? 'default' : 'warning';
}

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
