// Funds words: raw states never reach people, a new backend state has its
// label, and each language says every value in its own words.
import type { BankAccountStatus, WithdrawalView } from '../../../typings/funds';
import { bankView } from '../../../miniprogram/packages/funds/pages/bank-account/view';
import { dashboardView } from '../../../miniprogram/packages/funds/pages/dashboard/view';
import { detailView } from '../../../miniprogram/packages/funds/pages/transaction/view';
import { enUS } from '../../../miniprogram/packages/funds/i18n/en-US';
import { zhCN } from '../../../miniprogram/packages/funds/i18n/zh-CN';
import {
  bankChangeState,
  filterOptions,
  mismatchLabel,
  orderStateLabel,
  reconciliationState,
  typeLabel,
  withdrawalRowView,
  withdrawalState,
} from '../../../miniprogram/packages/funds/utils/labels';
import { TRANSACTION_TYPES } from '../../../miniprogram/shared/transaction-types';
import { speak } from '../harness';

const CJK = /[\u4e00-\u9fff]/;

/** Every string of a catalogue. */
function leaves(o: object): string[] {
  return Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v)));
}

test('the English catalogue has no Chinese left in it, the Chinese one no English words', () => {
  for (const words of leaves(enUS)) expect(words).not.toMatch(CJK);
  // Latin letters in Chinese: only WeChat's own (T+1), file names and the identity-code log.
  const latin = leaves(zhCN).flatMap((words) => words.replace(/\{\w+\}/g, '').match(/[A-Za-z]{2,}/g) ?? []);
  expect(new Set(latin)).toEqual(new Set(['data', 'identity', 'codes', 'log']));
});

test("a linked order's state reads as words, an unknown one as such", () => {
  expect(orderStateLabel('CREATED')).toBe('待支付');
  expect(orderStateLabel('PAYING')).toBe('待支付');
  expect(orderStateLabel('PAID')).toBe('支付成功');
  expect(orderStateLabel('CLOSED')).toBe('已关闭');
  expect(orderStateLabel('SOMETHING_NEW')).toBe('状态未知');
  expect(orderStateLabel('toString')).toBe('状态未知');
});

test('states in WeChat Pay terms, each with its tag colour', () => {
  expect(withdrawalState('CREATED')).toEqual({ label: '处理中', theme: 'primary' });
  expect(withdrawalState('SUCCESS')).toEqual({ label: '已到账', theme: 'success' });
  expect(withdrawalState('RETURNED')).toEqual({ label: '已退回', theme: 'danger' });
  expect(reconciliationState('MATCHED')).toEqual({ label: '对账一致', theme: 'success' });
  expect(mismatchLabel('FEE_MISMATCH')).toBe('手续费不一致');
  expect(mismatchLabel('A_NEW_KIND')).toBe('其他差异');
});

test('the type words and the filter: every entry type, payouts and adjustments included', () => {
  expect(TRANSACTION_TYPES.map(typeLabel)).toEqual([
    '收款',
    '手续费',
    '退款',
    '结算',
    '提现',
    '提现到账',
    '提现退回',
    '调账',
  ]);
  expect(filterOptions().map((f) => f.value)).toEqual(['', ...TRANSACTION_TYPES]);
  expect(filterOptions()[0].label).toBe('全部');

  speak('en-US');
  expect(typeLabel('withdrawal_paid')).toBe('Paid to bank');
  expect(filterOptions().map((f) => f.label)).toEqual([
    'All',
    'Payments',
    'Fees',
    'Refunds',
    'Settlements',
    'Withdrawals',
    'Paid to bank',
    'Returned',
    'Adjustments',
  ]);
});

test('a bank change WeChat Pay has not answered yet: waiting, not failed, and no other change meanwhile', () => {
  expect(bankChangeState('UNKNOWN')).toEqual({ label: '等待微信支付结果', theme: 'warning' });
  const account = {
    accountType: 'CORPORATE',
    accountBank: '招商银行',
    accountName: 'S**',
    accountNumber: '**** **** 5678',
  };
  const status = {
    current: null,
    latestChange: { id: 'c1', state: 'UNKNOWN', account, submittedAt: '2026-01-01T00:00:00Z', reason: 'server note' },
    changesLeftToday: 4,
    personalAllowed: false,
    banks: [],
  } as unknown as BankAccountStatus;
  const view = bankView(status);
  expect(view.change).toMatchObject({ label: '等待微信支付结果', inReview: true, reason: '' });
  expect(view.canChange).toBe(false);
  expect(view.changeHint).toBe('正在等待微信支付的审核结果，审核通过前仍使用当前账户');

  speak('en-US');
  expect(bankView(status).changeHint).toContain("Waiting for WeChat Pay's answer");
  expect(bankView(status).change?.label).toBe('Waiting for WeChat Pay');
});

