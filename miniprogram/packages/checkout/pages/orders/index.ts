// Orders, newest first, a page at a time: the buyer's own, or (scope=merchant,
// admin) every order of the mini program. New pages are appended row by row
// so setData never re-sends the whole list.
import type { OrderPage } from '../../../../../typings/checkout';
import type { LoadState } from '../../../../components/load-state/index';
import { fetchMerchantOrders, fetchOrders } from '../../../../services/checkout';
import { stopPullDownRefresh, toast } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { orderRow } from '../../utils/order-view';
import { queryValue } from '../../utils/query';
import { CheckoutRoutes } from '../../utils/routes';

type Row = ReturnType<typeof orderRow>;

Component({
  data: {
    merchant: false,
    rows: [] as Row[],
    next: '' as string,
    /** State of the list below the rows: loading, empty, error, noMore, or idle (more to load). */
    loadState: 'loading' as LoadState,
    errorText: '',
    loadingMore: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const merchant = queryValue(query.scope) === 'merchant';
      this.setData({ merchant });
      wx.setNavigationBarTitle({ title: merchant ? 'All orders' : 'My orders' });
      void this.reload();
    },

    fetch(after?: string): Promise<OrderPage> {
      return this.data.merchant ? fetchMerchantOrders(after ? { after } : {}) : fetchOrders(after);
    },

    async reload() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const page = await this.fetch();
        this.setData({
          rows: page.items.map(orderRow),
          next: page.next ?? '',
          loadState: page.items.length === 0 ? 'empty' : page.next ? 'idle' : 'noMore',
        });
      } catch (err) {
        this.setData({ rows: [], next: '', loadState: 'error', errorText: failureOf(err).message });
      }
    },

    async onReachBottom() {
      if (!this.data.next || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      try {
        const page = await this.fetch(this.data.next);
        const start = this.data.rows.length;
        const patch: Record<string, unknown> = { next: page.next ?? '', loadState: page.next ? 'idle' : 'noMore' };
        page.items.forEach((order, i) => {
          patch[`rows[${start + i}]`] = orderRow(order);
        });
        this.setData(patch);
      } catch (err) {
        // The rows already shown stay; scrolling down again retries.
        toast(failureOf(err).message);
      } finally {
        this.setData({ loadingMore: false });
      }
    },

    async onPullDownRefresh() {
      await this.reload();
      stopPullDownRefresh();
    },

    onShow() {
      // Back from an order that was paid, cancelled or refunded meanwhile.
      if (this.data.rows.length) void this.reload();
    },

    onRetry() {
      void this.reload();
    },

    onOpen(e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id: string }>) {
      void openPage(CheckoutRoutes.order, { orderId: e.currentTarget.dataset.id });
    },
  },
});
