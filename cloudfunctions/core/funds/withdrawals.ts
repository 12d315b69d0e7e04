// Withdrawals: request -> identity check -> money moves -> WeChat Pay pays
// the bank (or fails, and the money comes back). See
// core/domain/funds/withdrawal.ts for why two calls are needed.
import type { IdentityProof, WithdrawalPage, WithdrawalRequested, WithdrawalView } from '../../../typings/funds';
import { beijingDate } from '../../../miniprogram/shared/beijing';
import {
  assertWithdrawable,
  attemptsLeftAfter,
  CHALLENGE_TTL_MS,
  codeHash,
  freesTheDay,
  identityCheckFailed,
  isExpired,
  MAX_CONFIRM_ATTEMPTS,
  newCode,
  newNonce,
  outcomeOf,
  type ProviderOutcome,
  RETURN_WATCH_MS,
  type StoredChallenge,
  TOO_MANY_CHECKS,
  withdrawalDayKey,
} from '../domain/funds/withdrawal';
import { reversalEntry, withdrawalEntry, withdrawalOutcomeEntry } from '../domain/ledger';
import { AppError } from '../errors';
import { merchantBalances, postInTransaction } from '../ledger/book';
import { type DocOps, isDuplicate, mustGet } from '../ports/store';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import type { BankAccountDoc, DailyLimitDoc, WithdrawalDoc } from './docs';
import type { MerchantDoc } from '../merchants/merchant';
import { accountDoc } from './bank-account';
import { identityCheckFor } from './identity-check';
import { boundMerchant, merchantCache } from '../merchants/merchant';
import { isRefusal } from '../ports/pay';
import { findPage, type PageRequest } from '../runtime/paging';
import { withdrawalView } from './views';

const dailyLimit = () => new AppError('FUNDS.WITHDRAWAL_DAILY_LIMIT', 'Only one withdrawal a day. Try again tomorrow.');
const noBankAccount = () => new AppError('FUNDS.NO_BANK_ACCOUNT', 'Add a settlement bank account before withdrawing');

async function assertAccountInForce(deps: Deps, merchant: MerchantDoc): Promise<void> {
  if (!(await accountDoc(deps, merchant.appid))?.current) throw noBankAccount();
}

async function ownWithdrawal(deps: Deps, appid: string, id: string): Promise<WithdrawalDoc> {
  const w = await deps.store.get<WithdrawalDoc>('withdrawals', id);
  if (!w || w.appid !== appid) throw new AppError('FUNDS.WITHDRAWAL_NOT_FOUND', 'The withdrawal was not found');
  return w;
}

/** Ends a withdrawal that never moved money (only from AWAITING_CONFIRMATION). */
async function close(deps: Deps, w: WithdrawalDoc, reason: string): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return deps.store.update(
    'withdrawals',
    w._id,
    { set: { state: 'CLOSED', reason, finishedAt: at, updatedAt: at } },
    { state: 'AWAITING_CONFIRMATION' },
  );
}

/**
 * Records WeChat Pay's final word and moves the money with it, in one
 * transaction guarded by the state it leaves, so a repeated poll posts once.
 */
export async function finish(
  deps: Deps,
  w: WithdrawalDoc,
  outcome: Exclude<ProviderOutcome, 'in_flight'>,
  reason?: string,
): Promise<boolean> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const { appid, _id: id, amountFen } = w;
  return deps.store.transaction(async (tx) => {
    const current = await tx.get<WithdrawalDoc>('withdrawals', id);
    if (!current) return false;
    const from = current.state;
    if (outcome === 'paid') {
      if (from !== 'CREATED') return false;
      await tx.update('withdrawals', id, { set: { state: 'SUCCESS', finishedAt: at, updatedAt: at } }, { state: from });
      await postInTransaction(tx, withdrawalOutcomeEntry(appid, id, amountFen, true), now);
      return true;
    }
    const state = outcome === 'failed' ? 'FAILED' : 'RETURNED';
    if (from !== 'CREATED' && !(outcome === 'returned' && from === 'SUCCESS')) return false;
    const set: Record<string, unknown> = { state, finishedAt: at, updatedAt: at };
    if (reason) set.reason = reason;
    await tx.update('withdrawals', id, { set }, { state: from });
    if (freesTheDay(state)) await freeTheDay(tx, current);
    // Paid and then bounced: undo the payout before returning the money.
    if (from === 'SUCCESS')
      await postInTransaction(
        tx,
        reversalEntry(withdrawalOutcomeEntry(appid, id, amountFen, true), 'the bank returned the withdrawal'),
        now,
      );
    await postInTransaction(tx, withdrawalOutcomeEntry(appid, id, amountFen, false), now);
    return true;
  });
}

