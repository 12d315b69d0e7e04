// The CloudBase adapter at the wire: the real @cloudbase/node-sdk sends its
// requests to a loopback server (test/support/cloudbase-fake.ts) that records
// them and answers like CloudBase. The first part runs the whole Store
// contract through it; the second asserts the exact requests each port
// operation makes.
import { CloudBaseStore } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { collections } from '../../cloudfunctions/core/collections';
import { type Doc, isDuplicate, StoreConflict } from '../../cloudfunctions/core/ports/store';
import { CloudBaseFake } from '../support/cloudbase-fake';
import { NEVER_CREATED } from './cloudbase-behaviour';
import { storeContract } from './contract';

// Skip the SDK's metadata-host probe; serviceUrl decides where requests go.
process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';

const fakes = new WeakMap<CloudBaseStore, CloudBaseFake>();

/** A loopback CloudBase where every declared collection exists (as after npm run cloudbase:setup). */
const declaredFake = () =>
  new CloudBaseFake({ collections: Object.keys(collections).filter((c) => c !== NEVER_CREATED) }).start();

storeContract(
  'CloudBase (real SDK, loopback server)',
  async () => {
    const fake = await declaredFake();
    const store = CloudBaseStore.fromEnv(fake.processEnv);
    fakes.set(store, fake);
    return store;
  },
  async (store) => {
    await store.close();
    await fakes.get(store as CloudBaseStore)?.stop();
  },
);

interface Account extends Doc {
  available: number;
  pending: number;
}

const ACCOUNT = { _id: 'm', available: 1000, pending: 0 };

