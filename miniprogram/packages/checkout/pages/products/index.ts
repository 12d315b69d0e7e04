// Product list: what the mini program sells, with quantities to pick. The
// running total here is only a preview; the confirmation page shows the
// server's own breakdown before anything is ordered.
import type { CheckoutStatus, Product } from '../../../../../typings/checkout';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { format } from '../../../../i18n/index';
import { fetchCheckoutStatus, fetchProducts } from '../../../../services/checkout';
import { stopPullDownRefresh } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { pt } from '../../i18n/index';
import { formatCart, takeOrderCompleted } from '../../utils/cart';
import { itemCount } from '../../utils/order-view';
import { CheckoutRoutes } from '../../utils/routes';

interface Row {
  id: string;
  name: string;
  priceFen: number;
  quantity: number;
  /** What a screen reader says for the row's add and remove buttons. */
  addLabel: string;
  removeLabel: string;
}

const MAX_QUANTITY = 99;
/** From ¥1,000,000.00 on, the bar's total takes a smaller size so it keeps beside the button. */
const LONG_TOTAL_FEN = 100_000_000;

/** Why this buyer cannot check out now, or '' when they can. */
function blockedReason(status: CheckoutStatus): string {
  if (!status.merchantBound) return pt().products.noMerchant;
  if (status.service === 'unavailable') return pt().products.paused;
  return '';
}

function toRow(p: Product): Row {
  const texts = pt().products;
  return {
    id: p.id,
    name: p.name,
    priceFen: p.priceFen,
    quantity: 0,
    addLabel: format(texts.add, { name: p.name }),
    removeLabel: format(texts.remove, { name: p.name }),
  };
}

Component({
  behaviors: [localized(pt, (texts) => texts.products.title)],

  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    rows: [] as Row[],
    isAdmin: false,
    blocked: '',
    /** Shown when WeChat discontinued payment management: checkout uses regular WeChat Pay. */
    fallbackNotice: false,
    count: 0,
    countText: '',
    previewFen: 0,
    longTotal: false,
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
      const patch: WechatMiniprogram.IAnyObject = this.totals([]);
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
        const rows = items.map(toRow);
        this.setData({
          loadState: rows.length ? 'idle' : 'empty',
          complete: true,
          rows,
          isAdmin: status.role === 'admin',
          blocked: blockedReason(status),
          fallbackNotice: status.service === 'discontinued',
          ...this.totals(rows),
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

    /** The bar's count and preview total for these quantities. */
    totals(rows: Row[]) {
      const count = rows.reduce((n, r) => n + r.quantity, 0);
      const previewFen = rows.reduce((sum, r) => sum + r.priceFen * r.quantity, 0);
      return { count, countText: itemCount(count), previewFen, longTotal: previewFen >= LONG_TOTAL_FEN };
    },

    onAdd(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { index: number }>,
    ) {
      this.changeQuantity(Number(e.currentTarget.dataset.index), 1);
    },

    onRemove(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { index: number }>,
    ) {
      this.changeQuantity(Number(e.currentTarget.dataset.index), -1);
    },

    changeQuantity(index: number, by: number) {
      const row = this.data.rows[index];
      if (!row || this.data.blocked) return;
      const quantity = Math.max(0, Math.min(MAX_QUANTITY, row.quantity + by));
      if (quantity === row.quantity) return;
      const rows = this.data.rows.map((r, i) => (i === index ? { ...r, quantity } : r));
      // Only the changed row and the totals go over setData.
      this.setData({ [`rows[${index}].quantity`]: quantity, ...this.totals(rows) });
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
