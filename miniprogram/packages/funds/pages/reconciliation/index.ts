// Reconciliation results: each Beijing day's check of WeChat Pay's trade
// bill against our ledger, newest first; a day opens to list every mismatch.
import type { ReconciliationView } from '../../../../../typings/funds';
import { localized } from '../../../../behaviors/localized';
import { pagedList } from '../../../../behaviors/paged-list';
import { format } from '../../../../i18n/index';
import { toast } from '../../../../services/feedback';
import { fetchReconciliation, fetchReconciliations } from '../../../../services/funds';
import { failureOf } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { formatFen } from '../../../../shared/money';
import { counted, pageTexts, pt } from '../../i18n/index';
import { mismatchLabel, reconciliationState, type TagTheme } from '../../utils/labels';

interface DayRow {
  date: string;
  label: string;
  theme: TagTheme;
  summary: string;
  canOpen: boolean;
}

interface MismatchRow {
  key: string;
  title: string;
  detail: string;
}

function dayRow(r: ReconciliationView): DayRow {
  const words = pt().reconciliation;
  const state = reconciliationState(r.state);
  const payments = (count: number) => counted(count, words.paymentsOne, words.paymentsMany);
  // A waiting day's note is the server's (for operators): the words here say what it means.
  const summary =
    r.state === 'WAITING'
      ? words.waiting
      : format(words.summary, {
          bill: payments(r.billPayments),
          billAmount: formatFen(r.billPaidFen),
          ledger: payments(r.ledgerPayments),
          ledgerAmount: formatFen(r.ledgerPaidFen),
        });
  return {
    date: r.billDate,
    label: r.mismatchCount ? counted(r.mismatchCount, words.mismatchesOne, words.mismatchesMany) : state.label,
    theme: state.theme,
    summary,
    canOpen: r.mismatchCount > 0,
  };
}

Component({
  behaviors: [pagedList, localized(pageTexts, (t) => t.reconciliation.title)],

  data: {
    openDate: '',
    mismatches: [] as MismatchRow[],
    /** "and 3 more" under a day whose list was cut short, or ''. */
    moreText: '',
    opening: false,
  },

  methods: {
    fetchPage: fetchReconciliations,

    toRow: dayRow,

    reloadPatch() {
      return { openDate: '', mismatches: [], moreText: '' };
    },

    async onOpen(
      e: WechatMiniprogram.CustomEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { date: string; open: boolean }
      >,
    ) {
      const { date, open } = e.currentTarget.dataset;
      if (!open) return;
      if (this.data.openDate === date) {
        this.setData({ openDate: '', mismatches: [], moreText: '' });
        return;
      }
      // One day opening at a time: a double tap asks once.
      await guarded(this, 'opening', () => this.openDay(date));
    },

    async openDay(date: string) {
      try {
        const day = await fetchReconciliation(date);
        const words = pt().reconciliation;
        // The server's own detail line is English for operators: the kind and the figures say it here.
        const mismatches = day.mismatches.map((m, i) => ({
          key: `${i}`,
          title: mismatchLabel(m.kind),
          detail: [
            m.orderId ? format(words.order, { id: m.orderId }) : '',
            m.refundId ? format(words.refund, { id: m.refundId }) : '',
            m.billFen !== undefined ? format(words.billAmount, { amount: formatFen(m.billFen) }) : '',
            m.ledgerFen !== undefined ? format(words.ledgerAmount, { amount: formatFen(m.ledgerFen) }) : '',
          ]
            .filter(Boolean)
            .join(' · '),
        }));
        const more = day.mismatchCount - mismatches.length;
        this.setData({
          openDate: date,
          mismatches,
          moreText: more > 0 ? format(words.more, { count: more }) : '',
        });
      } catch (err) {
        toast(failureOf(err).message);
      }
    },
  },
});
