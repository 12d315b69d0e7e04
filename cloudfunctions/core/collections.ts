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
  // Idempotency records: one per (function, action, caller, key).
  idempotency: { indexes: [['createdAt']] },
  // The merchant account bound to each mini program (id: appid).
  merchants: { indexes: [] },
  // Merchant account applications (onboarding).
  applications: { indexes: [['appid', 'createdAt'], ['state', 'updatedAt']] },
  // Ledger: append-only journal entries and one balance document per account.
  journal: { indexes: [['appid', 'createdAt'], ['appid', 'kind', 'createdAt'], ['ref.orderId']] },
  balances: { indexes: [['appid']] },
};

export function specOf(collection: string): CollectionSpec {
  const spec = collections[collection];
  if (!spec) throw new RangeError(`unknown collection ${collection}: declare it in collections.ts`);
  return spec;
}
