import { applicationStateLabel, isOpenApplication } from '../../../miniprogram/utils/application-state';
import { speak } from '../harness';

test("every applyment state has a label in the client's language; unknown ones show as themselves", () => {
  expect(applicationStateLabel('AUDITING')).toBe('审核中');
  expect(applicationStateLabel('REJECTED')).toBe('已驳回，需修改');
  expect(applicationStateLabel('TO_BE_SIGNED')).toBe('待签约');
  expect(applicationStateLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  expect(applicationStateLabel('toString')).toBe('toString');
  speak('en-US');
  expect(applicationStateLabel('AUDITING')).toBe('Under review');
  expect(applicationStateLabel('TO_BE_SIGNED')).toBe('Waiting for you to sign the contract');
});

test('open states', () => {
  expect(
    ['EDITING', 'AUDITING', 'REJECTED', 'TO_BE_CONFIRMED', 'TO_BE_SIGNED', 'SIGNING'].every(isOpenApplication),
  ).toBe(true);
  expect(isOpenApplication('FINISHED')).toBe(false);
  expect(isOpenApplication('CANCELED')).toBe(false);
});
