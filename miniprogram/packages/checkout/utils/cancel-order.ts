// Cancelling an unpaid order, from the order page or the pay page: ask first,
// then cancel under the page's `cancelling` flag and say how it went. The page
// reloads afterwards either way, since the order may have moved on.
import { dispatchCancelOrder } from '../../../services/checkout';
import { confirmAction, toast } from '../../../services/feedback';
import { failureOf } from '../../../services/transport';
import { guarded } from '../../../utils/guard';

type Host = Parameters<typeof guarded>[0];

export async function cancelOrderAfterConfirm(
  host: Host,
  orderId: string,
  reload: () => Promise<unknown>,
): Promise<void> {
  if (!(await confirmAction('Cancel this order?', 'It will be closed and can no longer be paid.', 'Cancel order')))
    return;
  await guarded(host, 'cancelling', async () => {
    try {
      await dispatchCancelOrder(orderId);
      toast('Order cancelled');
    } catch (err) {
      toast(failureOf(err).message);
    }
    await reload();
  });
}
