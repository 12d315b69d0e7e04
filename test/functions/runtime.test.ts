// The function runtime through a real router (merchant) on SQLite.
import { main } from '../../cloudfunctions/merchant';
import { action } from '../../cloudfunctions/core/runtime/action';
import { createMain } from '../../cloudfunctions/core/runtime/main';
import { StoreOutcomeUnknown } from '../../cloudfunctions/core/ports/store';
import { z } from 'zod';
import { admin, buyer, call, errorOf, ok, testDeps, type TestDeps } from '../support/deps';
import type { MerchantStatus } from '../../typings/api';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(async () => {
  await deps.close();
});

test('getStatus answers from the runtime identity with the caller role', async () => {
  const asAdmin = await ok<MerchantStatus>(call(main, admin, 'getStatus'));
  expect(asAdmin).toMatchObject({
    appid: admin.appid,
    miniProgramName: 'Demo Tea Shop',
    role: 'admin',
    merchant: null,
    application: null,
  });
  const asBuyer = await ok<MerchantStatus>(call(main, buyer, 'getStatus'));
  expect(asBuyer.role).toBe('buyer');
});

test('identity in the event is ignored: no runtime identity, no call', async () => {
  const err = await errorOf(
    main({ action: 'getStatus', data: {}, openid: admin.openid, appid: admin.appid }, undefined),
  );
  expect(err.code).toBe('AUTH.NO_IDENTITY');
});

test('unknown actions, bad events and unknown mini programs get typed errors', async () => {
  expect((await errorOf(call(main, admin, 'dropTables'))).code).toBe('INPUT.UNKNOWN_ACTION');
  expect((await errorOf(call(main, admin, 'toString'))).code).toBe('INPUT.UNKNOWN_ACTION');
  expect((await errorOf(main({ nothing: true }, undefined))).code).toBe('AUTH.NO_IDENTITY');
  expect((await errorOf(call(main, admin, 'getStatus', { extra: 1 }))).code).toBe('INPUT.INVALID');
  expect((await errorOf(call(main, { openid: 'o1', appid: 'wx_unknown' }, 'getStatus'))).code).toBe(
    'CONFIG.UNKNOWN_MINI_PROGRAM',
  );
});

test('calls made through a third-party platform are refused', async () => {
  const err = await errorOf(call(main, { ...admin, fromAppid: 'wx_third_party_platform' }, 'getStatus'));
  expect(err.code).toBe('AUTH.THIRD_PARTY_PLATFORM');
});

test('the first user with the setup code becomes admin, once', async () => {
  deps.config.miniPrograms[admin.appid].admins = [];
  const first = { ...buyer, openid: 'o_first' };
  expect((await errorOf(call(main, first, 'claimAdmin', { code: '000000' }))).code).toBe('AUTH.SETUP_CODE_INVALID');
  await ok(call(main, first, 'claimAdmin', { code: '246810' }));
  expect((await ok<MerchantStatus>(call(main, first, 'getStatus'))).role).toBe('admin');
  expect((await errorOf(call(main, buyer, 'claimAdmin', { code: '246810' }))).code).toBe('AUTH.ADMIN_ALREADY_CLAIMED');
  expect((await ok<MerchantStatus>(call(main, buyer, 'getStatus'))).role).toBe('buyer');
});

describe('runtime guarantees', () => {
  let runs = 0;
  const probe = createMain('probe', {
    adminOnly: action({ roles: ['admin'], input: z.object({}), handler: async () => 'secret' }),
    create: action({
      roles: ['buyer', 'admin'],
      input: z.object({ amountFen: z.number().int().positive() }),
      idempotent: true,
      handler: async ({ amountFen }) => ({ run: ++runs, amountFen }),
    }),
    unsure: action({
      roles: ['buyer'],
      input: z.object({}),
      idempotent: true,
      handler: async () => {
        runs++;
        throw new StoreOutcomeUnknown('the commit answer was lost');
      },
    }),
    explode: action({
      roles: ['buyer'],
      input: z.object({}),
      handler: async () => {
        throw new Error('db password is hunter2');
      },
    }),
  });

  test('roles are enforced', async () => {
    expect((await errorOf(call(probe, buyer, 'adminOnly'))).code).toBe('AUTH.FORBIDDEN');
    expect(await ok(call(probe, admin, 'adminOnly'))).toBe('secret');
  });

  test('idempotent actions need a key, replay the first result, and refuse a reused key', async () => {
    runs = 0;
    expect((await errorOf(call(probe, buyer, 'create', { amountFen: 100 }))).code).toBe(
      'INPUT.IDEMPOTENCY_KEY_REQUIRED',
    );
    const first = await ok(call(probe, buyer, 'create', { amountFen: 100 }, 'key-00000001'));
    const again = await ok(call(probe, buyer, 'create', { amountFen: 100 }, 'key-00000001'));
    expect(again).toEqual(first);
    expect(runs).toBe(1);
    expect((await errorOf(call(probe, buyer, 'create', { amountFen: 999 }, 'key-00000001'))).code).toBe(
      'INPUT.IDEMPOTENCY_KEY_REUSED',
    );
    // Keys are per caller: another buyer's same key is a different request.
    await ok(call(probe, { ...buyer, openid: 'o_other' }, 'create', { amountFen: 100 }, 'key-00000001'));
    expect(runs).toBe(2);
  });

  test('bad input lists the field and writes nothing', async () => {
    const before = await deps.store.count('idempotency');
    const err = await errorOf(call(probe, buyer, 'create', { amountFen: 1.5 }, 'key-00000002'));
    expect(err.code).toBe('INPUT.INVALID');
    expect(Object.keys(err.fields ?? {})).toEqual(['amountFen']);
    expect(await deps.store.count('idempotency')).toBe(before);
  });

  test('a write whose outcome is unknown keeps its key busy: a retry waits instead of running again at once', async () => {
    runs = 0;
    expect((await errorOf(call(probe, buyer, 'unsure', {}, 'key-00000003'))).code).toBe('INTERNAL');
    expect((await errorOf(call(probe, buyer, 'unsure', {}, 'key-00000003'))).code).toBe(
      'INPUT.IDEMPOTENCY_IN_PROGRESS',
    );
    expect(runs).toBe(1);
    // Past the stale window the retry takes over.
    deps.clock.advance(61_000);
    await errorOf(call(probe, buyer, 'unsure', {}, 'key-00000003'));
    expect(runs).toBe(2);
  });

  test('unknown errors become INTERNAL with a correlation id and no internals', async () => {
    const err = await errorOf(call(probe, buyer, 'explode'));
    expect(err.code).toBe('INTERNAL');
    expect(err.correlationId).toMatch(/[0-9a-f-]{36}/);
    expect(JSON.stringify(err)).not.toMatch(/hunter2|at .*\.ts/);
  });
});
