// Reconciliation: each bound merchant's recent days, WeChat Pay's trade bill against the ledger.
import { reconcile } from '../funds/reconciliation';
import type { Job } from './registry';

export const reconcileJob: Job = {
  everyMs: 10 * 60_000,
  run: (deps) => reconcile(deps),
};
