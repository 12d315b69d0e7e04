// The application's life, as WeChat Pay's applyment states. The admin moves
// it by submitting or cancelling; WeChat Pay's review moves it after that.
// The review is observed by polling, so an observation may skip states that
// happened between two polls (AUDITING straight to FINISHED): every forward
// jump the review can make is listed.
import type { ApplicationState } from '../../../../typings/onboarding';
import type { ApplymentState } from '../../ports/pay';
import { OnboardingErrors } from './errors';

export type Cause = 'submit' | 'cancel' | 'review';

const NEXT: Record<ApplicationState, Partial<Record<ApplicationState, Cause>>> = {
  EDITING: { AUDITING: 'submit', CANCELED: 'cancel' },
  AUDITING: {
    REJECTED: 'review',
    TO_BE_CONFIRMED: 'review',
    TO_BE_SIGNED: 'review',
    SIGNING: 'review',
    FINISHED: 'review',
    CANCELED: 'review',
  },
  // Fix and resubmit (same business code, which replaces the rejected applyment), or give up.
  REJECTED: { AUDITING: 'submit', CANCELED: 'cancel' },
  TO_BE_CONFIRMED: { TO_BE_SIGNED: 'review', SIGNING: 'review', FINISHED: 'review', CANCELED: 'review' },
  TO_BE_SIGNED: { SIGNING: 'review', FINISHED: 'review', CANCELED: 'review' },
  SIGNING: { FINISHED: 'review' },
  FINISHED: {},
  CANCELED: {},
};

export const ALL_STATES = Object.keys(NEXT) as ApplicationState[];

/** States WeChat Pay is working on: the polling job watches these. */
export const UNDER_REVIEW: readonly ApplicationState[] = ['AUDITING', 'TO_BE_CONFIRMED', 'TO_BE_SIGNED', 'SIGNING'];

/** States in which the admin may still change the application. */
export function isEditable(state: ApplicationState): boolean {
  return state === 'EDITING' || state === 'REJECTED';
}

/** An application that blocks a new one: everything but CANCELED. */
export function isActive(state: ApplicationState): boolean {
  return state !== 'CANCELED';
}

export function canTransition(from: ApplicationState, to: ApplicationState, cause: Cause): boolean {
  return NEXT[from][to] === cause;
}

/** Returns the new state, or throws ONBOARDING.ILLEGAL_TRANSITION. */
export function transition(from: ApplicationState, to: ApplicationState, cause: Cause): ApplicationState {
  if (!canTransition(from, to, cause)) throw OnboardingErrors.illegalTransition(from, to);
  return to;
}

const FROM_WECHAT: Record<ApplymentState, ApplicationState | null> = {
  // A submitted applyment that WeChat Pay shows as still editing has not
  // reached review yet: nothing to move.
  APPLYMENT_STATE_EDITTING: null,
  APPLYMENT_STATE_AUDITING: 'AUDITING',
  APPLYMENT_STATE_REJECTED: 'REJECTED',
  APPLYMENT_STATE_TO_BE_CONFIRMED: 'TO_BE_CONFIRMED',
  APPLYMENT_STATE_TO_BE_SIGNED: 'TO_BE_SIGNED',
  APPLYMENT_STATE_SIGNING: 'SIGNING',
  APPLYMENT_STATE_FINISHED: 'FINISHED',
  APPLYMENT_STATE_CANCELED: 'CANCELED',
};

export function fromWechat(state: ApplymentState): ApplicationState | null {
  return Object.hasOwn(FROM_WECHAT, state) ? FROM_WECHAT[state] : null;
}

/**
 * What a review observation does to the local state: the new state, `same`
 * when nothing moved, or `ignored` when the observation would go backwards
 * (a stale read) and must not be applied.
 */
export function observe(current: ApplicationState, remote: ApplymentState): ApplicationState | 'same' | 'ignored' {
  const next = fromWechat(remote);
  if (next === null || next === current) return 'same';
  return canTransition(current, next, 'review') ? next : 'ignored';
}
