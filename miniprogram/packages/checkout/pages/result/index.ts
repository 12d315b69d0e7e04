// Result: what became of the payment. Success is shown only when the backend
// says the order is paid; otherwise a cancelled or failed payment, with the
// way to try again while the order can still be paid.
import type { LoadState } from '../../../../components/load-state/index';
import { fetchOrder } from '../../../../services/checkout';
import { backTo, replacePage, Routes } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { formatDateTime } from '../../../../shared/beijing';
import { markOrderCompleted } from '../../utils/cart';
import { queryValue } from '../../utils/query';
import { CheckoutRoutes } from '../../utils/routes';

type Kind = 'success' | 'cancelled' | 'failed' | 'closed';

interface ResultView {
  kind: Kind;
  theme: 'success' | 'warning' | 'error' | 'default';
  title: string;
  description: string;
  totalFen: number;
  canRetry: boolean;
}

function resultView(order: Awaited<ReturnType<typeof fetchOrder>>, outcome: string, message: string): ResultView {
  const base = { totalFen: order.totalFen, canRetry: order.payable };
  if (order.state === 'PAID') {
    const paidAt = order.paidAt ? formatDateTime(order.paidAt) : '';
    return {
      ...base,
      kind: 'success',
      theme: 'success',
      title: 'Payment successful',
      description: paidAt ? `Paid ${paidAt} (Beijing time)` : '',
      canRetry: false,
    };
  }
  if (!base.canRetry)
    return {
      ...base,
      kind: 'closed',
      theme: 'default',
      title: 'Order closed',
      description: 'This order was not paid and can no longer be paid.',
    };
  if (outcome === 'cancelled')
    return {
      ...base,
      kind: 'cancelled',
      theme: 'warning',
      title: 'Payment cancelled',
      description: 'You have not been charged. The order is kept for you to pay later.',
    };
  return {
    ...base,
    kind: 'failed',
    theme: 'error',
    title: 'Payment failed',
    description: message || 'The payment did not go through.',
  };
}

Component({
  data: {
    orderId: '',
    outcome: '',
    message: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as ResultView | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({
        orderId: queryValue(query.orderId),
        outcome: queryValue(query.outcome),
        message: queryValue(query.message),
      });
      void this.load();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const order = await fetchOrder(this.data.orderId);
        if (order.state === 'PAID') markOrderCompleted();
        this.setData({ loadState: 'idle', view: resultView(order, this.data.outcome, this.data.message) });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    onPayAgain() {
      void replacePage(CheckoutRoutes.pay, { orderId: this.data.orderId });
    },

    onViewOrder() {
      void replacePage(CheckoutRoutes.order, { orderId: this.data.orderId });
    },

    /** Back to the products page below (its paid cart cleared), or to a fresh one. */
    onShop() {
      void backTo(Routes.checkoutProducts);
    },
  },
});
