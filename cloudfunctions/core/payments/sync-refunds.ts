// Refunds still open after a while: asked about at WeChat Pay (missed
// notifications), and resent when WeChat Pay never received them (the
// request timed out). Resending is safe: it carries the same out_refund_no.
// Runs may overlap (a slow run and the next timer, two instances), so each
// resend is claimed first with a conditional update of a short lease
// (resendingUntil): of runs that saw the same unsent refund, one resends it.
import { applyRefundStatus } from './apply-refund';
import { submitRefund } from './refunds';
import type { RefundDoc } from '../domain/refund';
import type { Deps } from '../runtime/deps';

export const SYNC_AFTER_MS = 60_000;
/** How long a run's claim on resending a refund lasts: longer than a WeChat Pay request may take (10 s). */
export const RESEND_LEASE_MS = 2 * 60_000;
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
            const claimed = await claimResend(deps, refund._id);
            if (claimed) {
              await submitRefund(deps, claimed);
              result.resent++;
            }
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

/**
 * Takes this run's lease on resending the refund: a compare-and-set on the
 * lease it read (none, or one that has lapsed), so of overlapping runs
 * exactly one gets it. Null when the refund is no longer unsent, or another
 * run holds a live lease or took it first.
 */
async function claimResend(deps: Deps, id: string): Promise<RefundDoc | null> {
  const current = await deps.store.get<RefundDoc>('refunds', id);
  if (!current || current.submitted || (current.state !== 'PROCESSING' && current.state !== 'ABNORMAL')) return null;
  const now = deps.clock.now().getTime();
  if (current.resendingUntil && Date.parse(current.resendingUntil) > now) return null;
  const resendingUntil = new Date(now + RESEND_LEASE_MS).toISOString();
  const won = await deps.store.update(
    'refunds',
    id,
    { set: { resendingUntil } },
    { submitted: false, state: current.state, resendingUntil: current.resendingUntil ?? null },
  );
  return won ? { ...current, resendingUntil } : null;
}
