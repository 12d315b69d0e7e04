// Bank account changes in review: WeChat Pay's decision puts the new account in force, or not.
import { pollBankChanges } from '../funds/bank-account';
import type { Job } from './registry';

export const pollBankChangesJob: Job = {
  everyMs: 10_000,
  run: (deps) => pollBankChanges(deps),
};
