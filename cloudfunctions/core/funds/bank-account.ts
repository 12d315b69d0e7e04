// The settlement bank account: view (masked), change through WeChat Pay's
// asynchronous review, and the poll that applies review decisions. The
// account in force only changes when WeChat Pay approves; until then every
// withdrawal still goes to the old one.
import type { BankAccountStatus } from '../../../typings/funds';
import {
  BANK_CHANGES_PER_DAY,
  type BankAccountInput,
  BANKS,
  bankChangeDayKey,
  INDIVIDUAL,
  OTHER_BANK,
  toSettlementAccount,
  validateAccount,
} from '../domain/funds/bank-account';
import { beijingDate } from '../../../miniprogram/shared/beijing';
import { fieldProblem } from '../../../miniprogram/shared/errors';
import { AppError } from '../errors';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import type { BankAccountDoc, BankChangeDoc, DailyLimitDoc } from './docs';
import type { MerchantDoc } from '../merchants/merchant';
import { boundMerchant, merchantCache, operatorNameOf } from '../merchants/merchant';
import { sealAccount } from './record-account';
import { isRefusal } from '../ports/pay';
import { accountView, bankChangeView } from './views';

/** A change stuck in SUBMITTING this long lost its process between our write and WeChat's answer. */
const STUCK_SUBMITTING_MS = 10 * 60_000;

/** The bank account document; onboarding records the first account when it binds the merchant. */
export function accountDoc(deps: Deps, appid: string): Promise<BankAccountDoc | null> {
  return deps.store.get<BankAccountDoc>('bankAccounts', appid);
}

const dailyLimit = () =>
  new AppError(
    'FUNDS.BANK_CHANGE_DAILY_LIMIT',
    `The bank account can be changed at most ${BANK_CHANGES_PER_DAY} times a day. Try again tomorrow.`,
    undefined,
    {
      perDay: BANK_CHANGES_PER_DAY,
    },
  );
const providerUnavailable = () =>
  new AppError('FUNDS.PROVIDER_UNAVAILABLE', 'WeChat Pay could not be reached. Please try again in a moment.');
const inReview = () =>
  new AppError('FUNDS.BANK_CHANGE_IN_REVIEW', 'A bank account change is already in review. Wait for its result first.');
const unconfirmed = () =>
  new AppError(
    'FUNDS.BANK_CHANGE_UNCONFIRMED',
    "WeChat Pay did not answer in time, so the change may have been received. It is waiting for WeChat Pay's answer; no need to submit it again.",
  );

/** Shown on a change in UNKNOWN. */
export const UNKNOWN_REASON =
  "Waiting for WeChat Pay's answer: the request was sent but no answer came, so it may have been received. Support will confirm it with WeChat Pay; no other change can be made until then.";

async function status(deps: Deps, merchant: MerchantDoc): Promise<BankAccountStatus> {
  const { store, clock } = deps;
  const appid = merchant.appid;
  const [doc, counter] = await Promise.all([
    accountDoc(deps, appid),
    store.get<DailyLimitDoc>('dailyLimits', bankChangeDayKey(appid, beijingDate(clock.now()))),
  ]);
  const latest = doc?.latestChangeId ? await store.get<BankChangeDoc>('bankChanges', doc.latestChangeId) : null;
  return {
    current: doc?.current ? { ...accountView(doc.current), since: doc.since ?? doc.updatedAt } : null,
    latestChange: latest ? bankChangeView(latest) : null,
    changesLeftToday: Math.max(0, BANK_CHANGES_PER_DAY - (counter?.count ?? 0)),
    personalAllowed: merchant.subjectType === INDIVIDUAL,
    banks: [...BANKS],
    otherBank: OTHER_BANK,
  };
}

export async function getBankAccount({ deps, identity }: CallContext): Promise<BankAccountStatus> {
  return status(deps, await boundMerchant(deps, identity.appid));
}

