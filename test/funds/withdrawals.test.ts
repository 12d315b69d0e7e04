// Withdrawals against the WeChat Pay sandbox: the two-step identity-checked
// request, one a day, never more than available (also under concurrency),
// and the sandbox bank's outcome moving the money.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { type JournalDoc, merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { main } from '../../cloudfunctions/funds';
import type { WithdrawalDoc } from '../../cloudfunctions/core/funds/docs';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import { IDENTITY_CODES_FILE, soterCheck, useIdentityCheck } from '../../cloudfunctions/core/funds/identity-check';
import { pollWithdrawals } from '../../cloudfunctions/core/funds/withdrawals';
import { RETURN_WATCH_MS } from '../../cloudfunctions/core/domain/funds/withdrawal';
import { jobs } from '../../cloudfunctions/jobs/registry';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { Balances, WithdrawalPage, WithdrawalRequested, WithdrawalView } from '../../typings/funds';
import { admin, call, errorOf, ok, type TestDeps, testDeps } from '../support/deps';
import { refundOrder } from './support';
import { availableMoney, bindSandboxMerchant, OOLONG_NET_FEN } from './real';

let deps: TestDeps;
let keys = 0;
const key = () => `wdkey-${++keys}-${Date.now().toString(36)}`;
const SECOND_ADMIN: Identity = { openid: 'o_admin_0000000000000000002', appid: DEMO_APPID };

beforeEach(async () => {
  deps = await testDeps();
  deps.config.miniPrograms[DEMO_APPID].admins.push(SECOND_ADMIN.openid);
  await bindSandboxMerchant(deps);
});
afterEach(async () => {
  useIdentityCheck(null);
  await deps.close();
});

const balances = () => merchantBalances(deps.store, DEMO_APPID);

