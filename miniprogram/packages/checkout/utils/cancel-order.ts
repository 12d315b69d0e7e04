// Cancelling an unpaid order, from the order page or the pay page: ask first,
// then cancel under the page's `cancelling` flag and say how it went. The page
// reloads afterwards either way, since the order may have moved on.
import { dispatchCancelOrder } from '../../../services/checkout';
import { confirmAction, toast } from '../../../services/feedback';
import { failureOf } from '../../../services/transport';
import { guarded } from '../../../utils/guard';
import { pt } from '../i18n/index';

type Host = Parameters<typeof guarded>[0];

export async function cancelOrderAfterConfirm(
  host: Host,
  orderId: string,
  reload: () => Promise<unknown>,
): Promise<void> {
  const texts = pt().cancelOrder;
  if (!(await confirmAction(texts.confirmTitle, texts.confirmContent, texts.confirmButton, texts.keep))) return;
  await guarded(host, 'cancelling', async () => {
    try {
      await dispatchCancelOrder(orderId);
      toast(texts.done);
    } catch (err) {
      toast(failureOf(err).message);
    }
    await reload();
  });
}
