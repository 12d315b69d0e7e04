// Claiming the merchant admin role with the mini program's own one-time
// setup code (only where its registration lists no admins).
//
// Claims are rate limited before any code is compared: each attempt first
// takes a slot, atomically, from two counters (the caller's and the mini
// program's; fixed windows, conditional increments in the Store), so parallel
// guesses cannot all be evaluated; while either counter is full, every
// attempt is refused, even one with the right code.
import crypto from 'node:crypto';
import { type MiniProgramRecord, setupCodeProblem } from '../config';
import { AppError } from '../errors';
import { isDuplicate } from '../ports/store';
import type { Deps } from '../runtime/deps';
import type { AdminDoc } from '../runtime/roles';

/**
 * Claim attempts allowed per window. Per caller: a few typos. Per mini
 * program: what many accounts together may try before everyone waits. Each
 * attempt (right or wrong) takes a slot before its code is compared, so an
 * attacker gets at most 20 guesses per mini program per 15 minutes (80 an
 * hour): against a 6-digit local code about 260 days for an even chance,
 * against a 128-bit cloud code never. The price: accounts guessing at a
 * mini program can make its real admin wait out a window too.
 */
export const CLAIM_LIMITS = { perCaller: 5, perMiniProgram: 20, windowMs: 15 * 60_000 } as const;

export type ClaimScope = 'caller' | 'miniProgram';

/** One attempt counter: a fixed window that opens with its first attempt. */
export interface ClaimAttemptsDoc {
  _id: string; // caller:<appid>:<openid> | miniProgram:<appid>
  appid: string;
  scope: ClaimScope;
  attempts: number;
  windowStart: string;
  windowEnds: string;
  /** Whether this window's lockout has been logged (once per window). */
  lockLogged: boolean;
  [field: string]: unknown;
}

const ATTEMPTS = 'claimAttempts';

export async function claimAdmin(
  deps: Deps,
  miniProgram: MiniProgramRecord,
  openid: string,
  code: string,
): Promise<void> {
  const { appid } = miniProgram;
  if (miniProgram.admins.length > 0) {
    throw new AppError(
      'AUTH.ADMINS_CONFIGURED',
      "This mini program's merchant admins are set in its registration; the role cannot be claimed",
    );
  }
  const expected = miniProgram.setupCode;
  const problem =
    expected === undefined ? deps.config.setupCodeProblems[appid] : setupCodeProblem(expected, deps.config.mode);
  if (expected === undefined || problem) {
    if (problem)
      deps.log.error(
        { appid, problem },
        'setup code refused by the configuration: claims are disabled for this mini program',
      );
    throw new AppError('AUTH.SETUP_CODE_DISABLED', 'No setup code is configured for this mini program');
  }
  // Spent: nothing more to guess (and no attempt is taken).
  if (await deps.store.get<AdminDoc>('admins', appid)) throw alreadyClaimed();

  const now = deps.clock.now();
  await takeAttempt(
    deps,
    { scope: 'caller', id: `caller:${appid}:${openid}`, appid, limit: CLAIM_LIMITS.perCaller },
    now,
  );
  await takeAttempt(
    deps,
    { scope: 'miniProgram', id: `miniProgram:${appid}`, appid, limit: CLAIM_LIMITS.perMiniProgram },
    now,
  );

  if (!sameCode(code, expected)) throw new AppError('AUTH.SETUP_CODE_INVALID', 'That setup code is not right');
  try {
    // The id is the appid, so only the first claim can ever be inserted: the code is spent.
    await deps.store.insert<AdminDoc>('admins', {
      _id: appid,
      appid,
      openid,
      claimedAt: now.toISOString(),
      via: 'setup-code',
    });
  } catch (err) {
    if (isDuplicate(err)) throw alreadyClaimed();
    throw err;
  }
  deps.log.info({ appid }, 'merchant admin role claimed with the setup code');
}

function alreadyClaimed(): AppError {
  return new AppError(
    'AUTH.ADMIN_ALREADY_CLAIMED',
    'The merchant admin role of this mini program has already been claimed',
  );
}

/** Constant time whatever the lengths: compares digests. */
function sameCode(given: string, expected: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

interface Counter {
  scope: ClaimScope;
  id: string;
  appid: string;
  limit: number;
}

/**
 * Takes one attempt from a counter, or throws AUTH.CLAIM_LOCKED. Only
 * conditional writes decide: an increment while the window is open and has
 * room; the insert that opens the first window; the reset of a window that is
 * over (its condition lets one racer win). A read only chooses between
 * refusing (always safe) and trying again, and supplies retryAt.
 */
async function takeAttempt(deps: Deps, counter: Counter, now: Date): Promise<void> {
  const { store } = deps;
  const at = now.toISOString();
  const fresh = {
    attempts: 1,
    windowStart: at,
    windowEnds: new Date(now.getTime() + CLAIM_LIMITS.windowMs).toISOString(),
    lockLogged: false,
  };
  for (let round = 0; round < 3; round++) {
    if (
      await store.update(
        ATTEMPTS,
        counter.id,
        { inc: { attempts: 1 } },
        { windowEnds: { $gt: at }, attempts: { $lt: counter.limit } },
      )
    )
      return;
    try {
      await store.insert<ClaimAttemptsDoc>(ATTEMPTS, {
        _id: counter.id,
        appid: counter.appid,
        scope: counter.scope,
        ...fresh,
      });
      return;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
    if (await store.update(ATTEMPTS, counter.id, { set: fresh }, { windowEnds: { $lte: at } })) return;
    // Full, unless another attempt just opened a new window: then try again.
    const doc = await store.get<ClaimAttemptsDoc>(ATTEMPTS, counter.id);
    if (doc && doc.windowEnds > at && doc.attempts >= counter.limit) {
      if (
        await store.update(
          ATTEMPTS,
          counter.id,
          { set: { lockLogged: true } },
          { lockLogged: false, windowEnds: doc.windowEnds },
        )
      ) {
        deps.log.warn(
          { appid: counter.appid, scope: counter.scope, limit: counter.limit, retryAt: doc.windowEnds },
          'setup code claims locked: too many attempts',
        );
      }
      throw locked(counter.scope, doc.windowEnds);
    }
  }
  // Still contended after three rounds: refuse rather than evaluate unmetered.
  throw locked(counter.scope, new Date(now.getTime() + CLAIM_LIMITS.windowMs).toISOString());
}

function locked(scope: ClaimScope, retryAt: string): AppError<'AUTH.CLAIM_LOCKED'> {
  const who = scope === 'caller' ? 'from this account' : 'for this mini program';
  return new AppError(
    'AUTH.CLAIM_LOCKED',
    `Too many setup code attempts ${who}. Try again after ${retryAt}`,
    undefined,
    { retryAt },
  );
}