/**
 * The money came back, so the withdrawal no longer counts as the day's one:
 * its slot is removed, in the caller's transaction, if it is still this
 * withdrawal's (the slot is keyed by the Beijing day of the confirmation).
 */
async function freeTheDay(tx: DocOps, w: WithdrawalDoc): Promise<void> {
  if (!w.confirmedAt) return;
  const key = withdrawalDayKey(w.appid, beijingDate(new Date(w.confirmedAt)));
  const slot = await tx.get<DailyLimitDoc>('dailyLimits', key);
  if (slot?.withdrawalId === w._id) await tx.remove('dailyLimits', key);
}

/** Sends a confirmed withdrawal to WeChat Pay. An unknown outcome is left to the poll, which asks before resending. */
async function submit(deps: Deps, w: WithdrawalDoc, subMchid: string): Promise<void> {
  try {
    const { withdrawId } = await deps.pay.withdraw({
      subMchid,
      outRequestNo: w._id,
      amountFen: w.amountFen,
      remark: 'Payment management withdrawal',
    });
    const at = deps.clock.now().toISOString();
    await deps.store.update(
      'withdrawals',
      w._id,
      { set: { withdrawId, submittedAt: at, updatedAt: at } },
      { state: 'CREATED' },
    );
  } catch (err) {
    if (isRefusal(err)) {
      await finish(deps, w, 'failed', `WeChat Pay refused the withdrawal: ${err.message}`);
      return;
    }
    deps.log.warn({ withdrawalId: w._id, err }, 'withdrawal not yet accepted by WeChat Pay; the poll will retry');
  }
}

/** Step 1: checks the amount and the day, issues the challenge. No money moves. */
export async function requestWithdrawal(
  { deps, identity }: CallContext,
  { amountFen }: { amountFen: number },
): Promise<WithdrawalRequested> {
  const { store, clock, ids } = deps;
  const appid = identity.appid;
  await assertAccountInForce(deps, await boundMerchant(deps, appid));
  const { availableFen } = await merchantBalances(store, appid);
  assertWithdrawable(amountFen, availableFen);
  const now = clock.now();
  if (
    deps.config.oneWithdrawalADay &&
    (await store.get<DailyLimitDoc>('dailyLimits', withdrawalDayKey(appid, beijingDate(now))))
  ) {
    throw dailyLimit();
  }

  const check = identityCheckFor(deps);
  const nonce = newNonce();
  const challenge: StoredChallenge = {
    method: check.method,
    nonce,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString(),
    attempts: 0,
  };
  const code = check.method === 'code' ? newCode() : undefined;
  if (code) challenge.codeHash = codeHash(nonce, code);
  const at = now.toISOString();
  const w: WithdrawalDoc = {
    _id: ids.next('wd'),
    appid,
    amountFen,
    state: 'AWAITING_CONFIRMATION',
    requestedBy: identity.openid,
    challenge,
    createdAt: at,
    updatedAt: at,
  };
  await store.insert('withdrawals', w);
  if (code) await check.deliver({ appid, openid: identity.openid, withdrawalId: w._id, amountFen }, code);
  return {
    withdrawal: withdrawalView(w),
    challenge: { method: challenge.method, nonce, expiresAt: challenge.expiresAt, attemptsLeft: MAX_CONFIRM_ATTEMPTS },
  };
}

/**
 * Takes one attempt of the challenge, before its answer is looked at: an
 * increment conditional on the count just read (so below the limit), retried
 * from a fresh read when another answer took that attempt first. However many
 * answers arrive at once, at most MAX_CONFIRM_ATTEMPTS get a number, each a
 * different one. Null: none left, or the withdrawal is no longer waiting.
 */
