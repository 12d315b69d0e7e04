// funds: the merchant admin's money. Balances and transaction details (with
// export), the settlement bank account, withdrawals, and reconciliation
// results. Every action is merchant-admin only.
import { createMain } from '../core/runtime/main';
import { fundsActions } from './actions';

export const main = createMain('funds', fundsActions);