/** The code the local identity check delivered for a withdrawal (the stack's out-of-band channel). */
function deliveredCode(withdrawalId: string): string {
  const lines = fs
    .readFileSync(path.join(deps.dataDir, IDENTITY_CODES_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { withdrawalId: string; code: string });
  const line = lines.filter((l) => l.withdrawalId === withdrawalId).pop();
  if (!line) throw new Error(`no code delivered for ${withdrawalId}`);
  return line.code;
}

const request = (amountFen: number, who: Identity = admin, k = key()) =>
  call<WithdrawalRequested>(main, who, 'requestWithdrawal', { amountFen }, k);
const confirm = (withdrawalId: string, code: string, who: Identity = admin, k = key()) =>
  call<WithdrawalView>(main, who, 'confirmWithdrawal', { withdrawalId, proof: { code } }, k);

async function withdraw(amountFen: number): Promise<WithdrawalView> {
  const { withdrawal } = await ok(request(amountFen));
  return ok(confirm(withdrawal.id, deliveredCode(withdrawal.id)));
}

/** The sandbox bank's delay passes, then the poll job asks WeChat Pay. */
async function bankProcesses(): Promise<void> {
  deps.clock.advance(6_000);
  await pollWithdrawals(deps);
}

describe('the two steps', () => {
  test('a request moves nothing; the confirmed identity check moves it; the bank pays it', async () => {
    const available = await availableMoney(deps, 2);
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });

    const requested = await ok(request(15000));
    expect(requested.withdrawal).toMatchObject({
      amountFen: 15000,
      state: 'AWAITING_CONFIRMATION',
      originalState: 'BEFORE_SCAN_QRCODE',
    });
    expect(requested.challenge).toMatchObject({ method: 'code', attemptsLeft: 3 });
    expect(Date.parse(requested.challenge.expiresAt) - deps.clock.now().getTime()).toBe(5 * 60_000);
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });
    expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(0);
    // Only the code's hash is stored.
    const stored = await deps.store.get<WithdrawalDoc>('withdrawals', requested.withdrawal.id);
    expect(JSON.stringify(stored)).not.toContain(deliveredCode(requested.withdrawal.id));

    const confirmed = await ok(confirm(requested.withdrawal.id, deliveredCode(requested.withdrawal.id)));
    expect(confirmed).toMatchObject({
      state: 'CREATED',
      originalState: 'CREATE_SUCCESS',
      bankAccount: '**** **** 0000',
      bankName: '工商银行',
    });
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available - 15000, withdrawingFen: 15000 });
    const atSandbox = (await deps.store.get<WithdrawalDoc>('withdrawals', confirmed.id))!;
    expect(atSandbox.withdrawId).toMatch(/^\d+$/);
    expect(deps.sandbox.balance((await deps.store.get<MerchantDoc>('merchants', DEMO_APPID))!.subMchid)).toBe(
      available - 15000,
    );

    await bankProcesses();
    expect(await ok(call<WithdrawalView>(main, admin, 'getWithdrawal', { id: confirmed.id }))).toMatchObject({
      state: 'SUCCESS',
      originalState: 'SUCCESS',
    });
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available - 15000, withdrawingFen: 0 });
    expect(await deps.store.get<JournalDoc>('journal', `withdrawal_paid:${confirmed.id}`)).not.toBeNull();
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);

    const history = await ok(call<WithdrawalPage>(main, admin, 'listWithdrawals', {}));
    expect(history.items.map((w) => [w.id, w.state])).toEqual([[confirmed.id, 'SUCCESS']]);
  });

  test('when the bank fails it, the money returns to available', async () => {
    const available = await availableMoney(deps, 1);
    deps.sandbox.setBank('fail', '户名不符');
    const w = await withdraw(available);
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: available });
    await bankProcesses();
    expect(await ok(call<WithdrawalView>(main, admin, 'getWithdrawal', { id: w.id }))).toMatchObject({
      state: 'FAILED',
      originalState: 'FAIL',
      reason: '户名不符',
    });
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });
    expect(await deps.store.get('journal', `withdrawal_returned:${w.id}`)).not.toBeNull();
    // A second poll changes nothing.
    expect(await pollWithdrawals(deps)).toEqual({ closed: 0, submitted: 0, paid: 0, failed: 0, returned: 0 });
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('paid, then returned by the bank: the payout is reversed and the money is available again', async () => {
    const available = await availableMoney(deps, 1);
    const w = await withdraw(5000);
    await bankProcesses();
    const doc = (await deps.store.get<WithdrawalDoc>('withdrawals', w.id))!;
    deps.sandbox.forceWithdraw(doc.withdrawId!, 'REFUND', '银行退票');
    await pollWithdrawals(deps);
    expect(await ok(call<WithdrawalView>(main, admin, 'getWithdrawal', { id: w.id }))).toMatchObject({
      state: 'RETURNED',
      originalState: 'REFUND',
    });
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });
    expect(await deps.store.get('journal', `reversal:withdrawal_paid:${w.id}`)).not.toBeNull();
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('a bank return 10 days after the payout is still noticed (banks take up to 7 working days); past the watch, no more queries', async () => {
    const available = await availableMoney(deps, 1);
    const late = await withdraw(3000);
    await bankProcesses();
    deps.clock.advance(10 * 24 * 3600_000);
    const doc = (await deps.store.get<WithdrawalDoc>('withdrawals', late.id))!;
    deps.sandbox.forceWithdraw(doc.withdrawId!, 'REFUND', '银行退票');
    expect((await pollWithdrawals(deps)).returned).toBe(1);
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });

    // Past RETURN_WATCH_MS (16 days) the job stops asking about a paid withdrawal.
    const old = await withdraw(1000);
    await bankProcesses();
    deps.clock.advance(RETURN_WATCH_MS + 60_000);
    const queries = jest.spyOn(deps.pay, 'queryWithdraw');
    await pollWithdrawals(deps);
    expect(queries.mock.calls.map(([, id]) => id)).not.toContain(old.id);
    queries.mockRestore();
  });

  test('WeChat Pay refusing the withdrawal (its balance is short) fails it and gives the money back', async () => {
    await availableMoney(deps, 1);
    // Our ledger gets money WeChat Pay never saw: the two disagree.
    const extra = 50_000;
    await deps.store.transaction(async (tx) => {
      const { postInTransaction } = await import('../../cloudfunctions/core/ledger/book');
      const { paymentEntry, settlementEntry } = await import('../../cloudfunctions/core/domain/ledger');
      await postInTransaction(tx, paymentEntry(DEMO_APPID, 'ghost', extra, 0), deps.clock.now());
      await postInTransaction(tx, settlementEntry(DEMO_APPID, 'ghost', extra), deps.clock.now());
    });
    const before = await balances();
    const w = await withdraw(before.availableFen);
    expect(w.state).toBe('FAILED');
    expect(w.reason).toMatch(/WeChat Pay refused the withdrawal/);
    expect(await balances()).toEqual(before);
  });

  test('WeChat Pay unreachable: the money waits in withdrawing and the poll resends the same request', async () => {
    const available = await availableMoney(deps, 1);
    const real = deps.pay;
    deps.pay = WechatPayProvider.fromSandboxDir(path.join(deps.dataDir, 'sandbox'), 'http://127.0.0.1:9', deps.clock);
    const w = await withdraw(3000);
    expect(w.state).toBe('CREATED');
    expect((await deps.store.get<WithdrawalDoc>('withdrawals', w.id))!.withdrawId).toBeUndefined();
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available - 3000, withdrawingFen: 3000 });
    deps.pay = real;
    expect(await pollWithdrawals(deps)).toMatchObject({ submitted: 1 });
    expect((await deps.store.get<WithdrawalDoc>('withdrawals', w.id))!.withdrawId).toBeDefined();
    await bankProcesses();
    expect((await deps.store.get<WithdrawalDoc>('withdrawals', w.id))!.state).toBe('SUCCESS');
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available - 3000, withdrawingFen: 0 });
  });
});

