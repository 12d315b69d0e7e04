// Transaction details: every movement, newest first, filtered by type and a
// Beijing date range, a page at a time (infinite scroll appends row by row),
// and the CSV export of the chosen range (this month when none is chosen).
import type { TransactionFilter, TransactionPage, TransactionQuery } from '../../../../../typings/funds';
import type { LoadState } from '../../../../components/load-state/index';
import { confirmAction, stopPullDownRefresh, toast } from '../../../../services/feedback';
import { dispatchExport, fetchTransactions, shareExport } from '../../../../services/funds';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { beijingMonth } from '../../utils/beijing';
import { FILTER_OPTIONS, txRowView, type TxRowView } from '../../utils/labels';
import { param } from '../../utils/query';
import { FundsRoutes } from '../../utils/routes';

type Dataset<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, T>;

Component({
  data: {
    filters: FILTER_OPTIONS,
    type: '' as TransactionFilter | '',
    from: '',
    to: '',
    rangeError: '',
    rows: [] as TxRowView[],
    next: '',
    loadState: 'loading' as LoadState,
    errorText: '',
    loadingMore: false,
    exporting: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const type = param(query.type);
      if (FILTER_OPTIONS.some((f) => f.value === type)) this.setData({ type: type as TransactionFilter | '' });
      void this.reload();
    },

    query(after?: string): TransactionQuery {
      const { type, from, to } = this.data;
      const q: TransactionQuery = {};
      if (type) q.type = type;
      if (from && to) {
        q.from = from;
        q.to = to;
      }
      if (after) q.after = after;
      return q;
    },

    async reload() {
      this.setData({ loadState: 'loading', errorText: '', rows: [], next: '' });
      try {
        const page: TransactionPage = await fetchTransactions(this.query());
        this.setData({
          rows: page.items.map(txRowView),
          next: page.next ?? '',
          loadState: page.items.length === 0 ? (page.next ? 'idle' : 'empty') : page.next ? 'idle' : 'noMore',
        });
        // A page of nothing visible with more behind it: keep going rather than show a blank list.
        if (!page.items.length && page.next) void this.onReachBottom();
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    async onReachBottom() {
      if (!this.data.next || this.data.loadingMore || this.data.loadState === 'loading') return;
      this.setData({ loadingMore: true });
      try {
        const page = await fetchTransactions(this.query(this.data.next));
        const start = this.data.rows.length;
        const patch: Record<string, unknown> = { next: page.next ?? '' };
        page.items.forEach((row, i) => {
          patch[`rows[${start + i}]`] = txRowView(row);
        });
        const total = start + page.items.length;
        patch.loadState = page.next ? 'idle' : total === 0 ? 'empty' : 'noMore';
        this.setData(patch);
      } catch (err) {
        // What is on screen stays; scrolling again retries.
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

    onFilter(e: Dataset<{ value: TransactionFilter | '' }>) {
      const value = e.currentTarget.dataset.value;
      if (value === this.data.type) return;
      this.setData({ type: value });
      void this.reload();
    },

    onFrom(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setRange(e.detail.value, this.data.to || e.detail.value);
    },

    onTo(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setRange(this.data.from || e.detail.value, e.detail.value);
    },

    setRange(from: string, to: string) {
      if (from > to) {
        this.setData({ rangeError: 'The end date is before the start date' });
        return;
      }
      this.setData({ from, to, rangeError: '' });
      void this.reload();
    },

    onClearRange() {
      this.setData({ from: '', to: '', rangeError: '' });
      void this.reload();
    },

    onOpen(e: Dataset<{ id: string }>) {
      void openPage(FundsRoutes.transaction, { id: e.currentTarget.dataset.id });
    },

    async onExport() {
      const range = this.data.from && this.data.to ? { from: this.data.from, to: this.data.to } : beijingMonth();
      await guarded(this, 'exporting', async () => {
        try {
          const saved = await dispatchExport(range.from, range.to);
          const send = await confirmAction('Export ready', `${saved.rows} transactions saved as ${saved.filename}. Send the file to a chat?`, 'Send');
          if (send) await shareExport(saved);
        } catch (err) {
          toast(failureOf(err).message);
        }
      });
    },
  },
});
