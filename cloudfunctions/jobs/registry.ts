// Every background job, by name, with how often the local stack runs it.
// The work itself is a use case in core; a job only names it and its pace.
import { pollBankChanges } from '../core/funds/bank-account';
import { reconcile } from '../core/funds/reconciliation';
import { settleDueOrders } from '../core/funds/settlement';
import { pollWithdrawals } from '../core/funds/withdrawals';
import { pollApplications } from '../core/onboarding/poll-applications';
import { closeExpiredOrders } from '../core/payments/close-expired';
import { queryPayingOrders } from '../core/payments/query-paying';
import { syncOpenRefunds } from '../core/payments/sync-refunds';
import type { Deps } from '../core/runtime/deps';

export interface Job {
  /** Local-stack interval; the CloudBase timer trigger runs all jobs every minute. */
  everyMs: number;
  run(deps: Deps): Promise<unknown>;
}

export const jobs: Record<string, Job> = {
  // payments: missed notifications, expired orders, open refunds
  queryPaying: { everyMs: 60_000, run: queryPayingOrders },
  closeExpired: { everyMs: 60_000, run: closeExpiredOrders },
  syncRefunds: { everyMs: 60_000, run: syncOpenRefunds },
  // funds: settlement (T+N), withdrawals and bank changes on their way, reconciliation against bills
  settle: { everyMs: 60_000, run: (deps) => settleDueOrders(deps) },
  pollWithdrawals: { everyMs: 10_000, run: pollWithdrawals },
  pollBankChanges: { everyMs: 10_000, run: pollBankChanges },
  reconcile: { everyMs: 10 * 60_000, run: reconcile },
  // onboarding: WeChat Pay's review, every few seconds locally (the sandbox reviews within seconds)
  pollApplications: { everyMs: 5_000, run: pollApplications },
};
