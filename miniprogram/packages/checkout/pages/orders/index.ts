// Orders, newest first, a page at a time: the buyer's own, or (scope=merchant,
// admin) every order of the mini program, filtered to paid orders by how much
// was refunded. New pages are appended row by row so setData never re-sends
// the whole list.
import type { OrderPage } from '../../../../../typings/checkout';
import { localized } from '../../../../behaviors/localized';
import { pagedList } from '../../../../behaviors/paged-list';
import { t } from '../../../../i18n/index';
import { fetchMerchantOrders, fetchOrders } from '../../../../services/checkout';
import { setTitle } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { pt } from '../../i18n/index';
import { type OrderFilter, orderFilters, orderRow } from '../../utils/order-view';
import { queryValue } from '../../utils/query';
import { CheckoutRoutes } from '../../utils/routes';

Component({
  // The title depends on the scope, so onLoad sets it.
  behaviors: [pagedList, localized(() => ({ ...pt(), loading: t().loadState.loading }))],

  data: {
    merchant: false,
    filters: [] as Array<{ value: OrderFilter; label: string }>,
    filter: '' as OrderFilter,
    // Back from an order that was paid, cancelled or refunded meanwhile.
    reloadOnShow: true,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const merchant = queryValue(query.scope) === 'merchant';
      this.setData({ merchant, filters: merchant ? orderFilters() : [] });
      setTitle(merchant ? pt().orders.all : pt().orders.mine);
      void this.reload();
    },

    fetchPage(after?: string): Promise<OrderPage> {
      if (!this.data.merchant) return fetchOrders(after);
      const { filter } = this.data;
      return fetchMerchantOrders({ ...(filter ? { refundStatus: filter } : {}), ...(after ? { after } : {}) });
    },

    toRow: orderRow,

    reloadPatch() {
      // Rows of the previous filter must not stay on screen.
      return { rows: [] };
    },

    onFilter(
      e: WechatMiniprogram.CustomEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { value: OrderFilter }
      >,
    ) {
      const value = e.currentTarget.dataset.value;
      if (value === this.data.filter) return;
      this.setData({ filter: value });
      void this.reload();
    },

    onOpen(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id: string }>,
    ) {
      void openPage(CheckoutRoutes.order, { orderId: e.currentTarget.dataset.id });
    },
  },
});
