// Every collection the product stores, with the indexes its queries need.
// The SQLite adapter creates these; for CloudBase they are the indexes to
// declare in the console (see README).

export interface CollectionSpec {
  /** Each index is a list of document fields (dotted paths allowed). */
  indexes: string[][];
}

export const collections: Record<string, CollectionSpec> = {
  // Mini program registration records and merchant admins (foundation).
  miniPrograms: { indexes: [] },
  admins: { indexes: [['appid']] },
  // Setup-code claim attempt counters (runtime/roles.ts), read and written by id
  // only: `caller:<appid>:<openid>` and `miniProgram:<appid>`, one window each.
  claimAttempts: { indexes: [] },
  // Idempotency records: one per (function, action, caller, key).
  idempotency: { indexes: [['createdAt']] },
  // The merchant account bound to each mini program (id: appid).
  merchants: { indexes: [] },
  // Merchant account applications (onboarding).
  applications: {
    indexes: [
      ['appid', 'createdAt'],
      ['state', 'updatedAt'],
    ],
  },
  // The one open application per mini program (id: appid -> applicationId); its
  // insert is what makes a second concurrent application impossible.
  activeApplications: { indexes: [] },
  // Ledger: append-only journal entries and one balance document per account.
  journal: { indexes: [['appid', 'createdAt'], ['appid', 'kind', 'createdAt'], ['ref.orderId']] },
  balances: { indexes: [['appid']] },
  // Checkout: the catalogue, orders (id: out_trade_no), refunds (id: out_refund_no),
  // and payments or refunds WeChat reported that did not match (for review).
  products: {
    indexes: [
      ['appid', 'createdAt'],
      ['appid', 'active', 'createdAt'],
    ],
  },
  orders: {
    indexes: [
      ['appid', 'buyerOpenid', 'createdAt'],
      ['appid', 'createdAt'],
      ['appid', 'state', 'createdAt'],
      ['state', 'updatedAt'],
      ['state', 'expiresAt'],
      ['settlementState', 'paidAt'],
      ['appid', 'paidAt'],
    ],
  },
  refunds: {
    indexes: [
      ['orderId', 'createdAt'],
      ['state', 'updatedAt'],
      ['appid', 'createdAt'],
    ],
  },
  paymentAnomalies: {
    indexes: [
      ['appid', 'createdAt'],
      ['kind', 'createdAt'],
    ],
  },
  // Funds (issue 5): withdrawals, the bank account in force and its change
  // requests, the day-limit documents (withdrawal-day:<appid>:<date>,
  // bank-changes:<appid>:<date>), and each day's reconciliation result.
  withdrawals: {
    indexes: [
      ['appid', 'createdAt'],
      ['state', 'updatedAt'],
    ],
  },
  bankAccounts: { indexes: [] },
  bankChanges: {
    indexes: [
      ['appid', 'createdAt'],
      ['state', 'updatedAt'],
    ],
  },
  dailyLimits: { indexes: [] },
  reconciliations: {
    indexes: [
      ['appid', 'billDate'],
      ['state', 'updatedAt'],
    ],
  },
};

export function specOf(collection: string): CollectionSpec {
  const spec = collections[collection];
  if (!spec) throw new RangeError(`unknown collection ${collection}: declare it in collections.ts`);
  return spec;
}
