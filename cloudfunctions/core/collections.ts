// Every collection the product stores, with the indexes its queries need: the
// one source of truth. The SQLite adapter creates these at open (and drops
// indexes no longer declared); `npm run cloudbase:setup` creates them in a
// CloudBase environment (scripts/cloudbase-setup.ts).
//
// Derived from the queries, and checked against them by
// test/store/query-shapes.test.ts: an index lists the fields a query pins to
// one value, then its sort keys in order, ending with `_id` (every sorted find
// has `_id` as its last key: ports/cursor.ts), so CloudBase (MongoDB) and
// SQLite both read a page in index order instead of sorting it in memory
// (the cause of DATABASE_TIMEOUT on large collections:
// docs.cloudbase.net/en/error-code/DATABASE_TIMEOUT). A composite index serves
// the queries on its prefix fields and the sorts in its order or its exact
// reverse (docs.cloudbase.net/database/data-index), so one ascending index
// serves both an ascending and a descending list. Collections read by id only
// need none: `_id` is always indexed. No index is kept that no query uses.

export interface CollectionSpec {
  /** Each index is a list of document fields (dotted paths allowed), ascending. */
  indexes: string[][];
}

export const collections: Record<string, CollectionSpec> = {
  // Mini program registration records and merchant admins (foundation), by id.
  miniPrograms: { indexes: [] },
  admins: { indexes: [] },
  // Setup-code claim attempt counters (runtime/roles.ts), read and written by id
  // only: `caller:<appid>:<openid>` and `miniProgram:<appid>`, one window each.
  claimAttempts: { indexes: [] },
  // Idempotency records: one per (function, action, caller, key), by id.
  idempotency: { indexes: [] },
  // The merchant account bound to each mini program (id: appid).
  merchants: { indexes: [] },
  // Merchant account applications (onboarding): the latest of a mini program
  // (merchants/status.ts), and those under review by last update (the poll).
  applications: {
    indexes: [
      ['appid', 'createdAt', '_id'],
      ['state', 'updatedAt', '_id'],
    ],
  },
  // The one open application per mini program (id: appid -> applicationId); its
  // insert is what makes a second concurrent application impossible.
  activeApplications: { indexes: [] },
  // Ledger: append-only journal entries (a merchant's, of one kind, of an
  // order; every entry for the ledger's self-check) and one balance document
  // per account (a merchant's three by id).
  journal: {
    indexes: [
      ['appid', 'createdAt', '_id'],
      ['appid', 'kind', 'createdAt', '_id'],
      ['ref.orderId', '_id'],
      ['createdAt', '_id'],
    ],
  },
  balances: { indexes: [['appid', '_id']] },
  // Checkout: the catalogue, orders (id: out_trade_no), refunds (id: out_refund_no),
  // and payments or refunds WeChat reported that did not match (for review, by id).
  products: {
    indexes: [
      ['appid', 'createdAt', '_id'],
      ['appid', 'active', 'createdAt', '_id'],
    ],
  },
  orders: {
    indexes: [
      ['appid', 'buyerOpenid', 'createdAt', '_id'],
      ['appid', 'createdAt', '_id'],
      ['appid', 'state', 'createdAt', '_id'],
      ['state', 'updatedAt', '_id'],
      ['state', 'expiresAt', '_id'],
      ['settlementState', 'paidAt', '_id'],
      ['appid', 'paidAt', '_id'],
      ['appid', 'state', 'refundStatus', 'createdAt', '_id'],
    ],
  },
  refunds: {
    indexes: [
      ['orderId', 'createdAt', '_id'],
      ['state', 'updatedAt', '_id'],
    ],
  },
  paymentAnomalies: { indexes: [] },
  // Funds (issue 5): withdrawals, the bank account in force and its change
  // requests, the day-limit documents (withdrawal-day:<appid>:<date>,
  // bank-changes:<appid>:<date>), and each day's reconciliation result.
  withdrawals: {
    indexes: [
      ['appid', 'createdAt', '_id'],
      ['state', 'updatedAt', '_id'],
    ],
  },
  bankAccounts: { indexes: [] },
  bankChanges: { indexes: [['state', 'updatedAt', '_id']] },
  dailyLimits: { indexes: [] },
  reconciliations: { indexes: [['appid', 'billDate', '_id']] },
};

export function specOf(collection: string): CollectionSpec {
  const spec = collections[collection];
  if (!spec) throw new RangeError(`unknown collection ${collection}: declare it in collections.ts`);
  return spec;
}
