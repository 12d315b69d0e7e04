// Unpaid orders past their expiry are closed, at WeChat Pay first when a
// prepay was handed out (so it can no longer be paid); one paid at the last
// moment is credited instead.
import { closeOrder } from './close-order';
import type { OrderDoc } from '../domain/order';
import type { Deps } from '../runtime/deps';

const MAX_PER_RUN = 200;

export async function closeExpiredOrders(deps: Deps): Promise<{ closed: number; paid: number; failed: number }> {
  const now = deps.clock.now().toISOString();
  const result = { closed: 0, paid: 0, failed: 0 };
  let seen = 0;
  for (const state of ['CREATED', 'PAYING'] as const) {
    let after: string | undefined;
    do {
      const page = await deps.store.find<OrderDoc>('orders', {
        where: { state, expiresAt: { $lte: now } },
        orderBy: [['expiresAt', 'asc']],
        limit: 50,
        after,
      });
      for (const order of page.items) {
        seen++;
        try {
          const outcome = await closeOrder(deps, order, 'expired');
          if (outcome === 'closed') result.closed++;
          if (outcome === 'paid') result.paid++;
        } catch (err) {
          result.failed++;
          deps.log.warn({ err, orderId: order._id }, 'closing an expired order failed');
        }
      }
      after = page.next;
    } while (after && seen < MAX_PER_RUN);
  }
  return result;
}
