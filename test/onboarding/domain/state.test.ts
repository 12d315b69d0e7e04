// Every transition of the application, legal and illegal.
import type { ApplicationState } from '../../../typings/onboarding';
import type { ApplymentState } from '../../../cloudfunctions/core/ports/pay';
import {
  ALL_STATES,
  canTransition,
  type Cause,
  isEditable,
  observe,
  transition,
} from '../../../cloudfunctions/core/domain/onboarding/state';

const LEGAL: Array<[ApplicationState, ApplicationState, Cause]> = [
  ['EDITING', 'AUDITING', 'submit'],
  ['EDITING', 'CANCELED', 'cancel'],
  ['AUDITING', 'REJECTED', 'review'],
  ['AUDITING', 'TO_BE_CONFIRMED', 'review'],
  ['AUDITING', 'TO_BE_SIGNED', 'review'],
  ['AUDITING', 'SIGNING', 'review'],
  ['AUDITING', 'FINISHED', 'review'],
  ['AUDITING', 'CANCELED', 'review'],
  ['REJECTED', 'AUDITING', 'submit'],
  ['REJECTED', 'CANCELED', 'cancel'],
  ['TO_BE_CONFIRMED', 'TO_BE_SIGNED', 'review'],
  ['TO_BE_CONFIRMED', 'SIGNING', 'review'],
  ['TO_BE_CONFIRMED', 'FINISHED', 'review'],
  ['TO_BE_CONFIRMED', 'CANCELED', 'review'],
  ['TO_BE_SIGNED', 'SIGNING', 'review'],
  ['TO_BE_SIGNED', 'FINISHED', 'review'],
  ['TO_BE_SIGNED', 'CANCELED', 'review'],
  ['SIGNING', 'FINISHED', 'review'],
];

const key = (from: string, to: string, cause: string) => `${from}->${to}:${cause}`;
const legal = new Set(LEGAL.map(([f, t, c]) => key(f, t, c)));

test('exactly the listed transitions are legal, each only for its cause', () => {
  let illegal = 0;
  for (const from of ALL_STATES) {
    for (const to of ALL_STATES) {
      for (const cause of ['submit', 'cancel', 'review'] as Cause[]) {
        const expected = legal.has(key(from, to, cause));
        expect([key(from, to, cause), canTransition(from, to, cause)]).toEqual([key(from, to, cause), expected]);
        if (expected) {
          expect(transition(from, to, cause)).toBe(to);
        } else {
          illegal++;
          expect(() => transition(from, to, cause)).toThrow(
            expect.objectContaining({ code: 'ONBOARDING.ILLEGAL_TRANSITION' }),
          );
        }
      }
    }
  }
  expect(ALL_STATES).toHaveLength(8);
  expect(illegal).toBe(8 * 8 * 3 - LEGAL.length);
});

test('finished and canceled are final; only a draft or a rejected application is editable', () => {
  for (const to of ALL_STATES) {
    for (const cause of ['submit', 'cancel', 'review'] as Cause[]) {
      expect(canTransition('FINISHED', to, cause)).toBe(false);
      expect(canTransition('CANCELED', to, cause)).toBe(false);
    }
  }
  expect(ALL_STATES.filter(isEditable)).toEqual(['EDITING', 'REJECTED']);
});

test('the admin cannot approve, and the review cannot submit or cancel a draft', () => {
  expect(canTransition('AUDITING', 'FINISHED', 'submit')).toBe(false);
  expect(canTransition('EDITING', 'AUDITING', 'review')).toBe(false);
  expect(canTransition('EDITING', 'CANCELED', 'review')).toBe(false);
  expect(canTransition('TO_BE_SIGNED', 'CANCELED', 'cancel')).toBe(false);
});

describe('observing WeChat Pay', () => {
  test('maps applyment states, skipping states between polls', () => {
    expect(observe('AUDITING', 'APPLYMENT_STATE_FINISHED')).toBe('FINISHED');
    expect(observe('AUDITING', 'APPLYMENT_STATE_REJECTED')).toBe('REJECTED');
    expect(observe('TO_BE_CONFIRMED', 'APPLYMENT_STATE_TO_BE_SIGNED')).toBe('TO_BE_SIGNED');
  });

  test('no movement, a not-yet-reviewed applyment, and stale reads change nothing', () => {
    expect(observe('AUDITING', 'APPLYMENT_STATE_AUDITING')).toBe('same');
    expect(observe('AUDITING', 'APPLYMENT_STATE_EDITTING')).toBe('same');
    expect(observe('TO_BE_SIGNED', 'APPLYMENT_STATE_AUDITING')).toBe('ignored');
    expect(observe('FINISHED', 'APPLYMENT_STATE_SIGNING')).toBe('ignored');
    expect(observe('AUDITING', 'APPLYMENT_STATE_UNKNOWN' as ApplymentState)).toBe('same');
  });
});