describe('rules', () => {
  test('never more than available, and bad amounts are typed errors; nothing is written', async () => {
    const available = await availableMoney(deps, 1);
    expect((await errorOf(request(available + 1))).code).toBe('FUNDS.INSUFFICIENT_BALANCE');
    for (const amountFen of [0, -5, 12.5, '100', null]) {
      const e = await errorOf(call(main, admin, 'requestWithdrawal', { amountFen }, key()));
      expect([e.code, Object.keys(e.fields ?? {})]).toEqual(['INPUT.INVALID', ['amountFen']]);
    }
    expect((await errorOf(call(main, admin, 'requestWithdrawal', { amountFen: 100 }))).code).toBe(
      'INPUT.IDEMPOTENCY_KEY_REQUIRED',
    );
    expect(await deps.store.count('withdrawals')).toBe(0);
  });

  test('one withdrawal a (Beijing) day; a request never confirmed does not use it', async () => {
    await availableMoney(deps, 2);
    const { withdrawal: abandoned } = await ok(request(100));
    await ok(call(main, admin, 'cancelWithdrawal', { withdrawalId: abandoned.id }));
    await withdraw(1000);
    expect((await errorOf(request(1000))).code).toBe('FUNDS.WITHDRAWAL_DAILY_LIMIT');
    // 2026-01-06T15:59:59Z is still the 6th in Beijing; a second later it is the 7th.
    deps.clock.set('2026-01-06T15:59:59.000Z');
    expect((await errorOf(request(1000))).code).toBe('FUNDS.WITHDRAWAL_DAILY_LIMIT');
    deps.clock.set('2026-01-06T16:00:00.000Z');
    const next = await withdraw(1000);
    expect(next.state).toBe('CREATED');
  });

  test('a request that is short at confirmation (a refund took the money) is refused, closed, and leaves the day free', async () => {
    const available = await availableMoney(deps, 1);
    const [order] = await deps.store.find<{ _id: string }>('orders', { limit: 1 }).then((p) => p.items);
    const { withdrawal } = await ok(request(available));
    await refundOrder(deps, order._id, 'Rrace', 1000, deps.clock.now().toISOString()); // from available: the order is settled
    expect((await errorOf(confirm(withdrawal.id, deliveredCode(withdrawal.id)))).code).toBe(
      'FUNDS.INSUFFICIENT_BALANCE',
    );
    expect((await deps.store.get<WithdrawalDoc>('withdrawals', withdrawal.id))!.state).toBe('CLOSED');
    expect((await balances()).withdrawingFen).toBe(0);
    const ok2 = await withdraw((await balances()).availableFen);
    expect(ok2.state).toBe('CREATED');
  });

  test('many simultaneous withdrawals of the whole balance: exactly one goes through', async () => {
    const available = await availableMoney(deps, 2);
    const requests = await Promise.all(Array.from({ length: 12 }, () => ok(request(available))));
    const results = await Promise.all(requests.map((r) => confirm(r.withdrawal.id, deliveredCode(r.withdrawal.id))));
    const passed = results.filter((r) => r.ok);
    expect(passed).toHaveLength(1);
    const refusals = new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code)));
    expect([...refusals].every((c) => c === 'FUNDS.WITHDRAWAL_DAILY_LIMIT' || c === 'FUNDS.INSUFFICIENT_BALANCE')).toBe(
      true,
    );
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: available });
    expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(1);
    expect(await deps.store.count('withdrawals', { state: 'CREATED' })).toBe(1);
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('simultaneous confirmations of one withdrawal move the money once', async () => {
    const available = await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(available));
    const code = deliveredCode(withdrawal.id);
    const results = await Promise.all(Array.from({ length: 8 }, () => confirm(withdrawal.id, code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: available });
  });
});

