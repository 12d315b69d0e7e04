// Funds dashboard: the three balances, quick actions, the bank account, the
// latest reconciliation and the most recent movements, from one call.
import { loadable } from '../../../../behaviors/loadable';
import { localized } from '../../../../behaviors/localized';
import { toast } from '../../../../services/feedback';
import { fetchOverview } from '../../../../services/funds';
import { openPage } from '../../../../services/navigation';
import { pageTexts } from '../../i18n/index';
import { FundsRoutes } from '../../utils/routes';
import { dashboardView, type DashboardView } from './view';

type Tap = WechatMiniprogram.CustomEvent<
  WechatMiniprogram.IAnyObject,
  WechatMiniprogram.IAnyObject,
  { id?: string; to?: keyof typeof FundsRoutes }
>;

Component({
  behaviors: [loadable, localized(pageTexts, (t) => t.dashboard.title)],

  data: {
    view: null as DashboardView | null,
    // Back from a withdrawal or a bank change: the numbers moved.
    reloadOnShow: true,
  },

  methods: {
    async fetchView(): Promise<DashboardView> {
      return dashboardView(await fetchOverview());
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
