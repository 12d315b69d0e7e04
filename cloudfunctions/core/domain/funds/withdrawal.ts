// Withdrawal rules. A withdrawal takes two calls: `request` (amount checked,
// a one-time challenge issued, no money moves) and `confirm` (the admin's
// identity check answers that challenge; only then does money move from
// available to withdrawing, in the same transaction that takes the day's one
// withdrawal slot). A single captured or replayed call therefore cannot move
// money: a request alone moves nothing, and a confirmation is bound to one
// challenge of one withdrawal of one admin, is single use, expires, and
// closes the withdrawal after a few wrong answers. Each answer takes one of
// those few attempts before it is looked at (however many arrive at once), and
// every failed answer gets the same reply, so a burst of guesses evaluates at
// most MAX_CONFIRM_ATTEMPTS of them and cannot tell the others apart.
// Only a withdrawal whose money left uses up the day: one that ends FAILED or
// RETURNED gives its day back.
import crypto from 'node:crypto';
import type { WithdrawStatus } from '../../ports/pay';
import { fieldProblem } from '../../../../miniprogram/shared/errors';
import { AppError } from '../../errors';

/**
 * Our states, with the original service's names (its withdrawal states were
 * BEFORE_SCAN_QRCODE, AFTER_SCAN_QRCODE, CREATE_SUCCESS, SUCCESS, FAIL,
 * REFUND, CLOSE, INIT).
 */
export type WithdrawalState =
  | 'AWAITING_CONFIRMATION' // BEFORE_SCAN_QRCODE: requested, identity check pending, nothing moved
  | 'CREATED' // AFTER_SCAN_QRCODE / CREATE_SUCCESS: confirmed, money in withdrawing, sent to WeChat Pay
  | 'SUCCESS' // SUCCESS: paid into the bank account
  | 'FAILED' // FAIL: the bank or WeChat Pay refused it; money back in available
  | 'RETURNED' // REFUND: paid out, then bounced back by the bank; money back in available
  | 'CLOSED'; // CLOSE: never confirmed (expired, cancelled, failed checks, refused at confirmation)

export const ORIGINAL_STATE: Record<WithdrawalState, string> = {
  AWAITING_CONFIRMATION: 'BEFORE_SCAN_QRCODE',
  CREATED: 'CREATE_SUCCESS',
  SUCCESS: 'SUCCESS',
  FAILED: 'FAIL',
  RETURNED: 'REFUND',
  CLOSED: 'CLOSE',
};

export const CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_CONFIRM_ATTEMPTS = 3;
/** WeChat Pay's own floor for a sub-merchant withdrawal is 1 fen; no ceiling but the balance. */
export const MIN_WITHDRAWAL_FEN = 1;
/**
 * After success a bank may still bounce the transfer (REFUND): WeChat Pay says
 * banks normally do so within 7 working days, with no limit when a bank is in
 * trouble, and its query answers for 90 days
 * (pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter7_8_3.shtml, 查询提现状态, notes 1-2).
 * 16 calendar days cover 7 working days across the longest public holiday
 * (National Day: 7 days off plus weekends); a later return shows in the
 * reconciliation with WeChat Pay's balance.
 */
export const RETURN_WATCH_MS = 16 * 24 * 3600_000;

/** Why a withdrawal closed when its attempts ran out. */
export const TOO_MANY_CHECKS = 'Too many failed identity checks';

/** The document id that is the day's one withdrawal: inserting it twice conflicts. */
export function withdrawalDayKey(appid: string, date: string): string {
  return `withdrawal-day:${appid}:${date}`;
}

export function assertWithdrawable(amountFen: number, availableFen: number): void {
  if (!Number.isSafeInteger(amountFen) || amountFen < MIN_WITHDRAWAL_FEN) {
    throw new AppError('INPUT.INVALID', 'Enter an amount of at least ¥0.01', {
      amountFen: fieldProblem('amountTooSmall', { minFen: MIN_WITHDRAWAL_FEN }),
    });
  }
  if (amountFen > availableFen) {
    throw new AppError('FUNDS.INSUFFICIENT_BALANCE', 'The amount is more than the available balance');
  }
}

/** Only money that left counts against the day: a withdrawal ending here gives its day back. */
export function freesTheDay(state: WithdrawalState): boolean {
  return state === 'FAILED' || state === 'RETURNED';
}

/** What WeChat Pay's status means for our withdrawal. */
export type ProviderOutcome = 'in_flight' | 'paid' | 'failed' | 'returned';

export function outcomeOf(status: WithdrawStatus): ProviderOutcome {
  switch (status) {
    case 'SUCCESS':
      return 'paid';
    case 'FAIL':
    case 'CLOSE':
      return 'failed';
    case 'REFUND':
      return 'returned';
    case 'INIT':
    case 'CREATE_SUCCESS':
      return 'in_flight';
  }
}

// ---- the one-time challenge -----------------------------------------------------

export type ChallengeMethod = 'soter' | 'code';

export interface StoredChallenge {
  method: ChallengeMethod;
  /** Random, single use; SOTER signs it on the device. */
  nonce: string;
  /** For the code method: sha256(nonce + code). The code itself is never stored. */
  codeHash?: string;
  expiresAt: string;
  attempts: number;
}

export function newNonce(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** A six-digit code, uniformly drawn. */
export function newCode(): string {
  return crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function codeHash(nonce: string, code: string): string {
  return crypto.createHash('sha256').update(`${nonce}\n${code}`).digest('hex');
}

export function codeMatches(challenge: StoredChallenge, code: string): boolean {
  if (!challenge.codeHash) return false;
  const a = Buffer.from(codeHash(challenge.nonce, code), 'hex');
  const b = Buffer.from(challenge.codeHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** What is left after the attempt numbered `attempt` (1-based) failed. */
export function attemptsLeftAfter(attempt: number): number {
  return Math.max(0, MAX_CONFIRM_ATTEMPTS - attempt);
}

/**
 * The one reply to every failed answer: wrong, out of attempts, or beaten to
 * the last attempt by a concurrent answer. It depends only on the attempts
 * left, never on the answer, so an answer that was not evaluated (say, the
 * right code inside a burst of guesses) cannot be told apart.
 */
export function identityCheckFailed(attemptsLeft: number): AppError<'FUNDS.IDENTITY_CHECK_FAILED'> {
  const left = Math.max(0, attemptsLeft);
  return new AppError(
    'FUNDS.IDENTITY_CHECK_FAILED',
    left > 0
      ? 'The identity check failed. Try again.'
      : 'The identity check failed and no attempts are left. Start the withdrawal again.',
    undefined,
    { attemptsLeft: left },
  );
}

export function isExpired(challenge: StoredChallenge, now: Date): boolean {
  return now.getTime() >= Date.parse(challenge.expiresAt);
}