describe('the identity check', () => {
  test('a wrong code is refused with the attempts left; the third closes the withdrawal', async () => {
    await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    const good = deliveredCode(withdrawal.id);
    const wrong = good === '000000' ? '000001' : '000000';
    expect(await errorOf(confirm(withdrawal.id, wrong))).toMatchObject({
      code: 'FUNDS.IDENTITY_CHECK_FAILED',
      details: { attemptsLeft: 2 },
    });
    expect(await errorOf(confirm(withdrawal.id, wrong))).toMatchObject({
      code: 'FUNDS.IDENTITY_CHECK_FAILED',
      details: { attemptsLeft: 1 },
    });
    expect(await errorOf(confirm(withdrawal.id, wrong))).toMatchObject({
      code: 'FUNDS.IDENTITY_CHECK_FAILED',
      details: { attemptsLeft: 0 },
    });
    // Closed at the limit: even the right code now gets the reply every failed answer gets.
    expect(await errorOf(confirm(withdrawal.id, good))).toMatchObject({
      code: 'FUNDS.IDENTITY_CHECK_FAILED',
      details: { attemptsLeft: 0 },
    });
    expect((await deps.store.get<WithdrawalDoc>('withdrawals', withdrawal.id))!.state).toBe('CLOSED');
    expect((await balances()).withdrawingFen).toBe(0);
  });

  test('expires after five minutes', async () => {
    await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    deps.clock.advance(5 * 60_000);
    expect((await errorOf(confirm(withdrawal.id, deliveredCode(withdrawal.id)))).code).toBe('FUNDS.CHALLENGE_EXPIRED');
    expect((await ok(call<WithdrawalView>(main, admin, 'getWithdrawal', { id: withdrawal.id }))).state).toBe('CLOSED');
  });

  test('the poll job closes challenges nobody answered', async () => {
    await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    deps.clock.advance(5 * 60_000 + 1);
    expect(jobs.pollWithdrawals.everyMs).toBeGreaterThan(0);
    expect((await pollWithdrawals(deps)).closed).toBe(1);
    expect((await deps.store.get<WithdrawalDoc>('withdrawals', withdrawal.id))!).toMatchObject({
      state: 'CLOSED',
      reason: 'The identity check expired',
    });
  });

  test("a stolen call cannot complete: a replayed confirmation, another withdrawal's code, another admin", async () => {
    await availableMoney(deps, 2);
    const a = await ok(request(1000));
    const b = await ok(request(2000));
    const codeA = deliveredCode(a.withdrawal.id);
    // A's code does not answer B's challenge (unless both codes happen to coincide).
    if (codeA !== deliveredCode(b.withdrawal.id))
      expect((await errorOf(confirm(b.withdrawal.id, codeA))).code).toBe('FUNDS.IDENTITY_CHECK_FAILED');
    // Another admin of the same mini program cannot answer a challenge issued to this one.
    expect((await errorOf(confirm(a.withdrawal.id, codeA, SECOND_ADMIN))).code).toBe('FUNDS.NOT_YOUR_WITHDRAWAL');

    const k = key();
    const first = await ok(confirm(a.withdrawal.id, codeA, admin, k));
    // The same call retried (same idempotency key) gets the same answer, nothing more.
    expect(await ok(confirm(a.withdrawal.id, codeA, admin, k))).toEqual(first);
    // Replayed as a new call: the challenge is spent.
    expect((await errorOf(confirm(a.withdrawal.id, codeA))).code).toBe('FUNDS.WITHDRAWAL_NOT_AWAITING');
    expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(1);
  });

  test('SOTER (cloud): the signed result must carry this challenge and verify as this admin', async () => {
    const device = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const verified: string[] = [];
    // WeChat's side of soter.verifySignature: the device key registered for the openid.
    useIdentityCheck(
      soterCheck(async (openid, json, signature) => {
        verified.push(openid);
        return (
          openid === admin.openid &&
          crypto.verify('sha256', Buffer.from(json), device.publicKey, Buffer.from(signature, 'base64'))
        );
      }),
    );
    const sign = (json: string) => crypto.sign('sha256', Buffer.from(json), device.privateKey).toString('base64');
    await availableMoney(deps, 1);
    const { withdrawal, challenge } = await ok(request(1000));
    expect(challenge.method).toBe('soter');

    const stale = JSON.stringify({ raw: 'an-old-challenge', fid: '1', counter: 1 });
    const forged = JSON.stringify({ raw: challenge.nonce, fid: '1', counter: 2 });
    const soter = (json: string, signature: string, k = key()) =>
      call<WithdrawalView>(
        main,
        admin,
        'confirmWithdrawal',
        { withdrawalId: withdrawal.id, proof: { resultJSON: json, resultJSONSignature: signature } },
        k,
      );
    expect((await errorOf(soter(stale, sign(stale)))).code).toBe('FUNDS.IDENTITY_CHECK_FAILED');
    expect((await errorOf(soter(forged, sign('something else')))).code).toBe('FUNDS.IDENTITY_CHECK_FAILED');
    expect((await ok(soter(forged, sign(forged)))).state).toBe('CREATED');
    expect(verified).toEqual([admin.openid, admin.openid]);
  });
});

test('withdrawal responses carry the bank account masked only', async () => {
  await availableMoney(deps, 1);
  const w = await withdraw(1000);
  const everything = JSON.stringify([
    w,
    await ok(call<WithdrawalPage>(main, admin, 'listWithdrawals', {})),
    await ok(call<Balances>(main, admin, 'getOverview')),
  ]);
  expect(everything).not.toContain('6222000000000000');
  expect(everything).toContain('**** **** 0000');
  expect(OOLONG_NET_FEN).toBe(9841);
});
