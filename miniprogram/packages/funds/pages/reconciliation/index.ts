// Reconciliation results: each Beijing day's check of WeChat Pay's trade
// bill against our ledger, newest first; a day opens to list every mismatch.
import type { ReconciliationView } from '../../../../../typings/funds';
import { pagedList } from '../../../../behaviors/paged-list';
import { toast } from '../../../../services/feedback';
import { fetchReconciliation, fetchReconciliations } from '../../../../services/funds';
import { failureOf } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { formatFen } from '../../../../shared/money';
import { MISMATCH_LABELS, RECONCILIATION_STATES, type TagTheme } from '../../utils/labels';

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
  const state = RECONCILIATION_STATES[r.state];
  const summary =
    r.state === 'WAITING'
      ? (r.note ?? "Waiting for WeChat Pay's bill")
      : `Bill ${r.billPayments} payments ${formatFen(r.billPaidFen)} · ours ${r.ledgerPayments} payments ${formatFen(r.ledgerPaidFen)}`;
  return {
    date: r.billDate,
    label: r.mismatchCount ? `${r.mismatchCount} mismatch${r.mismatchCount === 1 ? '' : 'es'}` : state.label,
    theme: state.theme,
    summary,
    canOpen: r.mismatchCount > 0,
  };
}

Component({
  behaviors: [pagedList],

  data: {
    openDate: '',
    mismatches: [] as MismatchRow[],
    mismatchTotal: 0,
    opening: false,
  },

  methods: {
    fetchPage: fetchReconciliations,

    toRow: dayRow,

    reloadPatch() {
      return { openDate: '', mismatches: [] };
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
        this.setData({ openDate: '', mismatches: [] });
        return;
      }
      // One day opening at a time: a double tap asks once.
      await guarded(this, 'opening', () => this.openDay(date));
    },

    async openDay(date: string) {
      try {
        const day = await fetchReconciliation(date);
        const mismatches = day.mismatches.map((m, i) => ({
          key: `${i}`,
          title: MISMATCH_LABELS[m.kind] ?? m.kind,
          detail: [
            m.orderId ? `Order ${m.orderId}` : '',
            m.refundId ? `Refund ${m.refundId}` : '',
            m.billFen !== undefined ? `bill ${formatFen(m.billFen)}` : '',
            m.ledgerFen !== undefined ? `ours ${formatFen(m.ledgerFen)}` : '',
            m.detail,
          ]
            .filter(Boolean)
            .join(' · '),
        }));
        this.setData({ openDate: date, mismatches, mismatchTotal: day.mismatchCount });
      } catch (err) {
        toast(failureOf(err).message);
      }
    },
  },
});
