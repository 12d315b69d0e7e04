// The CloudBase adapter against a loopback fake as strict as the service
// (test/support/cloudbase-fake.ts): the behaviour suite it shares with the
// live run, with transactions that live 300 ms instead of 30 s; then what only
// a fake can stage: answers lost on the way back (a commit that happened or
// did not, an abort lost too), a duplicate the server reports inside a
// transaction, a plain write's answer lost.
import { CloudBaseStore, type TransactionPolicy } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { collections } from '../../cloudfunctions/core/collections';
import { type Doc, isDuplicate, StoreOutcomeUnknown } from '../../cloudfunctions/core/ports/store';
import { CloudBaseFake } from '../support/cloudbase-fake';
import { type CloudBaseTarget, cloudbaseBehaviour, NEVER_CREATED } from './cloudbase-behaviour';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';

const LIFETIME_MS = 300;
const created = () => Object.keys(collections).filter((c) => c !== NEVER_CREATED);

const fakes = new WeakMap<CloudBaseTarget, CloudBaseFake>();
cloudbaseBehaviour(
  'loopback fake (transactions live 300 ms)',
  async () => {
    const fake = await new CloudBaseFake({ transactionTimeoutMs: LIFETIME_MS, collections: created() }).start();
    const target: CloudBaseTarget = {
      options: { env: fake.env, secretId: fake.secretId, secretKey: fake.secretKey, serviceUrl: fake.serviceUrl },
      lifetimeMs: LIFETIME_MS,
    };
    fakes.set(target, fake);
    return target;
  },
  async (target) => {
    await fakes.get(target)?.stop();
  },
);

interface Account extends Doc {
  available: number;
  pending: number;
}

