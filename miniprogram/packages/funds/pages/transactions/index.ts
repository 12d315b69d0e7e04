// Transaction details: every movement, newest first, filtered by type and a
// Beijing date range, a page at a time (infinite scroll appends row by row),
// and the CSV export of the chosen range (this month when none is chosen).
import type { TransactionFilter, TransactionPage, TransactionQuery } from '../../../../../typings/funds';
import { localized } from '../../../../behaviors/localized';
import { pagedList } from '../../../../behaviors/paged-list';
import { confirmAction, toast } from '../../../../services/feedback';
import { dispatchExport, fetchTransactions, shareExport } from '../../../../services/funds';
import { openPage } from '../../../../services/navigation';
import { failureOf } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { beijingMonth } from '../../../../shared/beijing';
import { counted, pageTexts, pt } from '../../i18n/index';
import { filterOptions, isFilter, txRowView } from '../../utils/labels';
import { param } from '../../utils/query';
import { FundsRoutes } from '../../utils/routes';

type Dataset<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.CustomEvent<
  WechatMiniprogram.IAnyObject,
  WechatMiniprogram.IAnyObject,
  T
>;

Component({
  behaviors: [pagedList, localized(pageTexts, (t) => t.transactions.title)],

  data: {
    filters: [] as Array<{ value: TransactionFilter | ''; label: string }>,
    type: '' as TransactionFilter | '',
    from: '',
    to: '',
    rangeError: '',
    exporting: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const type = param(query.type);
      this.setData({ filters: filterOptions(), ...(isFilter(type) ? { type } : {}) });
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

    fetchPage(after?: string): Promise<TransactionPage> {
      return fetchTransactions(this.query(after));
    },

    toRow: txRowView,

    reloadPatch() {
      // Rows of the previous filter or range must not stay on screen.
      return { rows: [] };
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
        this.setData({ rangeError: pt().transactions.rangeError });
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
          const words = pt().transactions;
          const send = await confirmAction(
            words.exportReady,
            counted(saved.rows, words.exportedOne, words.exportedMany, { filename: saved.filename }),
            words.send,
          );
          if (send) await shareExport(saved);
        } catch (err) {
          toast(failureOf(err).message);
        }
      });
    },
  },
});