describe('CloudBase wire mapping', () => {
  let fake: CloudBaseFake;
  let store: CloudBaseStore;

  beforeAll(async () => {
    fake = await declaredFake();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    store = CloudBaseStore.fromEnv(fake.processEnv);
    fake.reset();
  });

  const only = () => {
    expect(fake.calls).toHaveLength(1);
    return fake.calls[0];
  };

  test('requests go to serviceUrl for the configured env, signed with the secret id, never carrying the key', async () => {
    await store.get('ctItems', 'nope');
    const call = only();
    expect(call.url).toMatch(/^\/admin\?env=test-env-1a2b3c&seqId=/);
    expect(call.body.envName).toBe(fake.env);
    expect(String(call.headers.authorization)).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDloopbacktest\/\d{4}-\d{2}-\d{2}\/tcb\/tc3_request, /,
    );
    expect(JSON.stringify(call.headers) + JSON.stringify(call.body)).not.toContain(fake.secretKey);
  });

  test('get by id is one getDocument by _id, and numbers come back as numbers (int32, int64)', async () => {
    fake.put('ctAccounts', { _id: 'big', available: 9007199254740991, pending: 7 });
    expect(await store.get<Account>('ctAccounts', 'big')).toEqual({
      _id: 'big',
      available: 9007199254740991,
      pending: 7,
    });
    const call = only();
    expect(call.action).toBe('database.getDocument');
    expect(call.body).toMatchObject({ collectionName: 'ctAccounts', queryType: 'DOC', multi: false });
    expect(call.body.transactionId).toBeUndefined();
    expect(call.query).toEqual({ _id: 'big' });
    expect(await store.get('ctAccounts', 'missing')).toBeNull();
  });

  test('insert is one insertDocument carrying the caller-chosen _id, money typed as integers', async () => {
    await store.insert<Account>('ctAccounts', { ...ACCOUNT, _id: 'ins' });
    const call = only();
    expect(call.action).toBe('database.insertDocument');
    expect(call.body.collectionName).toBe('ctAccounts');
    expect(call.data).toEqual([{ _id: 'ins', available: 1000, pending: 0 }]);
    expect((call.body.data as string[])[0]).toContain('"available":{"$numberInt":"1000"}');
    expect(fake.peek('ctAccounts', 'ins')).toEqual({ _id: 'ins', available: 1000, pending: 0 });
  });

  test('a duplicate _id (DATABASE_DUPLICATE_WRITE, or E11000 under a generic code) is StoreConflict(DUPLICATE_ID); other errors pass through', async () => {
    fake.put('ctItems', { _id: 'dup', group: 'g', rank: 1 });
    const err = await store.insert('ctItems', { _id: 'dup', group: 'x', rank: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConflict);
    expect(isDuplicate(err)).toBe(true);

    fake.failNext(
      'database.insertDocument',
      'DATABASE_REQUEST_FAILED',
      'E11000 duplicate key error collection: ctItems index: _id_ dup key: { _id: "x1" }',
    );
    expect(
      isDuplicate(await store.insert('ctItems', { _id: 'x1', group: 'g', rank: 1 }).catch((e: unknown) => e)),
    ).toBe(true);

    fake.failNext('database.insertDocument', 'DATABASE_PERMISSION_DENIED', 'permission denied');
    const other = await store.insert('ctItems', { _id: 'x2', group: 'g', rank: 1 }).catch((e: unknown) => e);
    expect(other).not.toBeInstanceOf(StoreConflict);
    expect(other).toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
  });

  test('a conditional increment is ONE modifyDocument: where {_id, condition}, $inc, single document, no upsert', async () => {
    fake.put('ctAccounts', { ...ACCOUNT });
    expect(
      await store.update('ctAccounts', 'm', { inc: { available: -500, pending: 500 } }, { available: { $gte: 500 } }),
    ).toBe(true);
    const call = only();
    expect(call.action).toBe('database.modifyDocument');
    expect(call.body).toMatchObject({
      collectionName: 'ctAccounts',
      queryType: 'WHERE',
      multi: false,
      merge: true,
      upsert: false,
    });
    expect(call.query).toEqual({ available: { $gte: 500 }, _id: 'm' });
    expect(call.data).toEqual({ $inc: { available: -500, pending: 500 } });
    expect(call.body.data).toContain('"available":{"$numberInt":"-500"}');
    expect(fake.peek('ctAccounts', 'm')).toEqual({ _id: 'm', available: 500, pending: 500 });

    fake.reset();
    // Not matched: the server says updated 0, and an increment always changes, so no second request.
    expect(await store.update('ctAccounts', 'm', { inc: { available: -600 } }, { available: { $gte: 600 } })).toBe(
      false,
    );
    expect(fake.actions()).toEqual(['database.modifyDocument']);
    expect(fake.peek('ctAccounts', 'm')?.available).toBe(500);
  });

  test('set paths: dotted paths set one field, objects and arrays replace, undefined removes', async () => {
    fake.put('ctAccounts', {
      _id: 's',
      available: 1,
      pending: 0,
      profile: { a: 0, b: 1 },
      meta: { keep: true },
      gone: 'x',
    });
    expect(
      await store.update('ctAccounts', 's', {
        set: { 'meta.note': 'x', profile: { a: 1 }, tags: ['t1'], gone: undefined },
      }),
    ).toBe(true);
    const call = only();
    expect(call.query).toEqual({ _id: 's' });
    expect(call.data).toEqual({ $set: { 'meta.note': 'x', profile: { a: 1 }, tags: ['t1'] }, $unset: { gone: '' } });
    expect(fake.peek('ctAccounts', 's')).toEqual({
      _id: 's',
      available: 1,
      pending: 0,
      profile: { a: 1 },
      meta: { keep: true, note: 'x' },
      tags: ['t1'],
    });
  });

  test('an update that matches but changes nothing still reports true (CloudBase counts modified documents)', async () => {
    fake.put('ctItems', { _id: 'n', group: 'paid', rank: 1 });
    expect(await store.update('ctItems', 'n', { set: { group: 'paid' } }, { rank: 1 })).toBe(true);
    expect(fake.actions()).toEqual(['database.modifyDocument', 'database.getDocument']);
    fake.reset();
    expect(await store.update('ctItems', 'n', { set: { group: 'paid' } }, { rank: 2 })).toBe(false);
    expect(await store.update('ctItems', 'absent', { set: { group: 'paid' } })).toBe(false);
  });

  test('a condition on _id cannot widen an update beyond the addressed document', async () => {
    fake.put('ctItems', { _id: 'w1', group: 'g', rank: 1 });
    fake.put('ctItems', { _id: 'w2', group: 'g', rank: 1 });
    expect(await store.update('ctItems', 'w1', { inc: { rank: 1 } }, { _id: { $ne: 'zzz' } })).toBe(true);
    expect(only().query).toEqual({ $and: [{ _id: { $ne: 'zzz' } }, { _id: 'w1' }] });
    expect(fake.peek('ctItems', 'w2')?.rank).toBe(1);
  });

  test('bad updates are refused before any request', async () => {
    await expect(store.update('ctAccounts', 'm', { inc: { available: 0.5 } })).rejects.toThrow(/safe integer/);
    await expect(store.update('ctAccounts', 'm', { set: { _id: 'x' } })).rejects.toThrow(/_id/);
    await expect(store.update('ctAccounts', 'm', { set: { a: 1 }, inc: { 'a.b': 1 } })).rejects.toThrow(/at once/);
    await expect(store.update('ctAccounts', 'm', { set: { 'a.$where': 1 } })).rejects.toThrow(/bad field/);
    expect(fake.calls).toHaveLength(0);
  });

  test('remove is one removeDocument by _id reporting whether it deleted', async () => {
    fake.put('ctItems', { _id: 'r', group: 'g', rank: 1 });
    expect(await store.remove('ctItems', 'r')).toBe(true);
    const call = only();
    expect(call.action).toBe('database.removeDocument');
    expect(call.body).toMatchObject({ collectionName: 'ctItems', queryType: 'DOC', multi: false });
    expect(call.query).toEqual({ _id: 'r' });
    expect(await store.remove('ctItems', 'r')).toBe(false);
  });

  test('find: filters as commands, orderBy with _id tiebreaker, limit n+1, and the cursor as a rooted $or of ranges', async () => {
    for (let i = 0; i < 7; i++) fake.put('ctItems', { _id: `i${i}`, group: i % 2 ? 'odd' : 'even', rank: i });
    const first = await store.find('ctItems', {
      where: { group: 'even', rank: { $gte: 0, $lt: 9 } },
      orderBy: [['rank', 'desc']],
      limit: 2,
    });
    expect(first.items.map((d) => d._id)).toEqual(['i6', 'i4']);
    expect(first.next).toBeDefined();
    const call = only();
    expect(call.action).toBe('database.getDocument');
    expect(call.body).toMatchObject({ collectionName: 'ctItems', queryType: 'WHERE', limit: 3 });
    expect(call.query).toEqual({ group: 'even', $and: [{ rank: { $gte: 0 } }, { rank: { $lt: 9 } }] });
    expect(JSON.stringify(call.order)).toBe('{"rank":-1,"_id":-1}');

    fake.reset();
    const second = await store.find('ctItems', {
      where: { group: 'even' },
      orderBy: [['rank', 'desc']],
      limit: 2,
      after: first.next,
    });
    expect(second.items.map((d) => d._id)).toEqual(['i2', 'i0']);
    expect(second.next).toBeUndefined();
    // A rooted $or, each branch the filter plus one segment after the cursor, in
    // sort order: the same rank with a later _id, a lower rank, then the null group.
    expect(only().query).toEqual({
      $or: [
        { group: 'even', rank: 4, _id: { $lt: 'i4' } },
        { group: 'even', rank: { $lt: 4 } },
        { group: 'even', rank: null },
      ],
    });

    fake.reset();
    await store.find('ctItems', { orderBy: [['rank', 'asc']], limit: 2, after: first.next });
    expect(only().query).toEqual({ $or: [{ rank: 4, _id: { $gt: 'i4' } }, { rank: { $gt: 4 } }] });
    expect(JSON.stringify(fake.calls[0].order)).toBe('{"rank":1,"_id":1}');
  });

  test('find without options pages by _id ascending; equality with null, $ne and $in translate', async () => {
    await store.find('ctItems');
    expect(only().query).toEqual({});
    expect(JSON.stringify(fake.calls[0].order)).toBe('{"_id":1}');
    expect(fake.calls[0].body.limit).toBe(21);
    fake.reset();
    await store.find('ctItems', {
      where: { flag: null, group: { $ne: 'x' }, rank: { $in: [1, 2] }, 'nested.a': { $ne: null }, empty: {} },
    });
    expect(only().query).toEqual({ flag: null, group: { $ne: 'x' }, rank: { $in: [1, 2] }, 'nested.a': { $ne: null } });
    await expect(store.find('ctItems', { where: { rank: { $regex: 'x' } as never } })).rejects.toThrow(
      /unknown operator/,
    );
    await expect(store.find('ctItems', { limit: 101 })).rejects.toThrow(RangeError);
    await expect(store.find('ctItems', { after: 'garbage' })).rejects.toThrow(/cursor/);
  });

  test('count is one calculateDocument with the query', async () => {
    for (let i = 0; i < 5; i++) fake.put('ctItems', { _id: `c${i}`, group: i < 3 ? 'a' : 'b', rank: i });
    expect(await store.count('ctItems', { group: 'a', rank: { $gt: 0 } })).toBe(2);
    const call = only();
    expect(call.action).toBe('database.calculateDocument');
    expect(call.body).toMatchObject({ collectionName: 'ctItems', queryType: 'WHERE' });
    expect(call.query).toEqual({ group: 'a', rank: { $gt: 0 } });
  });

  test('a transaction: start, single-document reads and writes under its id, commit', async () => {
    fake.put('ctAccounts', { ...ACCOUNT, _id: 't' });
    const result = await store.transaction(async (tx) => {
      const acc = await tx.get<Account>('ctAccounts', 't');
      expect(
        await tx.update('ctAccounts', 't', { inc: { available: -300, pending: 300 } }, { available: { $gte: 300 } }),
      ).toBe(true);
      await tx.insert('ctItems', { _id: 'journal-t', group: 'j', rank: acc?.available ?? 0 });
      expect(await tx.remove('ctItems', 'no-such')).toBe(false);
      return 'done';
    });
    expect(result).toBe('done');
    expect(fake.actions()).toEqual([
      'database.startTransaction',
      'database.getDocument', // tx.get
      'database.getDocument', // tx.update reads, checks the condition in code...
      'database.modifyDocument', // ...then updates by id
      'database.getDocument', // tx.insert checks the id is free...
      'database.modifyDocument', // ...then upserts it
      'database.removeDocument',
      'database.commitTransaction',
    ]);
    const [start, ...rest] = fake.calls;
    const txId = rest[rest.length - 1].body.transactionId;
    expect(typeof txId).toBe('string');
    expect(start.body.transactionId).toBeUndefined();
    for (const call of rest) expect(call.body.transactionId).toBe(txId);
    const [, get, , update, , upsert, remove] = fake.calls;
    expect(get).toMatchObject({ query: { _id: 't' }, body: { collectionName: 'ctAccounts', queryType: 'DOC' } });
    expect(update).toMatchObject({
      query: { _id: 't' },
      data: { $inc: { available: -300, pending: 300 } },
      body: { queryType: 'DOC', merge: true, upsert: false },
    });
    expect(upsert).toMatchObject({
      query: { _id: 'journal-t' },
      data: { group: 'j', rank: 1000 },
      body: { collectionName: 'ctItems', merge: false, upsert: true },
    });
    expect(remove).toMatchObject({ query: { _id: 'no-such' }, body: { queryType: 'DOC' } });
    expect(fake.peek('ctAccounts', 't')).toEqual({ _id: 't', available: 700, pending: 300 });
    expect(fake.peek('ctItems', 'journal-t')).toEqual({ _id: 'journal-t', group: 'j', rank: 1000 });
  });

  test('a conditional update inside a transaction that does not match sends no write', async () => {
    fake.put('ctAccounts', { _id: 'c', available: 50, pending: 0 });
    expect(
      await store.transaction((tx) =>
        tx.update('ctAccounts', 'c', { inc: { available: -100 } }, { available: { $gte: 100 } }),
      ),
    ).toBe(false);
    expect(fake.actions()).toEqual(['database.startTransaction', 'database.getDocument', 'database.commitTransaction']);
  });

  test('work that throws is rolled back (abortTransaction), never committed, and the error surfaces', async () => {
    fake.put('ctAccounts', { ...ACCOUNT, _id: 'b' });
    await expect(
      store.transaction(async (tx) => {
        await tx.update('ctAccounts', 'b', { inc: { available: -1 } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(fake.actions()).toEqual([
      'database.startTransaction',
      'database.getDocument',
      'database.modifyDocument',
      'database.abortTransaction',
    ]);
    expect(fake.calls[3].body.transactionId).toBe(fake.calls[1].body.transactionId);
    expect(fake.peek('ctAccounts', 'b')?.available).toBe(1000);
  });

  test('an insert of an existing id inside a transaction is DUPLICATE_ID, not retried, and rolled back', async () => {
    fake.put('ctItems', { _id: 'd', group: 'g', rank: 1 });
    const err = await store
      .transaction((tx) => tx.insert('ctItems', { _id: 'd', group: 'g', rank: 2 }))
      .catch((e: unknown) => e);
    expect(isDuplicate(err)).toBe(true);
    expect(fake.actions()).toEqual(['database.startTransaction', 'database.getDocument', 'database.abortTransaction']);
  });

  test('a commit that conflicts is rolled back and the work runs again, once more', async () => {
    fake.put('ctAccounts', { ...ACCOUNT, _id: 'k' });
    fake.failNext('database.commitTransaction', 'DATABASE_TRANSACTION_CONFLICT', 'WriteConflict');
    let runs = 0;
    await store.transaction(async (tx) => {
      runs++;
      await tx.update('ctAccounts', 'k', { inc: { available: -10 } });
    });
    expect(runs).toBe(2);
    const actions = fake.actions();
    expect(actions.filter((a) => a === 'database.startTransaction')).toHaveLength(2);
    expect(actions.filter((a) => a === 'database.commitTransaction')).toHaveLength(2);
    expect(actions[actions.indexOf('database.commitTransaction') + 1]).toBe('database.abortTransaction');
    expect(fake.peek('ctAccounts', 'k')?.available).toBe(990);
  });

  test('conflicts past the attempt limit become StoreConflict(TRANSACTION_CONFLICT)', async () => {
    const limited = CloudBaseStore.connect(
      { env: fake.env, secretId: fake.secretId, secretKey: fake.secretKey, serviceUrl: fake.serviceUrl },
      { attempts: 2, backoffMs: 1 },
    );
    fake.put('ctAccounts', { ...ACCOUNT, _id: 'x' });
    fake.failNext('database.modifyDocument', 'DATABASE_TRANSACTION_CONFLICT');
    fake.failNext('database.modifyDocument', 'DATABASE_TRANSACTION_CONFLICT');
    let runs = 0;
    const err = await limited
      .transaction(async (tx) => {
        runs++;
        // Even if the work wraps the SDK's error, the conflict is recognised.
        await tx.update('ctAccounts', 'x', { inc: { available: -1 } }).catch(() => {
          throw new Error('wrapped');
        });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConflict);
    expect((err as StoreConflict).reason).toBe('TRANSACTION_CONFLICT');
    expect(runs).toBe(2);
    expect(fake.peek('ctAccounts', 'x')?.available).toBe(1000);
  });

  test('concurrent transactions on one document conflict on the server and both land after retries', async () => {
    // Enough attempts that every contender gets through: each round has a winner.
    const patient = CloudBaseStore.connect(
      { env: fake.env, secretId: fake.secretId, secretKey: fake.secretKey, serviceUrl: fake.serviceUrl },
      { attempts: 10, backoffMs: 5 },
    );
    fake.put('ctAccounts', { ...ACCOUNT, _id: 'hot', available: 0 });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        patient.transaction(async (tx) => {
          const acc = await tx.get<Account>('ctAccounts', 'hot');
          await tx.update('ctAccounts', 'hot', { set: { available: (acc?.available ?? 0) + 5 } });
        }),
      ),
    );
    expect(fake.peek('ctAccounts', 'hot')?.available).toBe(20);
    expect(fake.actions()).toContain('database.abortTransaction');
  });

  test('round trips equal the HTTP requests the SDK made', async () => {
    const before = store.roundTrips;
    fake.put('ctItems', { _id: 'rt', group: 'g', rank: 1 });
    await store.get('ctItems', 'rt');
    await store.find('ctItems', { where: { group: 'g' } });
    await store.count('ctItems');
    await store.update('ctItems', 'rt', { set: { rank: 1 } });
    await store.transaction(async (tx) => {
      await tx.insert('ctItems', { _id: 'rt2', group: 'g', rank: 1 });
    });
    await store.insert('ctItems', { _id: 'rt', group: 'g', rank: 1 }).catch(() => undefined);
    await store.remove('ctItems', 'rt');
    expect(store.roundTrips - before).toBe(fake.calls.length);
    expect(fake.calls.length).toBe(11);
  });

  test('undeclared collections are refused before any request, as in SQLite', async () => {
    await expect(store.get('undeclared', 'x')).rejects.toThrow(/declare it/);
    await expect(store.transaction((tx) => tx.get('undeclared', 'x'))).rejects.toThrow(/declare it/);
    expect(fake.actions()).toEqual(['database.startTransaction', 'database.abortTransaction']);
  });

  test('a closed store refuses work', async () => {
    await store.close();
    await expect(store.get('ctItems', 'a')).rejects.toThrow(/closed/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('CloudBase configuration from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of [
      'TENCENTCLOUD_SECRETID',
      'TENCENTCLOUD_SECRETKEY',
      'TENCENTCLOUD_SESSIONTOKEN',
      'SCF_NAMESPACE',
      'CLOUDBASE_APIKEY',
    ]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  test('without keys and outside CloudBase it fails at once, saying what to set', () => {
    delete process.env.TENCENTCLOUD_SECRETID;
    delete process.env.TENCENTCLOUD_SECRETKEY;
    delete process.env.CLOUDBASE_APIKEY;
    expect(() => CloudBaseStore.fromEnv({ TCB_ENV: 'e' })).toThrow(/TCB_SECRET_ID/);
    expect(() => CloudBaseStore.fromEnv({ TCB_ENV: 'e', TCB_SECRET_ID: 'only-id' })).toThrow(/both/);
  });

  test('inside CloudBase: the current environment and the runtime credentials', async () => {
    const fake = await declaredFake();
    try {
      process.env.SCF_NAMESPACE = 'runtime-env-9z';
      process.env.TENCENTCLOUD_SECRETID = 'AKIDruntime';
      process.env.TENCENTCLOUD_SECRETKEY = 'runtime-key';
      process.env.TENCENTCLOUD_SESSIONTOKEN = 'runtime-token';
      const store = CloudBaseStore.fromEnv({ TCB_SERVICE_URL: fake.serviceUrl });
      await store.get('ctItems', 'a');
      const [call] = fake.calls;
      expect(call.body.envName).toBe('runtime-env-9z');
      expect(call.body.sessionToken).toBe('runtime-token');
      expect(String(call.headers.authorization)).toContain('Credential=AKIDruntime/');
    } finally {
      await fake.stop();
    }
  });
});