export async function changeBankAccount(
  { deps, identity, miniProgram, log }: CallContext,
  input: BankAccountInput,
): Promise<BankAccountStatus> {
  const { store, clock, sealer, ids } = deps;
  const appid = identity.appid;
  const merchant = await boundMerchant(deps, appid);
  const account = validateAccount(input, {
    entityName: miniProgram.entity.name,
    subjectType: merchant.subjectType,
    operatorName: operatorNameOf(deps, merchant),
  });

  const existing = await accountDoc(deps, appid);
  if (existing?.pendingChangeId) throw inReview();
  if (
    existing?.current &&
    existing.current.accountBank === account.accountBank &&
    sealer.open(existing.current.accountNumberSealed) === account.accountNumber
  ) {
    throw new AppError('FUNDS.BANK_ACCOUNT_UNCHANGED', 'This is already the account in use', {
      accountNumber: fieldProblem('sameAsCurrent'),
    });
  }

  const now = clock.now();
  const at = now.toISOString();
  const day = beijingDate(now);
  const change: BankChangeDoc = {
    _id: ids.next('bc'),
    appid,
    state: 'SUBMITTING',
    account: sealAccount(sealer, account),
    requestedBy: identity.openid,
    day,
    submittedAt: at,
    createdAt: at,
    updatedAt: at,
  };
  // The day's allowance, the one-in-review rule and the request itself
  // commit together: a refused request leaves no trace.
  await store.transaction(async (tx) => {
    const key = bankChangeDayKey(appid, day);
    const counter = await tx.get<DailyLimitDoc>('dailyLimits', key);
    if (!counter)
      await tx.insert<DailyLimitDoc>('dailyLimits', { _id: key, appid, date: day, count: 1, createdAt: at });
    else if (!(await tx.update('dailyLimits', key, { inc: { count: 1 } }, { count: { $lt: BANK_CHANGES_PER_DAY } })))
      throw dailyLimit();
    const doc = await tx.get<BankAccountDoc>('bankAccounts', appid);
    if (!doc) {
      await tx.insert<BankAccountDoc>('bankAccounts', {
        _id: appid,
        appid,
        current: null,
        since: null,
        pendingChangeId: change._id,
        latestChangeId: change._id,
        updatedAt: at,
      });
    } else if (
      !(await tx.update(
        'bankAccounts',
        appid,
        { set: { pendingChangeId: change._id, latestChangeId: change._id, updatedAt: at } },
        { pendingChangeId: null },
      ))
    ) {
      throw inReview();
    }
    await tx.insert<BankChangeDoc>('bankChanges', change);
  });

  try {
    const { applicationNo } = await deps.pay.modifySettlement(merchant.subMchid, toSettlementAccount(account));
    await store.update(
      'bankChanges',
      change._id,
      { set: { state: 'AUDITING', applicationNo, updatedAt: clock.now().toISOString() } },
      { state: 'SUBMITTING' },
    );
  } catch (err) {
    const refused = isRefusal(err);
    log.warn({ changeId: change._id, code: refused ? err.code : undefined }, 'bank account change not accepted');
    if (refused) {
      // A refusal did not count at WeChat Pay, so it gives the day's slot back.
      await endChange(deps, change, 'FAILED', `WeChat Pay refused the change: ${err.message}`, true);
      throw new AppError('FUNDS.BANK_CHANGE_REFUSED', `WeChat Pay refused the change: ${err.message}`, undefined, {
        providerCode: err.code,
      });
    }
    // No answer: WeChat Pay may have accepted it and may approve it, so it
    // is not FAILED. It stays pending (no other change meanwhile) and
    // keeps the day's slot until it is resolved.
    if (!(await markUnknown(deps, change))) throw providerUnavailable();
    throw unconfirmed();
  }
  return status(deps, merchant);
}

/** Ends a change that is not in force: the account doc lets go of it, optionally the day's slot is returned. */
async function endChange(
  deps: Deps,
  change: BankChangeDoc,
  state: 'FAILED' | 'REJECTED',
  reason: string,
  releaseSlot: boolean,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const from = state === 'REJECTED' ? 'AUDITING' : change.state;
    if (
      !(await tx.update(
        'bankChanges',
        change._id,
        { set: { state, reason, decidedAt: at, updatedAt: at } },
        { state: from },
      ))
    )
      return false;
    await tx.update(
      'bankAccounts',
      change.appid,
      { set: { pendingChangeId: null, updatedAt: at } },
      { pendingChangeId: change._id },
    );
    if (releaseSlot)
      await tx.update(
        'dailyLimits',
        bankChangeDayKey(change.appid, change.day),
        { inc: { count: -1 } },
        { count: { $gt: 0 } },
      );
    return true;
  });
}

/** SUBMITTING -> UNKNOWN, still pending on the account doc; false if it had already moved on. */
async function markUnknown(deps: Deps, change: BankChangeDoc): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return deps.store.update(
    'bankChanges',
    change._id,
    { set: { state: 'UNKNOWN', reason: UNKNOWN_REASON, updatedAt: at } },
    { state: 'SUBMITTING' },
  );
}

