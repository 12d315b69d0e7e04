// One movement: what it was, how it moved each balance, the rows of the same
// entry (a payment's fee), and the order or withdrawal it belongs to. Their
// ids are long: shown whole (wrapped) with a copy action.
import type { LoadState } from '../../../../components/load-state/index';
import { localized } from '../../../../behaviors/localized';
import { t } from '../../../../i18n/index';
import { toast } from '../../../../services/feedback';
import { copyText, fetchTransaction } from '../../../../services/funds';
import { openPage, replacePage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { pageTexts } from '../../i18n/index';
import { param } from '../../utils/query';
import { FundsRoutes } from '../../utils/routes';
import { detailView, type DetailView } from './view';

Component({
  behaviors: [localized(pageTexts, (texts) => texts.transaction.title)],

  data: {
    id: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as DetailView | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: param(query.id) });
      void this.load();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        this.setData({ loadState: 'idle', view: detailView(await fetchTransaction(this.data.id)) });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    onOpenOrder() {
      const order = this.data.view?.order;
      if (order) void openPage(FundsRoutes.order, { orderId: order.id });
    },

    onOpenWithdrawal() {
      const w = this.data.view?.withdrawal;
      if (w) void openPage(FundsRoutes.withdraw, { id: w.id });
    },

    async onCopy(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { value: string }>,
    ) {
      try {
        await copyText(e.currentTarget.dataset.value);
        toast(t().common.copied, 'success');
      } catch (err) {
        toast(failureOf(err).message);
      }
    },

    onOpenRelated(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id: string }>,
    ) {
      // A sibling row of the same entry: replace, so "back" returns to the list.
      void replacePage(FundsRoutes.transaction, { id: e.currentTarget.dataset.id });
    },
  },
});
