// Closing an unpaid order (buyer cancels, or it expired). If a prepay was
// handed out, WeChat Pay must close it first, or the buyer could still pay a
// closed order; if WeChat says it was paid meanwhile, the payment wins.
import { isAlreadyPaidCode, type OrderDoc, orderWrite } from '../domain/order';
import { PayError } from '../ports/pay';
import type { Deps } from '../runtime/deps';
import { syncPayment } from './apply-transaction';

export type CloseOutcome = 'closed' | 'paid' | 'unchanged';

export async function closeOrder(deps: Deps, order: OrderDoc, reason: 'expired' | 'cancelled'): Promise<CloseOutcome> {
  if (order.state === 'PAID' || order.state === 'CLOSED') return 'unchanged';
  if (order.prepay) {
    const known = await syncPayment(deps, order);
    if (known === 'credited' || known === 'already-paid') return 'paid';
    if (known === 'closed') return 'closed'; // WeChat Pay had closed it already
    try {
      await deps.pay.closeTransaction(order.subMchid, order._id);
    } catch (err) {
      if (err instanceof PayError && isAlreadyPaidCode(err.code)) {
        await syncPayment(deps, order);
        return 'paid';
      }
      // WeChat Pay has no such order: nothing there can be paid, so ours can close.
      if (!(err instanceof PayError && err.status === 404)) throw err;
    }
  }
  const at = deps.clock.now().toISOString();
  const closed = await deps.store.update(
    'orders',
    order._id,
    orderWrite({ set: { state: 'CLOSED', closedAt: at, closeReason: reason, updatedAt: at } }),
    { state: order.state },
  );
  if (closed) return 'closed';
  // Someone else moved it (paid, closed, or a fresh prepay): look again.
  const fresh = await deps.store.get<OrderDoc>('orders', order._id);
  if (!fresh || fresh.state === 'PAID') return fresh ? 'paid' : 'unchanged';
  if (fresh.state === 'CLOSED') return 'unchanged';
  return closeOrder(deps, fresh, reason);
}
