// The transaction detail's view (pure).
import type { LinkedOrder, TransactionDetail, WithdrawalView } from '../../../../../typings/funds';
import { formatDateTime } from '../../../../shared/beijing';
import { TYPE_LABELS } from '../../../../shared/transaction-types';
import { orderStateLabel, TYPE_HINTS, txRowView, type TxRowView, WITHDRAWAL_STATES } from '../../utils/labels';

export interface DetailView {
  title: string;
  hint: string;
  amountFen: number;
  time: string;
  changes: Array<{ label: string; fen: number }>;
  related: TxRowView[];
  memo: string;
  order: { id: string; note: string; description: string } | null;
  withdrawal: { id: string; note: string } | null;
}

const SETTLEMENT = { PENDING: 'Pending settlement', SETTLED: 'Settled' } as const;

function orderDescription(o: LinkedOrder): string {
  const parts = [o.paidAt ? `Paid ${formatDateTime(o.paidAt)}` : orderStateLabel(o.state)];
  if (o.settlementState === 'PENDING' && o.settlesAt) parts.push(`available from ${formatDateTime(o.settlesAt)}`);
  else if (o.settlementState) parts.push(SETTLEMENT[o.settlementState]);
  return parts.join(' · ');
}

function withdrawalNote(w: WithdrawalView): string {
  return WITHDRAWAL_STATES[w.state].label;
}

export function detailView(d: TransactionDetail): DetailView {
  const { row } = d;
  const changes: DetailView['changes'] = [];
  if (row.changes.pendingFen) changes.push({ label: 'Pending', fen: row.changes.pendingFen });
  if (row.changes.availableFen) changes.push({ label: 'Available', fen: row.changes.availableFen });
  if (row.changes.withdrawingFen) changes.push({ label: 'Withdrawing', fen: row.changes.withdrawingFen });
  return {
    title: TYPE_LABELS[row.type],
    hint: TYPE_HINTS[row.type],
    amountFen: row.amountFen,
    time: formatDateTime(row.at),
    changes,
    related: d.related.map(txRowView),
    memo: d.memo ?? '',
    order: d.order ? { id: d.order.id, note: d.order.id, description: orderDescription(d.order) } : null,
    withdrawal: d.withdrawal ? { id: d.withdrawal.id, note: withdrawalNote(d.withdrawal) } : null,
  };
}
