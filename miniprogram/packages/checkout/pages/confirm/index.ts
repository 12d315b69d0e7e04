// Order confirmation: the server's amount breakdown of the cart (unit price
// x quantity per line), and a bar with the total (shown once) and "Place order". The order is
// created with one idempotency key per visit, so a retried tap or a dropped
// answer can never create two orders.
import type { CartLine, OrderLine } from '../../../../../typings/checkout';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { dispatchCreateOrder, fetchQuote } from '../../../../services/checkout';
import { toast } from '../../../../services/feedback';
import { replacePage } from '../../../../services/navigation';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { pt } from '../../i18n/index';
import { parseCart } from '../../utils/cart';
import { itemCount } from '../../utils/order-view';
import { CheckoutRoutes } from '../../utils/routes';
import type { ErrorCode } from '../../../../shared/errors';

/** Failures that no retry of this cart will fix: show them in place of the breakdown. */
const FINAL = new Set<ErrorCode>([
  'CHECKOUT.PRODUCT_UNAVAILABLE',
  'CHECKOUT.AMOUNT_TOO_LARGE',
  'MERCHANT.NOT_BOUND',
  'CHECKOUT.SERVICE_UNAVAILABLE',
]);

Component({
  behaviors: [localized(pt, (texts) => texts.confirm.title)],

  data: {
    cart: [] as CartLine[],
    /** One per visit: every tap of "Place order" on this page is the same order. */
    orderKey: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    lines: [] as OrderLine[],
    totalFen: 0,
    countText: '',
    submitting: false,
    submitError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ cart: parseCart(query.items), orderKey: newIdempotencyKey() });
      void this.load();
    },

    async load() {
      const { cart } = this.data;
      if (!cart.length) {
        this.setData({ loadState: 'empty' });
        return;
      }
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const quote = await fetchQuote(cart);
        const count = quote.items.reduce((n, line) => n + line.quantity, 0);
        this.setData({ loadState: 'idle', lines: quote.items, totalFen: quote.totalFen, countText: itemCount(count) });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    async onPlaceOrder() {
      await guarded(this, 'submitting', async () => {
        this.setData({ submitError: '' });
        try {
          const order = await dispatchCreateOrder(this.data.cart, this.data.orderKey);
          await replacePage(CheckoutRoutes.pay, { orderId: order.id });
        } catch (err) {
          const failure = failureOf(err);
          if (FINAL.has(failure.code)) this.setData({ loadState: 'error', errorText: failure.message });
          else {
            // Same key on the next tap: if this one did reach the server, it is the same order.
            this.setData({ submitError: failure.message });
            toast(failure.message);
          }
        }
      });
    },
  },
});
