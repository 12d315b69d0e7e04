// The transaction detail's view (pure).
import type { LinkedOrder, TransactionDetail, WithdrawalView } from '../../../../../typings/funds';
import { format } from '../../../../i18n/index';
import { formatDateTime } from '../../../../shared/beijing';
import { pt } from '../../i18n/index';
import { orderStateLabel, txRowView, type TxRowView, typeLabel, withdrawalState } from '../../utils/labels';

export interface DetailView {
  title: string;
  hint: string;
  amountFen: number;
  time: string;
  changes: Array<{ label: string; fen: number }>;
  related: TxRowView[];
  order: { id: string; description: string } | null;
  withdrawal: { id: string; note: string } | null;
}

function orderDescription(o: LinkedOrder): string {
  const words = pt().transaction;
  const states = pt().settlementStates;
  const parts = [o.paidAt ? format(words.paidAt, { time: formatDateTime(o.paidAt) }) : orderStateLabel(o.state)];
  if (o.settlementState === 'SETTLED') parts.push(states.SETTLED);
  else if (o.settlementState === 'PENDING')
    parts.push(o.settlesAt ? format(words.availableFrom, { time: formatDateTime(o.settlesAt) }) : states.PENDING);
  return parts.join(' · ');
}

function withdrawalNote(w: WithdrawalView): string {
  return withdrawalState(w.state).label;
}

// The entry's memo is the server's own note (English, for operators): the type hint says what a row is instead.
export function detailView(d: TransactionDetail): DetailView {
  const { row } = d;
  const words = pt().transaction;
  const changes: DetailView['changes'] = [];
  if (row.changes.pendingFen) changes.push({ label: words.pending, fen: row.changes.pendingFen });
  if (row.changes.availableFen) changes.push({ label: words.available, fen: row.changes.availableFen });
  if (row.changes.withdrawingFen) changes.push({ label: words.withdrawing, fen: row.changes.withdrawingFen });
  const time = formatDateTime(row.at);
  return {
    title: typeLabel(row.type),
    hint: pt().typeHints[row.type],
    amountFen: row.amountFen,
    time: time ? format(words.time, { time }) : '',
    changes,
    related: d.related.map(txRowView),
    order: d.order ? { id: d.order.id, description: orderDescription(d.order) } : null,
    withdrawal: d.withdrawal ? { id: d.withdrawal.id, note: withdrawalNote(d.withdrawal) } : null,
  };
}
