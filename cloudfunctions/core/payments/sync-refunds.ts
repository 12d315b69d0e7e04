// Refunds still open after a while: asked about at WeChat Pay (missed
// notifications), and resent when WeChat Pay never received them (the
// request timed out). Resending is safe: it carries the same out_refund_no.
import { applyRefundStatus } from './apply-refund';
import { submitRefund } from './refunds';
import type { RefundDoc } from '../domain/refund';
import type { Deps } from '../runtime/deps';

export const SYNC_AFTER_MS = 60_000;
const MAX_PER_RUN = 200;

export async function syncOpenRefunds(
  deps: Deps,
): Promise<{ checked: number; changed: number; resent: number; failed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - SYNC_AFTER_MS).toISOString();
  const result = { checked: 0, changed: 0, resent: 0, failed: 0 };
  for (const state of ['PROCESSING', 'ABNORMAL'] as const) {
    let after: string | undefined;
    do {
      const page = await deps.store.find<RefundDoc>('refunds', {
        where: { state, updatedAt: { $lte: cutoff } },
        orderBy: [['updatedAt', 'asc']],
        limit: 50,
        after,
      });
      for (const refund of page.items) {
        result.checked++;
        try {
          const answer = await deps.pay.queryRefund(refund.subMchid, refund._id);
          if (answer) {
            if ((await applyRefundStatus(deps, answer, 'query')) === 'updated') result.changed++;
          } else if (!refund.submitted) {
            await submitRefund(deps, refund);
            result.resent++;
          }
        } catch (err) {
          result.failed++;
          deps.log.warn({ err, refundId: refund._id }, 'refund sync failed');
        }
      }
      after = page.next;
    } while (after && result.checked < MAX_PER_RUN);
  }
  return result;
}
