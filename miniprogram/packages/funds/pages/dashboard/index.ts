// Funds dashboard: the three balances, quick actions, the bank account, the
// latest reconciliation and the most recent movements, from one call.
import type { LoadState } from '../../../../components/load-state/index';
import { stopPullDownRefresh, toast } from '../../../../services/feedback';
import { fetchOverview } from '../../../../services/funds';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { FundsRoutes } from '../../utils/routes';
import { dashboardView, type DashboardView } from './view';

type Tap = WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id?: string; to?: keyof typeof FundsRoutes }>;

Component({
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as DashboardView | null,
  },

  methods: {
    onLoad() {
      void this.load(false);
    },

    onShow() {
      // Back from a withdrawal or a bank change: the numbers moved.
      if (this.data.view) void this.load(true);
    },

    async onPullDownRefresh() {
      await this.load(true);
      stopPullDownRefresh();
    },

    async load(quiet: boolean) {
      if (!quiet) this.setData({ loadState: 'loading', errorText: '' });
      try {
        const overview = await fetchOverview();
        this.setData({ loadState: 'idle', view: dashboardView(overview) });
      } catch (err) {
        const failure = failureOf(err);
        if (quiet && this.data.view) toast(failure.message);
        else this.setData({ loadState: 'error', errorText: failure.message });
      }
    },

    onRetry() {
      void this.load(false);
    },

    onWithdraw() {
      const view = this.data.view;
      if (!view) return;
      if (!view.canWithdraw) {
        toast(view.withdrawHint);
        return;
      }
      void openPage(FundsRoutes.withdraw);
    },

    onOpen(e: Tap) {
      const to = e.currentTarget.dataset.to;
      if (to) void openPage(FundsRoutes[to]);
    },

    onOpenTransaction(e: Tap) {
      const id = e.currentTarget.dataset.id;
      if (id) void openPage(FundsRoutes.transaction, { id });
    },
  },
});
