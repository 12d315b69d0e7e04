// funds: the merchant admin's money. Balances and transaction details (with
// export), the settlement bank account, withdrawals, and reconciliation
// results. Every action is merchant-admin only.
import { createMain } from '../core/runtime/main';
import { balanceActions } from './balances';
import { bankAccountActions } from './bank-account';
import { reconciliationActions } from './reconciliation';
import { transactionActions } from './transactions';
import { withdrawalActions } from './withdrawals';

export const main = createMain('funds', {
  ...balanceActions,
  ...transactionActions,
  ...bankAccountActions,
  ...withdrawalActions,
  ...reconciliationActions,
});
