// What CloudBase does that the Store contract cannot ask of SQLite, asked of a
// CloudBase environment: the loopback fake (cloudbase-strict.test.ts, a short
// transaction lifetime so it runs in a second) and a real environment
// (cloudbase-live.test.ts, when TCB_* are set: there a transaction lives 30 s,
// so these take minutes). Passing on both is what says the fake is as strict
// as the service. A transaction "abandoned" here is what a function killed
// mid-transaction leaves: started, a document written (so locked), never
// committed or aborted.
import { type CloudBaseApp, type CloudBaseOptions, createApp } from '../../cloudfunctions/core/adapters/cloudbase/app';
import { CloudBaseStore, type TransactionPolicy } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { type Doc, StoreConflict } from '../../cloudfunctions/core/ports/store';
import './contract'; // declares the ct* collections

/** Declared (so the adapter sends requests for it) but never created in the environment. */
export const NEVER_CREATED = 'ctMissing';

export interface CloudBaseTarget {
  options: CloudBaseOptions;
  /** How long the environment keeps a transaction nobody commits or aborts. */
  lifetimeMs: number;
}

interface Account extends Doc {
  available: number;
  pending: number;
}

type Db = ReturnType<CloudBaseApp['database']>;
type SdkTransaction = Awaited<ReturnType<Db['startTransaction']>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function cloudbaseBehaviour(
  name: string,
  open: () => Promise<CloudBaseTarget>,
  close: (target: CloudBaseTarget) => Promise<void>,
): void {
  describe(`CloudBase behaviour: ${name}`, () => {
    let target: CloudBaseTarget;
    let db: Db;
    const abandoned: SdkTransaction[] = [];

    const store = (policy?: Partial<TransactionPolicy>) => CloudBaseStore.connect(target.options, policy);

    /** Starts a transaction that writes `id` in ctAccounts and is then left open, holding its lock. */
    async function abandon(id: string): Promise<SdkTransaction> {
      const tx = await db.startTransaction();
      await tx
        .collection('ctAccounts')
        .doc(id)
        .update({ available: db.command.inc(1000) });
      abandoned.push(tx);
      return tx;
    }

    beforeEach(async () => {
      target = await open();
      db = createApp(target.options).database();
    });
    afterEach(async () => {
      // Release what a test left locked (a no-op once expired).
      for (const tx of abandoned.splice(0)) await tx.rollback().catch(() => undefined);
      await close(target);
    });

    test('a collection never created is refused with DATABASE_COLLECTION_NOT_EXIST, naming the setup script', async () => {
      const s = store();
      const refused = { code: 'DATABASE_COLLECTION_NOT_EXIST', message: expect.stringMatching(/cloudbase:setup/) };
      await expect(s.get(NEVER_CREATED, 'x')).rejects.toMatchObject(refused);
      await expect(s.insert(NEVER_CREATED, { _id: 'x' })).rejects.toMatchObject(refused);
      await expect(s.find(NEVER_CREATED, {})).rejects.toMatchObject(refused);
      await expect(s.transaction((tx) => tx.get(NEVER_CREATED, 'x'))).rejects.toMatchObject(refused);
    });

    test('a transaction nobody ends expires after its lifetime: its id then answers DATABASE_TRANSACTION_FAIL', async () => {
      const s = store();
      await s.insert<Account>('ctAccounts', { _id: 'exp', available: 1, pending: 0 });
      const tx = await abandon('exp');
      await sleep(target.lifetimeMs + Math.max(100, target.lifetimeMs / 10));
      await expect(tx.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
      // Its write never happened.
      expect((await s.get<Account>('ctAccounts', 'exp'))?.available).toBe(1);
    });

    test('a plain write to a document an abandoned transaction locked waits for the lock to expire, then applies', async () => {
      const s = store();
      await s.insert<Account>('ctAccounts', { _id: 'held', available: 1, pending: 0 });
      await abandon('held');
      expect(await s.update('ctAccounts', 'held', { inc: { available: 1 } })).toBe(true);
      expect((await s.get<Account>('ctAccounts', 'held'))?.available).toBe(2);
    });

    test("a transaction meeting an abandoned transaction's lock backs off past its expiry and commits", async () => {
      const s = store();
      await s.insert<Account>('ctAccounts', { _id: 'dead', available: 1, pending: 0 });
      await abandon('dead');
      let runs = 0;
      await s.transaction(async (tx) => {
        runs++;
        await tx.update('ctAccounts', 'dead', { inc: { available: 1 } });
      });
      expect(runs).toBeGreaterThan(1);
      expect((await s.get<Account>('ctAccounts', 'dead'))?.available).toBe(2);
    });

    test('with a retry budget shorter than the lock it ends in StoreConflict(TRANSACTION_CONFLICT), saying why', async () => {
      const s = store({ budgetMs: Math.floor(target.lifetimeMs / 3), backoffMs: 10, maxBackoffMs: 50 });
      await s.insert<Account>('ctAccounts', { _id: 'busy', available: 1, pending: 0 });
      await abandon('busy');
      const err = await s
        .transaction((tx) => tx.update('ctAccounts', 'busy', { inc: { available: 1 } }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreConflict);
      expect(err).toMatchObject({
        reason: 'TRANSACTION_CONFLICT',
        message: expect.stringMatching(/still conflicting after \d+ attempts over \d+ ms .*30 s/),
      });
      expect((await s.get<Account>('ctAccounts', 'busy'))?.available).toBe(1);
    });
  });
}
