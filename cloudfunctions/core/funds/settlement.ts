// The settlement job's work: every PAID order still PENDING whose settlement
// period has passed gets its remaining pending money moved to available, in
// the same transaction that marks it SETTLED. The order update is
// conditional on the order's revision (`rev`, bumped by every order write)
// being the one we computed the amount at, so a refund landing in between,
// even in the same millisecond, makes this run skip it (the next run settles
// the right amount); posting is keyed settlement:<orderId>, so it happens once.
import { pendingNetFen, settlementCutoff, settlementDaysFrom } from '../domain/funds/settlement';
import { settlementEntry } from '../domain/ledger';
import { type JournalDoc, postInTransaction } from '../ledger/book';
import type { Deps } from '../runtime/deps';
import { type OrderDoc, orderWrite } from '../domain/order';

export interface SettleOptions {
  /** T+N; default PMS_SETTLEMENT_DAYS or 1. */
  settlementDays?: number;
}

export interface SettleResult {
  settled: number;
  settledFen: number;
  skipped: number;
}

export async function settleDueOrders(deps: Deps, options: SettleOptions = {}): Promise<SettleResult> {
  const { store, clock, log } = deps;
  const now = clock.now();
  const days = options.settlementDays ?? settlementDaysFrom(process.env);
  const cutoff = settlementCutoff(now, days).toISOString();
  const result: SettleResult = { settled: 0, settledFen: 0, skipped: 0 };
  let after: string | undefined;
  do {
    const page = await store.find<OrderDoc>('orders', {
      where: { settlementState: 'PENDING', paidAt: { $lt: cutoff } },
      orderBy: [['paidAt', 'asc']],
      limit: 50,
      after,
    });
    for (const order of page.items) {
      if (order.state !== 'PAID') {
        result.skipped++;
        continue;
      }
      // One order that cannot be settled (a store error, a bad entry) must
      // not hold back every order after it: log it, count it as skipped,
      // and let the next run try it again.
      try {
        const entries = await store.find<JournalDoc>('journal', { where: { 'ref.orderId': order._id }, limit: 100 });
        const netFen = pendingNetFen(order.appid, entries.items);
        if (netFen < 0 || entries.next) {
          // Never seen in a sound ledger; settling would hide it.
          log.error({ orderId: order._id, netFen }, 'order cannot be settled: its pending amount does not add up');
          result.skipped++;
          continue;
        }
        const at = now.toISOString();
        const done = await store.transaction(async (tx) => {
          const marked = await tx.update(
            'orders',
            order._id,
            orderWrite({ set: { settlementState: 'SETTLED', settledAt: at, updatedAt: at } }),
            // `?? null`: an order stored before revisions has none, and null matches a missing field.
            { settlementState: 'PENDING', rev: order.rev ?? null },
          );
          if (!marked) return false;
          // Fully refunded before settlement: nothing left to move.
          if (netFen > 0) await postInTransaction(tx, settlementEntry(order.appid, order._id, netFen), now);
          return true;
        });
        if (done) {
          result.settled++;
          result.settledFen += netFen;
        } else {
          result.skipped++;
        }
      } catch (err) {
        log.error({ orderId: order._id, err }, 'order could not be settled; retried next run');
        result.skipped++;
      }
    }
    after = page.next;
  } while (after);
  return result;
}