async function takeAttempt(deps: Deps, w: WithdrawalDoc): Promise<number | null> {
  let seen: WithdrawalDoc | null = w;
  while (seen && seen.state === 'AWAITING_CONFIRMATION' && seen.challenge.attempts < MAX_CONFIRM_ATTEMPTS) {
    const n = seen.challenge.attempts;
    const taken = await deps.store.update(
      'withdrawals',
      w._id,
      { inc: { 'challenge.attempts': 1 }, set: { updatedAt: deps.clock.now().toISOString() } },
      { state: 'AWAITING_CONFIRMATION', 'challenge.attempts': n },
    );
    if (taken) return n + 1;
    seen = await deps.store.get<WithdrawalDoc>('withdrawals', w._id);
  }
  return null;
}

/** Step 2: the identity check's answer. Only now does money move, all or nothing. */
export async function confirmWithdrawal(
  { deps, identity }: CallContext,
  { withdrawalId, proof }: { withdrawalId: string; proof: IdentityProof },
): Promise<WithdrawalView> {
  const { store, clock } = deps;
  const appid = identity.appid;
  const merchant = await boundMerchant(deps, appid);
  const w = await ownWithdrawal(deps, appid, withdrawalId);
  if (w.requestedBy !== identity.openid) {
    throw new AppError('FUNDS.NOT_YOUR_WITHDRAWAL', 'Only the admin who requested this withdrawal can confirm it');
  }
  // Closed by its attempts running out: the same reply as an answer that found none left.
  if (w.state === 'CLOSED' && w.reason === TOO_MANY_CHECKS) throw identityCheckFailed(0);
  if (w.state !== 'AWAITING_CONFIRMATION') {
    throw new AppError(
      'FUNDS.WITHDRAWAL_NOT_AWAITING',
      'This withdrawal is no longer waiting for confirmation. Start a new one.',
    );
  }
  const now = clock.now();
  if (isExpired(w.challenge, now)) {
    await close(deps, w, 'The identity check expired');
    throw new AppError('FUNDS.CHALLENGE_EXPIRED', 'The identity check expired. Start the withdrawal again.');
  }

  // An attempt is spent before the answer is evaluated; without one, the answer is never looked at.
  const attempt = await takeAttempt(deps, w);
  if (attempt === null) throw identityCheckFailed(0);
  const lastAttempt = attempt >= MAX_CONFIRM_ATTEMPTS;
  if (!(await identityCheckFor(deps).verify(identity.openid, w.challenge, proof))) {
    if (lastAttempt) await close(deps, w, TOO_MANY_CHECKS);
    throw identityCheckFailed(attemptsLeftAfter(attempt));
  }

  const at = now.toISOString();
  const day = beijingDate(now);
  try {
    await store.transaction(async (tx) => {
      // The account in force as the money moves (a change approved meanwhile is the one paid to).
      const bank = (await tx.get<BankAccountDoc>('bankAccounts', appid))?.current;
      if (!bank) throw noBankAccount();
      const confirmed = await tx.update(
        'withdrawals',
        w._id,
        {
          set: {
            state: 'CREATED',
            confirmedAt: at,
            updatedAt: at,
            bankAccount: bank.accountNumberMasked,
            bankName: bank.bankName ?? bank.accountBank,
          },
        },
        { state: 'AWAITING_CONFIRMATION' },
      );
      if (!confirmed)
        throw new AppError(
          'FUNDS.WITHDRAWAL_NOT_AWAITING',
          'This withdrawal is no longer waiting for confirmation. Start a new one.',
        );
      if (deps.config.oneWithdrawalADay) {
        const key = withdrawalDayKey(appid, day);
        if (await tx.get<DailyLimitDoc>('dailyLimits', key)) throw dailyLimit();
        await tx.insert<DailyLimitDoc>('dailyLimits', {
          _id: key,
          appid,
          date: day,
          withdrawalId: w._id,
          createdAt: at,
        });
      }
      // Refuses (and rolls everything back) if available is short now.
      await postInTransaction(tx, withdrawalEntry(appid, w._id, w.amountFen), now);
    });
  } catch (err) {
    const refusal = isDuplicate(err) ? dailyLimit() : err;
    if (
      lastAttempt ||
      (refusal instanceof AppError &&
        (refusal.code === 'FUNDS.WITHDRAWAL_DAILY_LIMIT' || refusal.code === 'FUNDS.INSUFFICIENT_BALANCE'))
    ) {
      // The challenge was spent on a withdrawal that cannot happen (or has no attempt left to retry with).
      await close(deps, w, refusal instanceof AppError ? refusal.message : 'The withdrawal could not be confirmed');
    }
    throw refusal;
  }
  const created = await mustGet<WithdrawalDoc>(store, 'withdrawals', w._id);
  await submit(deps, created, merchant.subMchid);
  return withdrawalView(await mustGet<WithdrawalDoc>(store, 'withdrawals', w._id));
}

