// Settlement: paid orders past their T+N period move from pending to available.
import { settleDueOrders } from '../funds/settlement';
import type { Job } from './registry';

export const settleJob: Job = {
  everyMs: 60_000,
  run: (deps) => settleDueOrders(deps),
};
