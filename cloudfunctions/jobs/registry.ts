// Every background job, by name, with how often the local stack runs it.
import type { Deps } from '../core/runtime/deps';
import { closeExpiredJob } from './close-expired';
import { queryPayingJob } from './query-paying';
import { syncRefundsJob } from './sync-refunds';
import { pollBankChangesJob } from './poll-bank-changes';
import { pollWithdrawalsJob } from './poll-withdrawals';
import { reconcileJob } from './reconcile';
import { settleJob } from './settle';
import { pollApplicationsJob } from './poll-applications';

export interface Job {
  /** Local-stack interval; the CloudBase timer trigger runs all jobs every minute. */
  everyMs: number;
  run(deps: Deps): Promise<unknown>;
}

export const jobs: Record<string, Job> = {
  // checkout
  queryPaying: queryPayingJob,
  closeExpired: closeExpiredJob,
  syncRefunds: syncRefundsJob,
  // funds
  settle: settleJob,
  pollWithdrawals: pollWithdrawalsJob,
  pollBankChanges: pollBankChangesJob,
  reconcile: reconcileJob,
  // onboarding
  pollApplications: pollApplicationsJob,
};
