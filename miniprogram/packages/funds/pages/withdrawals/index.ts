// Withdrawal history, newest first, a page at a time; each opens its result.
import type { LoadState } from '../../../../components/load-state/index';
import { stopPullDownRefresh, toast } from '../../../../services/feedback';
import { fetchWithdrawals } from '../../../../services/funds';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { withdrawalRowView, type WithdrawalRowView } from '../../utils/labels';
import { FundsRoutes } from '../../utils/routes';

Component({
  data: {
    rows: [] as WithdrawalRowView[],
    next: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    loadingMore: false,
    /** Set after the first load: later onShow calls (back from a withdrawal) refresh. */
    loaded: false,
  },

  methods: {
    onLoad() {
      void this.reload();
    },

    onShow() {
      // Back from a withdrawal that was made, or whose state moved on.
      if (this.data.loaded) void this.reload();
    },

    async reload() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const page = await fetchWithdrawals();
        this.setData({ loaded: true, rows: page.items.map(withdrawalRowView), next: page.next ?? '', loadState: page.items.length === 0 ? 'empty' : page.next ? 'idle' : 'noMore' });
      } catch (err) {
        this.setData({ rows: [], next: '', loadState: 'error', errorText: failureOf(err).message });
      }
    },

    async onReachBottom() {
      if (!this.data.next || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      try {
        const page = await fetchWithdrawals(this.data.next);
        const start = this.data.rows.length;
        const patch: Record<string, unknown> = { next: page.next ?? '', loadState: page.next ? 'idle' : 'noMore' };
        page.items.forEach((w, i) => {
          patch[`rows[${start + i}]`] = withdrawalRowView(w);
        });
        this.setData(patch);
      } catch (err) {
        toast(failureOf(err).message);
      } finally {
        this.setData({ loadingMore: false });
      }
    },

    async onPullDownRefresh() {
      await this.reload();
      stopPullDownRefresh();
    },

    onRetry() {
      void this.reload();
    },

    onOpen(e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { id: string }>) {
      void openPage(FundsRoutes.withdraw, { id: e.currentTarget.dataset.id });
    },
  },
});
