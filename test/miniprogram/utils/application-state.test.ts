import { applicationStateLabel, isOpenApplication } from '../../../miniprogram/utils/application-state';

test('every applyment state has a label; unknown ones show as themselves', () => {
  expect(applicationStateLabel('AUDITING')).toBe('Under review');
  expect(applicationStateLabel('REJECTED')).toBe('Rejected: changes needed');
  expect(applicationStateLabel('TO_BE_SIGNED')).toBe('Waiting for you to sign the contract');
  expect(applicationStateLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  expect(applicationStateLabel('toString')).toBe('toString');
});

test('open states', () => {
  expect(
    ['EDITING', 'AUDITING', 'REJECTED', 'TO_BE_CONFIRMED', 'TO_BE_SIGNED', 'SIGNING'].every(isOpenApplication),
  ).toBe(true);
  expect(isOpenApplication('FINISHED')).toBe(false);
  expect(isOpenApplication('CANCELED')).toBe(false);
});
