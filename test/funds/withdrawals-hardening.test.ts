// Hardening of withdrawals (issue 12): the identity code cannot be guessed in
// parallel (item 3), a withdrawal whose money came back does not use up the
// day (item 7), and a withdrawal records the bank account in force when its
// money moves (item 10).
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { MAX_CONFIRM_ATTEMPTS, withdrawalDayKey } from '../../cloudfunctions/core/domain/funds/withdrawal';
import type { DailyLimitDoc, WithdrawalDoc } from '../../cloudfunctions/core/funds/docs';
import { IDENTITY_CODES_FILE, localCodeCheck, useIdentityCheck } from '../../cloudfunctions/core/funds/identity-check';
import { recordSealedAccount, sealAccount } from '../../cloudfunctions/core/funds/record-account';
import { finish, pollWithdrawals } from '../../cloudfunctions/core/funds/withdrawals';
import { merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { main } from '../../cloudfunctions/funds';
import { beijingDate } from '../../miniprogram/shared/beijing';
import type { ApiResult } from '../../typings/api';
import type { FundsOverview, WithdrawalRequested, WithdrawalView } from '../../typings/funds';
import { admin, call, errorOf, ok, type TestDeps, testDeps } from '../support/deps';
import { availableMoney, bindSandboxMerchant } from './real';
import { ENTITY, FIRST_ACCOUNT } from './support';

let deps: TestDeps;
let keys = 0;
const key = () => `wdh-${++keys}-${Date.now().toString(36)}`;

beforeEach(async () => {
  deps = await testDeps();
  await bindSandboxMerchant(deps);
});
afterEach(async () => {
  useIdentityCheck(null);
  await deps.close();
});

const balances = () => merchantBalances(deps.store, DEMO_APPID);
const withdrawalDoc = async (id: string) => (await deps.store.get<WithdrawalDoc>('withdrawals', id)) as WithdrawalDoc;

function deliveredCode(withdrawalId: string): string {
  const line = fs
    .readFileSync(path.join(deps.dataDir, IDENTITY_CODES_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { withdrawalId: string; code: string })
    .filter((l) => l.withdrawalId === withdrawalId)
    .pop();
  if (!line) throw new Error(`no code delivered for ${withdrawalId}`);
  return line.code;
}

const request = (amountFen: number) =>
  call<WithdrawalRequested>(main, admin, 'requestWithdrawal', { amountFen }, key());
const confirm = (withdrawalId: string, code: string) =>
  call<WithdrawalView>(main, admin, 'confirmWithdrawal', { withdrawalId, proof: { code } }, key());

async function withdraw(amountFen: number): Promise<WithdrawalView> {
  const { withdrawal } = await ok(request(amountFen));
  return ok(confirm(withdrawal.id, deliveredCode(withdrawal.id)));
}

async function bankProcesses(): Promise<void> {
  deps.clock.advance(6_000);
  await pollWithdrawals(deps);
}

/** The local code check, recording every answer it actually evaluates. */
function countingCheck(): string[] {
  const evaluated: string[] = [];
  const local = localCodeCheck(deps);
  useIdentityCheck({
    method: local.method,
    deliver: (target, code) => local.deliver(target, code),
    verify: (openid, challenge, proof) => {
      evaluated.push('code' in proof ? proof.code : '(soter)');
      return local.verify(openid, challenge, proof);
    },
  });
  return evaluated;
}

/** `count` distinct wrong six-digit codes. */
function wrongCodes(good: string, count: number): string[] {
  const codes: string[] = [];
  for (let n = 0; codes.length < count; n++) {
    const code = String((n * 7919) % 1_000_000).padStart(6, '0');
    if (code !== good) codes.push(code);
  }
  return codes;
}

/** An error as the client sees it, for comparing responses. */
const shape = (r: ApiResult<unknown>) => (r.ok ? 'ok' : JSON.stringify(r.error));

describe('item 3: the identity code cannot be guessed in parallel', () => {
  const BURST = 200;

  test('200 parallel wrong guesses with the right one among them: at most 3 evaluated, the right one indistinguishable, the withdrawal closed, no money moved', async () => {
    const available = await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    const good = deliveredCode(withdrawal.id);
    const evaluated = countingCheck();
    const codes = wrongCodes(good, BURST - 1);
    const rightAt = 137;
    codes.splice(rightAt, 0, good);

    const results = await Promise.all(codes.map((code) => confirm(withdrawal.id, code)));

    expect(evaluated.length).toBeLessThanOrEqual(MAX_CONFIRM_ATTEMPTS);
    const rightEvaluated = evaluated.includes(good);
    // Whatever the interleaving, only an evaluated right guess can succeed.
    const passed = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(passed.every((i) => codes[i] === good && rightEvaluated)).toBe(true);
    // Every failure is the same typed error with the same details shape.
    for (const r of results) {
      if (r.ok) continue;
      expect(r.error.code).toBe('FUNDS.IDENTITY_CHECK_FAILED');
      expect(Object.keys(r.error.details ?? {})).toEqual(['attemptsLeft']);
    }
    const unevaluated = results.filter((_, i) => !evaluated.includes(codes[i]));
    expect(unevaluated.length).toBeGreaterThanOrEqual(BURST - MAX_CONFIRM_ATTEMPTS);
    if (!rightEvaluated) {
      // The right guess's answer is the answer every unevaluated guess got.
      expect(new Set(unevaluated.map(shape))).toEqual(new Set([shape(results[rightAt])]));
      expect(results[rightAt]).toMatchObject({ ok: false, error: { details: { attemptsLeft: 0 } } });
      const doc = await withdrawalDoc(withdrawal.id);
      expect(doc).toMatchObject({ state: 'CLOSED', reason: 'Too many failed identity checks' });
      expect(doc.challenge.attempts).toBe(MAX_CONFIRM_ATTEMPTS);
      expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });
      expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(0);
    }
    expect(rightEvaluated).toBe(false); // it stood at 137 of 200: never among the first three
    // After the burst the right code is refused like any other.
    expect(shape(await confirm(withdrawal.id, good))).toBe(shape(results[rightAt]));
    expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(0);
  });

  test('the right guess first in a burst: money moves at most once and only for it', async () => {
    const available = await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    const good = deliveredCode(withdrawal.id);
    const evaluated = countingCheck();
    const codes = [good, ...wrongCodes(good, BURST - 1)];

    const results = await Promise.all(codes.map((code) => confirm(withdrawal.id, code)));

    expect(evaluated.length).toBeLessThanOrEqual(MAX_CONFIRM_ATTEMPTS);
    expect(evaluated).toContain(good);
    const passed = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(passed.length).toBeLessThanOrEqual(1);
    const doc = await withdrawalDoc(withdrawal.id);
    if (passed.length === 1) {
      expect(passed).toEqual([0]);
      expect(doc.state).toBe('CREATED');
      expect(await balances()).toEqual({ pendingFen: 0, availableFen: available - 1000, withdrawingFen: 1000 });
    } else {
      expect(doc.state).toBe('CLOSED');
      expect(await balances()).toEqual({ pendingFen: 0, availableFen: available, withdrawingFen: 0 });
    }
    expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(passed.length);
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('one at a time: each wrong answer takes one attempt and says what is left; the last one closes it', async () => {
    await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    const good = deliveredCode(withdrawal.id);
    const [w1, w2, w3] = wrongCodes(good, 3);
    expect((await errorOf(confirm(withdrawal.id, w1))).details).toEqual({ attemptsLeft: 2 });
    expect((await withdrawalDoc(withdrawal.id)).challenge.attempts).toBe(1);
    expect((await errorOf(confirm(withdrawal.id, w2))).details).toEqual({ attemptsLeft: 1 });
    const last = await errorOf(confirm(withdrawal.id, w3));
    expect(last).toMatchObject({ code: 'FUNDS.IDENTITY_CHECK_FAILED', details: { attemptsLeft: 0 } });
    expect(await withdrawalDoc(withdrawal.id)).toMatchObject({
      state: 'CLOSED',
      reason: 'Too many failed identity checks',
    });
    // The right code afterwards gets the very same answer.
    expect(await errorOf(confirm(withdrawal.id, good))).toEqual(last);
  });
});

describe('item 7: only a withdrawal whose money left uses up the day', () => {
  test('the bank fails it: the day is free again and a new withdrawal the same day goes through', async () => {
    const available = await availableMoney(deps, 1);
    deps.sandbox.setBank('fail', '户名不符');
    const failed = await withdraw(3000);
    await bankProcesses();
    expect((await withdrawalDoc(failed.id)).state).toBe('FAILED');
    expect(await deps.store.get('dailyLimits', withdrawalDayKey(DEMO_APPID, beijingDate(deps.clock.now())))).toBeNull();
    expect((await ok(call<FundsOverview>(main, admin, 'getOverview'))).withdrawnToday).toBe(false);

    deps.sandbox.setBank('succeed');
    const retry = await withdraw(3000);
    expect(retry.state).toBe('CREATED');
    await bankProcesses();
    expect((await withdrawalDoc(retry.id)).state).toBe('SUCCESS');
    expect(await balances()).toEqual({ pendingFen: 0, availableFen: available - 3000, withdrawingFen: 0 });
    // The successful one holds the day.
    expect((await errorOf(request(1000))).code).toBe('FUNDS.WITHDRAWAL_DAILY_LIMIT');
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('paid: the day stays used', async () => {
    await availableMoney(deps, 1);
    const paid = await withdraw(3000);
    await bankProcesses();
    expect((await withdrawalDoc(paid.id)).state).toBe('SUCCESS');
    expect((await errorOf(request(1000))).code).toBe('FUNDS.WITHDRAWAL_DAILY_LIMIT');
    expect((await ok(call<FundsOverview>(main, admin, 'getOverview'))).withdrawnToday).toBe(true);
  });

  test('paid, then returned by the bank the same day: the day is free again', async () => {
    await availableMoney(deps, 1);
    const w = await withdraw(3000);
    await bankProcesses();
    deps.sandbox.forceWithdraw((await withdrawalDoc(w.id)).withdrawId as string, 'REFUND', '银行退票');
    await pollWithdrawals(deps);
    expect((await withdrawalDoc(w.id)).state).toBe('RETURNED');
    expect((await withdraw(1000)).state).toBe('CREATED');
  });

  test("an outcome frees only its own withdrawal's slot", async () => {
    await availableMoney(deps, 1);
    const w = await withdraw(3000);
    const slotKey = withdrawalDayKey(DEMO_APPID, beijingDate(deps.clock.now()));
    // The day's slot belongs to another withdrawal (as after this one's was freed and taken again).
    await deps.store.update('dailyLimits', slotKey, { set: { withdrawalId: 'wd-someone-else' } });
    expect(await finish(deps, await withdrawalDoc(w.id), 'failed', 'test')).toBe(true);
    expect((await deps.store.get<DailyLimitDoc>('dailyLimits', slotKey))?.withdrawalId).toBe('wd-someone-else');
  });
});

describe('item 10: the withdrawal records the account in force when the money moves', () => {
  test('an account change approved while the confirmation runs: the withdrawal records the new account', async () => {
    await availableMoney(deps, 1);
    const { withdrawal } = await ok(request(1000));
    // The bank-change poll puts a new account in force just as the confirmation's transaction starts.
    const store = deps.store;
    const original = store.transaction.bind(store);
    let landed = false;
    jest.spyOn(store, 'transaction').mockImplementation(async (work) => {
      if (!landed) {
        landed = true;
        const next = sealAccount(deps.sealer, {
          ...FIRST_ACCOUNT,
          accountBank: '招商银行',
          accountName: ENTITY,
          accountNumber: '6225880000004321',
        });
        const at = deps.clock.now().toISOString();
        await original((tx) => recordSealedAccount(tx, DEMO_APPID, next, at));
      }
      return original(work);
    });
    const confirmed = await ok(confirm(withdrawal.id, deliveredCode(withdrawal.id)));
    expect(landed).toBe(true);
    expect(confirmed).toMatchObject({ state: 'CREATED', bankAccount: '**** **** 4321', bankName: '招商银行' });
    expect(await withdrawalDoc(withdrawal.id)).toMatchObject({ bankAccount: '**** **** 4321', bankName: '招商银行' });
  });
});
