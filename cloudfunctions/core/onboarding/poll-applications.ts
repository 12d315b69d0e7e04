// Applications under WeChat Pay's review are asked about on every tick:
// their state moves, rejection reasons, signing links and verification
// instructions are kept, and a finished one is bound to its mini program
// (see application-review.ts; binding twice is impossible).
import type { ApplicationDoc } from './application-doc';
import { reviewApplication } from './application-review';
import { UNDER_REVIEW } from '../domain/onboarding/state';
import type { Deps } from '../runtime/deps';

/** Bounded work per run; the rest waits for the next tick. */
const MAX_PER_RUN = 200;

export async function pollApplications(
  deps: Deps,
): Promise<{ checked: number; moved: number; bound: number; failed: number }> {
  const result = { checked: 0, moved: 0, bound: 0, failed: 0 };
  let after: string | undefined;
  do {
    const page = await deps.store.find<ApplicationDoc>('applications', {
      where: { state: { $in: [...UNDER_REVIEW] } },
      orderBy: [['updatedAt', 'asc']],
      limit: 50,
      after,
    });
    for (const app of page.items) {
      result.checked++;
      try {
        const latest = await reviewApplication(deps, app);
        if (latest.state !== app.state) result.moved++;
        if (latest.state === 'FINISHED' && app.state !== 'FINISHED') result.bound++;
      } catch (err) {
        result.failed++;
        deps.log.warn({ err, applicationId: app._id }, 'application review poll failed');
      }
    }
    after = page.next;
  } while (after && result.checked < MAX_PER_RUN);
  return result;
}
