// Missed notifications: orders left PAYING for a while are asked about at
// WeChat Pay and credited if paid. The grace period lets the notification,
// which usually comes within seconds, do it first.
import { syncPayment } from './apply-transaction';
import type { OrderDoc } from '../domain/order';
import type { Deps } from '../runtime/deps';

export const QUERY_AFTER_MS = 60_000;
/** Bounded work per run; the rest waits for the next tick. */
const MAX_PER_RUN = 200;

export async function queryPayingOrders(deps: Deps): Promise<{ checked: number; credited: number; failed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - QUERY_AFTER_MS).toISOString();
  const result = { checked: 0, credited: 0, failed: 0 };
  let after: string | undefined;
  do {
    const page = await deps.store.find<OrderDoc>('orders', {
      where: { state: 'PAYING', updatedAt: { $lte: cutoff } },
      orderBy: [['updatedAt', 'asc']],
      limit: 50,
      after,
    });
    for (const order of page.items) {
      result.checked++;
      try {
        if ((await syncPayment(deps, order)) === 'credited') result.credited++;
      } catch (err) {
        result.failed++;
        deps.log.warn({ err, orderId: order._id }, 'payment query failed');
      }
    }
    after = page.next;
  } while (after && result.checked < MAX_PER_RUN);
  return result;
}
