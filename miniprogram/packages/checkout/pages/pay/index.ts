// Pay: the order's amount and the payment path, "Pay" (the shim: order
// payment, regular WeChat Pay or the local sandbox), and "Cancel order".
// The outcome always goes to the result page, which reads the order back.
import type { Payment } from '../../../../../typings/checkout';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { dispatchPay, fetchCheckoutStatus, fetchOrder } from '../../../../services/checkout';
import { toast } from '../../../../services/feedback';
import { replacePage } from '../../../../services/navigation';
import { paymentPath, type PaymentPath, requestOrderPayment } from '../../../../services/payment';
import { failureOf } from '../../../../services/transport';
import { formatDateTime } from '../../../../shared/beijing';
import { guarded } from '../../../../utils/guard';
import { pageTexts, pt } from '../../i18n/index';
import { orderStateLabel, orderTitle } from '../../utils/order-view';
import { queryValue } from '../../utils/query';
import { cancelOrderAfterConfirm } from '../../utils/cancel-order';
import { CheckoutRoutes } from '../../utils/routes';

function pathLabel(path: PaymentPath): string {
  const paths = pt().paths;
  switch (path) {
    case 'requestOrderPayment':
      return paths.requestOrderPayment;
    case 'requestPayment':
      return paths.requestPayment;
    default:
      return paths.sandbox;
  }
}

interface PayView {
  id: string;
  description: string;
  totalFen: number;
  stateLabel: string;
  payable: boolean;
  paid: boolean;
  expiresAt: string;
}

Component({
  behaviors: [localized(pageTexts, (texts) => texts.pay.title)],

  data: {
    orderId: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as PayView | null,
    pathLabel: '',
    paying: false,
    cancelling: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ orderId: queryValue(query.orderId) });
      void this.load();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const [order, status] = await Promise.all([fetchOrder(this.data.orderId), fetchCheckoutStatus()]);
        const view: PayView = {
          id: order.id,
          description: orderTitle(order),
          totalFen: order.totalFen,
          stateLabel: orderStateLabel(order),
          payable: order.payable,
          paid: order.state === 'PAID',
          expiresAt: formatDateTime(order.expiresAt),
        };
        this.setData({
          loadState: 'idle',
          view,
          pathLabel: pathLabel(paymentPath(status.orderPayment)),
        });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    async onPay() {
      const { orderId } = this.data;
      await guarded(this, 'paying', async () => {
        let payment: Payment;
        try {
          payment = await dispatchPay(orderId);
        } catch (err) {
          const failure = failureOf(err);
          if (failure.code === 'CHECKOUT.ORDER_PAID')
            await replacePage(CheckoutRoutes.result, { orderId, outcome: 'paid' });
          else {
            toast(failure.message);
            // Expired, closed or paid elsewhere: show the order as it is now.
            if (failure.code.startsWith('CHECKOUT.ORDER_')) await this.load();
          }
          return;
        }
        // The payment carries the registration's word (orderPayment) as of now; the shim picks the API.
        const result = await requestOrderPayment(payment);
        // The result page words a failure from its code, in the user's language.
        await replacePage(CheckoutRoutes.result, {
          orderId,
          outcome: result.status,
          ...(result.status === 'failed' ? { code: result.code } : {}),
        });
      });
    },

    async onCancelOrder() {
      if (this.data.paying) return;
      await cancelOrderAfterConfirm(this, this.data.orderId, () => this.load());
    },

    onViewOrder() {
      void replacePage(CheckoutRoutes.order, { orderId: this.data.orderId });
    },
  },
});
