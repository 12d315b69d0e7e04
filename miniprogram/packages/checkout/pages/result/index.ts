// Result: what became of the payment. Success is shown only when the backend
// says the order is paid; otherwise a cancelled or failed payment, with the
// way to try again while the order can still be paid.
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { format, lang } from '../../../../i18n/index';
import { errorText } from '../../../../i18n/errors';
import { fetchOrder } from '../../../../services/checkout';
import { backTo, replacePage, Routes } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { formatDateTime } from '../../../../shared/beijing';
import { isErrorCode } from '../../../../shared/errors';
import { pt } from '../../i18n/index';
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

/** A failed payment's reason from its code (the pay page passes the code, never words). */
function failureText(code: string): string {
  return isErrorCode(code) ? errorText(lang(), code) : pt().result.failedDescription;
}

function resultView(order: Awaited<ReturnType<typeof fetchOrder>>, outcome: string, code: string): ResultView {
  const texts = pt().result;
  const base = { totalFen: order.totalFen, canRetry: order.payable };
  if (order.state === 'PAID') {
    return {
      ...base,
      kind: 'success',
      theme: 'success',
      title: texts.success,
      description: order.paidAt ? format(texts.paidAt, { time: formatDateTime(order.paidAt) }) : '',
      canRetry: false,
    };
  }
  if (!base.canRetry)
    return { ...base, kind: 'closed', theme: 'default', title: texts.closed, description: texts.closedDescription };
  if (outcome === 'cancelled')
    return {
      ...base,
      kind: 'cancelled',
      theme: 'warning',
      title: texts.cancelled,
      description: texts.cancelledDescription,
    };
  return { ...base, kind: 'failed', theme: 'error', title: texts.failed, description: failureText(code) };
}

Component({
  behaviors: [localized(pt, (texts) => texts.result.title)],

  data: {
    orderId: '',
    outcome: '',
    code: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as ResultView | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({
        orderId: queryValue(query.orderId),
        outcome: queryValue(query.outcome),
        code: queryValue(query.code),
      });
      void this.load();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const order = await fetchOrder(this.data.orderId);
        if (order.state === 'PAID') markOrderCompleted();
        this.setData({ loadState: 'idle', view: resultView(order, this.data.outcome, this.data.code) });
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