export async function cancelWithdrawal(
  { deps, identity }: CallContext,
  { withdrawalId }: { withdrawalId: string },
): Promise<WithdrawalView> {
  const w = await ownWithdrawal(deps, identity.appid, withdrawalId);
  if (!(await close(deps, w, 'Cancelled'))) {
    throw new AppError('FUNDS.WITHDRAWAL_NOT_AWAITING', 'Only a withdrawal waiting for confirmation can be cancelled');
  }
  return withdrawalView(await mustGet<WithdrawalDoc>(deps.store, 'withdrawals', w._id));
}

export async function listWithdrawals(
  { deps, identity }: CallContext,
  { after, limit }: PageRequest,
): Promise<WithdrawalPage> {
  const page = await findPage<WithdrawalDoc>(deps.store, 'withdrawals', {
    where: { appid: identity.appid },
    orderBy: [['createdAt', 'desc']],
    limit: limit ?? 20,
    after,
  });
  return { items: page.items.map(withdrawalView), ...(page.next ? { next: page.next } : {}) };
}

export async function getWithdrawal({ deps, identity }: CallContext, { id }: { id: string }): Promise<WithdrawalView> {
  return withdrawalView(await ownWithdrawal(deps, identity.appid, id));
}

export interface WithdrawalPollResult {
  closed: number;
  submitted: number;
  paid: number;
  failed: number;
  returned: number;
}

/**
 * The poll-withdrawals job: closes expired challenges, asks WeChat Pay about
 * every withdrawal on its way (resending one it never received), and watches
 * paid ones for a few days in case the bank bounces them.
 */
export async function pollWithdrawals(deps: Deps): Promise<WithdrawalPollResult> {
  const { clock, log } = deps;
  const pay = deps.pay;
  const merchantOf = merchantCache(deps);
  const result: WithdrawalPollResult = { closed: 0, submitted: 0, paid: 0, failed: 0, returned: 0 };
  const now = clock.now();

  await eachOf(deps, 'AWAITING_CONFIRMATION', undefined, async (w) => {
    if (isExpired(w.challenge, now) && (await close(deps, w, 'The identity check expired'))) result.closed++;
  });

  const apply = async (w: WithdrawalDoc, merchant: MerchantDoc) => {
    const found = await pay.queryWithdraw(merchant.subMchid, w._id);
    if (!found) {
      if (w.state === 'CREATED' && !w.withdrawId) {
        await submit(deps, w, merchant.subMchid);
        result.submitted++;
      }
      return;
    }
    const outcome = outcomeOf(found.status);
    if (outcome === 'in_flight') return;
    if (await finish(deps, w, outcome, found.reason)) result[outcome]++;
  };

  await eachOf(deps, 'CREATED', undefined, async (w) => {
    const merchant = await merchantOf(w.appid);
    if (merchant)
      await apply(w, merchant).catch((err) =>
        log.warn({ withdrawalId: w._id, err }, 'withdrawal query failed; retried next run'),
      );
  });

  const watchFrom = new Date(now.getTime() - RETURN_WATCH_MS).toISOString();
  await eachOf(deps, 'SUCCESS', watchFrom, async (w) => {
    const merchant = await merchantOf(w.appid);
    if (merchant)
      await apply(w, merchant).catch((err) =>
        log.warn({ withdrawalId: w._id, err }, 'withdrawal query failed; retried next run'),
      );
  });
  return result;
}

async function eachOf(
  deps: Deps,
  state: WithdrawalDoc['state'],
  updatedSince: string | undefined,
  run: (w: WithdrawalDoc) => Promise<void>,
): Promise<void> {
  let after: string | undefined;
  do {
    const page = await deps.store.find<WithdrawalDoc>('withdrawals', {
      where: updatedSince ? { state, updatedAt: { $gte: updatedSince } } : { state },
      orderBy: [['updatedAt', 'asc']],
      limit: 50,
      after,
    });
    for (const w of page.items) await run(w);
    after = page.next;
  } while (after);
}