/**
 * Manual resolution of an UNKNOWN change, after support has looked it up on
 * the Merchant Platform: with WeChat's application number it goes back into
 * review (the poll then applies WeChat Pay's decision); with null WeChat Pay
 * never received it and it ends FAILED (the day's slot is not given back:
 * the day is usually over, and the count is a ceiling, not a promise).
 */
export async function resolveUnknownBankChange(
  deps: Deps,
  changeId: string,
  applicationNo: string | null,
): Promise<boolean> {
  const change = await deps.store.get<BankChangeDoc>('bankChanges', changeId);
  if (change?.state !== 'UNKNOWN') return false;
  if (applicationNo === null) return endChange(deps, change, 'FAILED', 'WeChat Pay never received the request', false);
  const at = deps.clock.now().toISOString();
  return deps.store.update(
    'bankChanges',
    changeId,
    { set: { state: 'AUDITING', applicationNo, reason: null, updatedAt: at } },
    { state: 'UNKNOWN' },
  );
}

async function approveChange(deps: Deps, change: BankChangeDoc): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    if (
      !(await tx.update(
        'bankChanges',
        change._id,
        { set: { state: 'APPROVED', decidedAt: at, updatedAt: at } },
        { state: 'AUDITING' },
      ))
    )
      return false;
    await tx.update('bankAccounts', change.appid, {
      set: { current: change.account, since: at, pendingChangeId: null, updatedAt: at },
    });
    return true;
  });
}

export interface BankPollResult {
  checked: number;
  approved: number;
  rejected: number;
  abandoned: number;
}

/** Applies WeChat Pay's review decisions to changes in review (the poll-bank-changes job). */
export async function pollBankChanges(deps: Deps): Promise<BankPollResult> {
  const { store, clock, log } = deps;
  const pay = deps.pay;
  const merchantOf = merchantCache(deps);
  const result: BankPollResult = { checked: 0, approved: 0, rejected: 0, abandoned: 0 };
  let after: string | undefined;
  do {
    const page = await store.find<BankChangeDoc>('bankChanges', {
      where: { state: 'AUDITING' },
      orderBy: [['updatedAt', 'asc']],
      limit: 50,
      after,
    });
    for (const change of page.items) {
      const merchant = await merchantOf(change.appid);
      if (!merchant || !change.applicationNo) continue;
      result.checked++;
      try {
        const review = await pay.querySettlementModification(merchant.subMchid, change.applicationNo);
        if (review.state === 'AUDIT_SUCCESS' && (await approveChange(deps, change))) result.approved++;
        if (
          review.state === 'AUDIT_FAIL' &&
          (await endChange(deps, change, 'REJECTED', review.reason || 'WeChat Pay rejected the account', false))
        )
          result.rejected++;
      } catch (err) {
        log.warn({ changeId: change._id, err }, 'bank change review query failed; retried next run');
      }
    }
    after = page.next;
  } while (after);

  // A request whose process died between our write and WeChat Pay's answer
  // may have reached WeChat Pay: it is UNKNOWN like a timeout, not FAILED.
  // (`abandoned` counts these.)
  const stuckBefore = new Date(clock.now().getTime() - STUCK_SUBMITTING_MS).toISOString();
  const stuck = await store.find<BankChangeDoc>('bankChanges', {
    where: { state: 'SUBMITTING', updatedAt: { $lt: stuckBefore } },
    orderBy: [['updatedAt', 'asc']],
    limit: 50,
  });
  for (const change of stuck.items) {
    if (await markUnknown(deps, change)) result.abandoned++;
  }

  // UNKNOWN changes are not resubmitted: modify-settlement takes no request
  // id, so a resubmission is not idempotent. While the first is in review
  // WeChat Pay refuses it (and its application number stays unknown to us);
  // once the first is decided it opens a second review and uses another of
  // the day's five. They wait for resolveUnknownBankChange; say so each run.
  const unknown = await store.find<BankChangeDoc>('bankChanges', {
    where: { state: 'UNKNOWN' },
    orderBy: [['updatedAt', 'asc']],
    limit: 50,
  });
  for (const change of unknown.items) {
    log.error(
      { changeId: change._id, appid: change.appid, since: change.submittedAt },
      'bank change outcome unknown: look it up on the Merchant Platform and resolve it (resolveUnknownBankChange)',
    );
  }
  return result;
}
