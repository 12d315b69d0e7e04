// Withdrawals on their way: WeChat Pay's answer (paid, failed, bounced) moves the money.
import { pollWithdrawals } from '../funds/withdrawals';
import type { Job } from './registry';

export const pollWithdrawalsJob: Job = {
  everyMs: 10_000,
  run: (deps) => pollWithdrawals(deps),
};
