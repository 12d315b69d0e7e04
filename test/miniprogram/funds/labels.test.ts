// Funds words: raw states never reach people, and a new backend state has its label.
import type { BankAccountStatus } from '../../../typings/funds';
import { bankView } from '../../../miniprogram/packages/funds/pages/bank-account/view';
import { BANK_CHANGE_STATES, orderStateLabel } from '../../../miniprogram/packages/funds/utils/labels';

test("a linked order's state reads as words", () => {
  expect(orderStateLabel('CREATED')).toBe('Awaiting payment');
  expect(orderStateLabel('PAYING')).toBe('Awaiting payment');
  expect(orderStateLabel('CLOSED')).toBe('Closed');
  expect(orderStateLabel('SOMETHING_NEW')).toBe('Status unknown');
});

test('a bank change WeChat Pay has not answered yet: waiting, not failed, and no other change meanwhile', () => {
  expect(BANK_CHANGE_STATES.UNKNOWN).toEqual({ label: "Waiting for WeChat Pay's answer", theme: 'warning' });
  const account = {
    accountType: 'CORPORATE',
    accountBank: '招商银行',
    accountName: 'S***',
    accountNumber: '**** **** 5678',
  };
  const view = bankView({
    current: null,
    latestChange: { id: 'c1', state: 'UNKNOWN', account, submittedAt: '2026-01-01T00:00:00Z' },
    changesLeftToday: 4,
    personalAllowed: false,
    banks: [],
  } as unknown as BankAccountStatus);
  expect(view.change).toMatchObject({ label: "Waiting for WeChat Pay's answer", inReview: true });
  expect(view.canChange).toBe(false);
  expect(view.changeHint).toContain("Waiting for WeChat Pay's answer");
});
