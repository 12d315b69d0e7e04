// What the order detail page shows (pure).
import type { OrderDetail, OrderLine } from '../../../../../typings/checkout';
import { format } from '../../../../i18n/index';
import { formatDateTime } from '../../../../shared/beijing';
import { formatFen } from '../../../../shared/money';
import { pt } from '../../i18n/index';
import {
  orderStateLabel,
  orderStateTheme,
  orderTitle,
  refundFailureText,
  refundStateLabel,
} from '../../utils/order-view';

export interface RefundRow {
  id: string;
  amountFen: number;
  label: string;
  when: string;
  note: string;
}

export interface OrderView {
  id: string;
  title: string;
  orderedAt: string;
  items: OrderLine[];
  totalFen: number;
  refundedFen: number;
  stateLabel: string;
  theme: string;
  paidAt: string;
  /** The buyer may still pay or cancel it. */
  payable: boolean;
  refunds: RefundRow[];
  /** Merchant admin only. */
  merchant: null | {
    buyer: string;
    feeFen: number | null;
    settlement: string;
    /** '' before WeChat Pay numbered the payment. */
    transactionId: string;
    refundableFen: number;
    /** The refund amount field's hint: "Up to ¥99.50". */
    refundHint: string;
  };
}

export function orderView(order: OrderDetail): OrderView {
  const texts = pt().order;
  const m = order.merchant;
  return {
    id: order.id,
    title: orderTitle(order),
    orderedAt: format(texts.orderedAt, { time: formatDateTime(order.createdAt) }),
    items: order.items,
    totalFen: order.totalFen,
    refundedFen: order.refundedFen,
    stateLabel: orderStateLabel(order),
    theme: orderStateTheme(order),
    paidAt: order.paidAt ? formatDateTime(order.paidAt) : '',
    payable: order.mine && order.payable,
    refunds: order.refunds.map((r) => ({
      id: r.id,
      amountFen: r.amountFen,
      label: refundStateLabel(r),
      when: formatDateTime(r.successTime ?? r.createdAt),
      note: r.failure ? refundFailureText(r.failure) : (r.reason ?? ''),
    })),
    merchant: m
      ? {
          buyer: m.buyer,
          feeFen: m.feeFen,
          settlement:
            m.settlementState === 'SETTLED'
              ? texts.settled
              : m.settlementState === 'PENDING'
                ? texts.pendingSettlement
                : '—',
          transactionId: m.transactionId ?? '',
          refundableFen: m.refundableFen,
          refundHint: format(texts.refundUpTo, { amount: formatFen(m.refundableFen) }),
        }
      : null,
  };
}
