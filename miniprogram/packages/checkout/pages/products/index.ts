// Product list: what the mini program sells, with quantities to pick. The
// running total here is only a preview; the confirmation page shows the
// server's own breakdown before anything is ordered.
import type { CheckoutStatus, Product } from '../../../../../typings/checkout';
import type { LoadState } from '../../../../components/load-state/index';
import { fetchCheckoutStatus, fetchProducts } from '../../../../services/checkout';
import { stopPullDownRefresh } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { formatCart, takeOrderCompleted } from '../../utils/cart';
import { CheckoutRoutes } from '../../utils/routes';

interface Row {
  id: string;
  name: string;
  priceFen: number;
  quantity: number;
}

/** Why this buyer cannot check out now, or '' when they can. */
function blockedReason(status: CheckoutStatus): string {
  if (!status.merchantBound) return 'This mini program has no merchant account yet, so it cannot take payments.';
  if (status.service === 'unavailable') return 'Payments are paused right now. Please come back later.';
  return '';
}

Component({
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    rows: [] as Row[],
    isAdmin: false,
    blocked: '',
    /** Shown when WeChat discontinued payment management: checkout uses regular WeChat Pay. */
    fallbackNotice: false,
    count: 0,
    previewFen: 0,
    /** Every page of the catalogue is loaded: the list ends with "no more". */
    complete: false,
    /** The admin opened catalogue management: the list is reloaded when back here. */
    managing: false,
  },

  methods: {
    onLoad() {
      void this.load();
    },

    /** Back from a paid order: the cart it was is done, so the quantities start again at zero. */
    onShow() {
      if (this.data.managing) {
        // The catalogue may have changed; the reload also starts the quantities again.
        takeOrderCompleted();
        this.setData({ managing: false });
        void this.load();
        return;
      }
      if (!takeOrderCompleted() || !this.data.rows.length) return;
      const patch: WechatMiniprogram.IAnyObject = { count: 0, previewFen: 0 };
      this.data.rows.forEach((row, i) => {
        if (row.quantity) patch[`rows[${i}].quantity`] = 0;
      });
      this.setData(patch);
    },

    async onPullDownRefresh() {
      await this.load();
      stopPullDownRefresh();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '', complete: false });
      try {
        const [status, items] = await Promise.all([fetchCheckoutStatus(), this.fetchAllProducts()]);
        const rows = items.map((p) => ({ id: p.id, name: p.name, priceFen: p.priceFen, quantity: 0 }));
        this.setData({
          loadState: rows.length ? 'idle' : 'empty',
          complete: true,
          rows,
          isAdmin: status.role === 'admin',
          blocked: blockedReason(status),
          fallbackNotice: status.service === 'discontinued',
          count: 0,
          previewFen: 0,
        });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    /** The whole catalogue: the backend pages it (50 a page), and the cart and total need every product. */
    async fetchAllProducts(): Promise<Product[]> {
      const items: Product[] = [];
      let after: string | undefined;
      do {
        const page = await fetchProducts(after ? { after } : {});
        items.push(...page.items);
        after = page.next;
      } while (after);
      return items;
    },

    onRetry() {
      void this.load();
    },

    onQuantity(e: WechatMiniprogram.CustomEvent<{ value: number }, WechatMiniprogram.IAnyObject, { index: number }>) {
      const index = Number(e.currentTarget.dataset.index);
      const quantity = Math.max(0, Math.min(99, Math.floor(Number(e.detail.value) || 0)));
      const rows = this.data.rows.map((row, i) => (i === index ? { ...row, quantity } : row));
      // Only the changed row and the totals go over setData.
      this.setData({
        [`rows[${index}].quantity`]: quantity,
        count: rows.reduce((n, r) => n + r.quantity, 0),
        previewFen: rows.reduce((sum, r) => sum + r.priceFen * r.quantity, 0),
      });
    },

    onCheckout() {
      if (this.data.blocked || this.data.count === 0) return;
      const cart = formatCart(this.data.rows.map((r) => ({ productId: r.id, quantity: r.quantity })));
      void openPage(CheckoutRoutes.confirm, { items: cart });
    },

    onMyOrders() {
      void openPage(CheckoutRoutes.orders);
    },

    onAllOrders() {
      void openPage(CheckoutRoutes.orders, { scope: 'merchant' });
    },

    onManage() {
      if (!this.data.isAdmin) return;
      this.setData({ managing: true });
      void openPage(CheckoutRoutes.catalogue);
    },
  },
});
