// What the order detail page shows (pure).
import type { OrderDetail, OrderLine } from '../../../../../typings/checkout';
import { formatDateTime } from '../../../../shared/beijing';
import { orderStateLabel, orderStateTheme, refundStateLabel } from '../../utils/order-view';

export interface RefundRow {
  id: string;
  amountFen: number;
  label: string;
  when: string;
  note: string;
}

export interface OrderView {
  id: string;
  description: string;
  items: OrderLine[];
  totalFen: number;
  refundedFen: number;
  stateLabel: string;
  theme: string;
  createdAt: string;
  paidAt: string;
  /** The buyer may still pay or cancel it. */
  payable: boolean;
  refunds: RefundRow[];
  /** Merchant admin only. */
  merchant: null | {
    buyer: string;
    feeFen: number | null;
    settlement: string;
    transactionId: string;
    refundableFen: number;
  };
}

export function orderView(order: OrderDetail): OrderView {
  const m = order.merchant;
  return {
    id: order.id,
    description: order.description,
    items: order.items,
    totalFen: order.totalFen,
    refundedFen: order.refundedFen,
    stateLabel: orderStateLabel(order),
    theme: orderStateTheme(order),
    createdAt: formatDateTime(order.createdAt),
    paidAt: order.paidAt ? formatDateTime(order.paidAt) : '',
    payable: order.mine && order.payable,
    refunds: order.refunds.map((r) => ({
      id: r.id,
      amountFen: r.amountFen,
      label: refundStateLabel(r),
      when: formatDateTime(r.successTime ?? r.createdAt),
      note: r.failure ? r.failure.message : (r.reason ?? ''),
    })),
    merchant: m
      ? {
          buyer: m.buyer,
          feeFen: m.feeFen,
          settlement:
            m.settlementState === 'SETTLED'
              ? 'Settled (available)'
              : m.settlementState === 'PENDING'
                ? 'Pending settlement'
                : '—',
          transactionId: m.transactionId ?? '—',
          refundableFen: m.refundableFen,
        }
      : null,
  };
}
