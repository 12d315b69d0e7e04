// Withdrawal history, newest first, a page at a time; each opens its result.
import { localized } from '../../../../behaviors/localized';
import { pagedList } from '../../../../behaviors/paged-list';
import { fetchWithdrawals } from '../../../../services/funds';
import { openPage } from '../../../../services/navigation';
import { pageTexts } from '../../i18n/index';
import { withdrawalRowView } from '../../utils/labels';
import { FundsRoutes } from '../../utils/routes';

Component({
  behaviors: [pagedList, localized(pageTexts, (t) => t.withdrawals.title)],

  data: {
    // Back from a withdrawal that was made, or whose state moved on.
    reloadOnShow: true,
  },

  methods: {
    fetchPage: fetchWithdrawals,

    toRow: withdrawalRowView,

    onOpen(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id: string }>,
    ) {
      void openPage(FundsRoutes.withdraw, { id: e.currentTarget.dataset.id });
    },
  },
});