test('a rejected change shows WeChat Pay’s reason; changes left are counted', () => {
  const status = {
    current: null,
    latestChange: {
      id: 'c1',
      state: 'REJECTED',
      account: { accountType: 'CORPORATE', accountBank: '招商银行', accountName: 'S**', accountNumber: '**** 5678' },
      submittedAt: '2026-01-01T00:00:00Z',
      reason: '开户名称与营业执照不一致',
    },
    changesLeftToday: 3,
    personalAllowed: false,
    banks: [],
  } as unknown as BankAccountStatus;
  expect(bankView(status).change).toMatchObject({ label: '已驳回', reason: '开户名称与营业执照不一致' });
  expect(bankView(status).changeHint).toBe('今日还可修改 3 次');
  expect(bankView({ ...status, changesLeftToday: 0 }).changeHint).toBe('结算账户每天最多修改 5 次，请明天再试');
});

test('a withdrawal row: the amount, when and where it went, and its state once (no title repeating the tag)', () => {
  const w: WithdrawalView = {
    id: 'wd1',
    amountFen: 123456789,
    state: 'CREATED',
    originalState: 'CREATE_SUCCESS',
    createdAt: '2026-01-06T02:00:00.000Z',
    bankName: '招商银行',
    bankAccount: '**** **** 1234',
  };
  const row = withdrawalRowView(w);
  expect({ ...row, description: row.description.replace(/\u00a0/g, ' ') }).toEqual({
    id: 'wd1',
    amount: '¥1,234,567.89',
    description: '2026-01-06 10:00 · 招商银行 **** **** 1234',
    label: '处理中',
    theme: 'primary',
  });
  // The masked number never breaks across lines.
  expect(row.description).toContain('招商银行 ****\u00a0****\u00a01234');
  const { bankName: _n, bankAccount: _a, ...bare } = w;
  expect(withdrawalRowView(bare).description).toBe('2026-01-06 10:00');
});

test('the dashboard in both languages: the settlement period and why a withdrawal cannot start', () => {
  const overview = {
    service: 'active',
    balances: { availableFen: 0, pendingFen: 100, withdrawingFen: 0 },
    settlementDays: 1,
    withdrawnToday: false,
    merchantBound: true,
    bankAccount: null,
    recent: [],
    latestReconciliation: { billDate: '2026-01-05', state: 'MISMATCHED' },
  } as never;
  expect(dashboardView(overview)).toMatchObject({
    settlementHint: 'T+1 可用',
    withdrawHint: '请先设置结算账户',
    reconciliation: { note: '2026-01-05 · 有差异' },
  });
  speak('en-US');
  expect(dashboardView(overview)).toMatchObject({
    settlementHint: 'Available T+1',
    withdrawHint: 'Add a settlement account first',
    reconciliation: { note: '2026-01-05 · Mismatches' },
  });
});

test("the detail never shows the server's memo; its hint says what the row is", () => {
  const detail = {
    row: {
      id: 'reversal:x',
      entryId: 'reversal:x',
      type: 'adjustment',
      amountFen: 2000,
      changes: { pendingFen: 0, availableFen: 0, withdrawingFen: 2000 },
      at: '2026-01-07T06:00:00.000Z',
    },
    related: [],
    memo: 'the bank returned the withdrawal',
    order: null,
    withdrawal: null,
  } as never;
  const view = detailView(detail);
  expect(view).toMatchObject({ title: '调账', hint: '冲正之前的一笔记录', time: '2026-01-07 14:00（北京时间）' });
  expect(JSON.stringify(view)).not.toContain('the bank returned');
  expect(view.changes).toEqual([{ label: '提现中', fen: 2000 }]);
});