describe('CloudBase adapter: answers lost, duplicates the server reports', () => {
  let fake: CloudBaseFake;
  /** Requests time out after 150 ms; the fake holds chosen answers for 400 ms. */
  const store = (policy: Partial<TransactionPolicy> = {}) =>
    CloudBaseStore.connect(
      { env: fake.env, secretId: fake.secretId, secretKey: fake.secretKey, serviceUrl: fake.serviceUrl, timeout: 150 },
      { backoffMs: 5, maxBackoffMs: 20, ...policy },
    );

  beforeEach(async () => {
    fake = await new CloudBaseFake({ transactionTimeoutMs: 2_000, collections: created() }).start();
    fake.put('ctAccounts', { _id: 'a', available: 100, pending: 0 });
  });
  afterEach(() => fake.stop());

  const debit = (s: CloudBaseStore) => {
    let runs = 0;
    const result = s.transaction(async (tx) => {
      runs++;
      await tx.update('ctAccounts', 'a', { inc: { available: -30, pending: 30 } });
      await tx.insert('ctItems', { _id: 'entry-1', group: 'j', rank: 30 });
      return 'posted';
    });
    return { result, runs: () => runs };
  };

  test('a commit that happened but whose answer was lost: the abort finds it gone, re-reads show it landed, the result stands', async () => {
    fake.stallNext('database.commitTransaction', 400, 'after');
    const { result, runs } = debit(store());
    expect(await result).toBe('posted');
    expect(runs()).toBe(1);
    expect(fake.peek('ctAccounts', 'a')).toMatchObject({ available: 70, pending: 30 });
    const actions = fake.actions();
    expect(actions.slice(actions.indexOf('database.commitTransaction'))).toEqual([
      'database.commitTransaction',
      'database.abortTransaction', // answers DATABASE_TRANSACTION_FAIL: the transaction is gone
      'database.getDocument', // ctAccounts/a as the commit left it
      'database.getDocument', // ctItems/entry-1 too
    ]);
  });

  test('a commit whose answer was lost before it ran: the abort wins, and the work runs again and commits once', async () => {
    fake.stallNext('database.commitTransaction', 400, 'before');
    const { result, runs } = debit(store());
    expect(await result).toBe('posted');
    expect(runs()).toBe(2);
    expect(fake.peek('ctAccounts', 'a')).toMatchObject({ available: 70, pending: 30 });
  });

  test('a commit and then the abort both unanswered: StoreOutcomeUnknown, never a plain failure', async () => {
    fake.stallNext('database.commitTransaction', 400, 'after');
    fake.stallNext('database.abortTransaction', 400, 'after');
    const err = await debit(store()).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOutcomeUnknown);
    expect((err as Error).message).toMatch(/could not be settled/);
  });

  test("a commit's answer lost and its documents changed since: StoreOutcomeUnknown", async () => {
    const s = store();
    const server = fake;
    server.stallNext('database.commitTransaction', 400, 'after');
    const changed = s.transaction(async (tx) => {
      await tx.update('ctAccounts', 'a', { inc: { available: -30 } });
      // Another writer lands on it after the commit, before the client's timeout (150 ms) and re-read.
      setTimeout(() => server.put('ctAccounts', { _id: 'a', available: 5, pending: 0 }), 60);
      return 'posted';
    });
    const err = await changed.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOutcomeUnknown);
    expect((err as Error).message).toMatch(/changed since/);
  });

  test('a duplicate the server reports inside a transaction is DUPLICATE_ID; work that carries on is run again', async () => {
    const s = store();
    const elsewhere = (id: string) => fake.put('ctItems', { _id: id, group: 'elsewhere', rank: 0 });
    // Inserted by someone else after the transaction's snapshot, and reported by
    // the server as a duplicate (E11000) rather than a write conflict.
    let attempts = 0;
    const err = await s
      .transaction(async (tx) => {
        await tx.get('ctAccounts', 'a');
        if (++attempts === 1) {
          elsewhere('entry-1');
          fake.failNext(
            'database.modifyDocument',
            'DATABASE_DUPLICATE_WRITE',
            'E11000 duplicate key error collection: ctItems index: _id_ dup key: { _id: "entry-1" }',
          );
        }
        await tx.insert('ctItems', { _id: 'entry-1', group: 'j', rank: 1 });
      })
      .catch((e: unknown) => e);
    // Typed at once, and again by the read of the attempt that follows (the server ended the first).
    expect(isDuplicate(err)).toBe(true);
    expect(attempts).toBe(2);

    // As postInTransaction does: a duplicate means "already posted", and the work goes on.
    let runs = 0;
    const posted = await s.transaction(async (tx) => {
      runs++;
      await tx.get('ctAccounts', 'a');
      if (runs === 1) {
        elsewhere('entry-2');
        fake.failNext('database.modifyDocument', 'DATABASE_DUPLICATE_WRITE', 'E11000 duplicate key error');
      }
      const inserted = await tx.insert('ctItems', { _id: 'entry-2', group: 'j', rank: 1 }).then(
        () => true,
        (e: unknown) => {
          if (isDuplicate(e)) return false;
          throw e;
        },
      );
      await tx.update('ctAccounts', 'a', { inc: { available: -1 } });
      return inserted;
    });
    // The server ended the first attempt; the second ran clean and saw the entry.
    expect(runs).toBe(2);
    expect(posted).toBe(false);
    expect(fake.peek('ctAccounts', 'a')?.available).toBe(99);
  });

  test("a plain write's answer lost is StoreOutcomeUnknown (it may still land), not a plain failure", async () => {
    const s = store();
    fake.stallNext('database.modifyDocument', 400, 'after');
    const err = await s.update('ctAccounts', 'a', { inc: { available: -1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOutcomeUnknown);
    expect(fake.peek('ctAccounts', 'a')?.available).toBe(99);
  });

  test('a transaction the server let expire mid-work is run again', async () => {
    const s = store();
    let runs = 0;
    await s.transaction(async (tx) => {
      runs++;
      await tx.get('ctAccounts', 'a');
      if (runs === 1)
        fake.failNext('database.modifyDocument', 'DATABASE_TRANSACTION_FAIL', 'transaction does not exist');
      await tx.update('ctAccounts', 'a', { inc: { available: -1 } });
    });
    expect(runs).toBe(2);
    expect(fake.peek('ctAccounts', 'a')?.available).toBe(99);
  });
});

describe('the loopback fake itself', () => {
  test('db.createCollection creates a collection once; a second time is DATABASE_COLLECTION_ALREADY_EXIST', async () => {
    const fake = await new CloudBaseFake().start();
    try {
      const s = CloudBaseStore.connect({
        env: fake.env,
        secretId: fake.secretId,
        secretKey: fake.secretKey,
        serviceUrl: fake.serviceUrl,
      });
      await expect(s.get<Account>('ctAccounts', 'x')).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' });
      const { createApp } = await import('../../cloudfunctions/core/adapters/cloudbase/app');
      const db = createApp({
        env: fake.env,
        secretId: fake.secretId,
        secretKey: fake.secretKey,
        serviceUrl: fake.serviceUrl,
      }).database();
      await db.createCollection('ctAccounts');
      await expect(db.createCollection('ctAccounts')).rejects.toMatchObject({
        code: 'DATABASE_COLLECTION_ALREADY_EXIST',
      });
      expect(await s.get('ctAccounts', 'x')).toBeNull();
    } finally {
      await fake.stop();
    }
  });
});
