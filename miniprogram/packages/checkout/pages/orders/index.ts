// Orders, newest first, a page at a time: the buyer's own, or (scope=merchant,
// admin) every order of the mini program. New pages are appended row by row
// so setData never re-sends the whole list.
import type { OrderPage } from '../../../../../typings/checkout';
import { pagedList } from '../../../../behaviors/paged-list';
import { fetchMerchantOrders, fetchOrders } from '../../../../services/checkout';
import { setTitle } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { orderRow } from '../../utils/order-view';
import { queryValue } from '../../utils/query';
import { CheckoutRoutes } from '../../utils/routes';

Component({
  behaviors: [pagedList],

  data: {
    merchant: false,
    // Back from an order that was paid, cancelled or refunded meanwhile.
    reloadOnShow: true,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const merchant = queryValue(query.scope) === 'merchant';
      this.setData({ merchant });
      setTitle(merchant ? 'All orders' : 'My orders');
      void this.reload();
    },

    fetchPage(after?: string): Promise<OrderPage> {
      return this.data.merchant ? fetchMerchantOrders(after ? { after } : {}) : fetchOrders(after);
    },

    toRow: orderRow,

    onOpen(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id: string }>,
    ) {
      void openPage(CheckoutRoutes.order, { orderId: e.currentTarget.dataset.id });
    },
  },
});
