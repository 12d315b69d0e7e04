// The shared transaction types: one word each per language, for the app's
// lists and the CSV export, and the same union as the funds DTOs (checked by `tsc`).
import { LANGS } from '../../miniprogram/shared/lang';
import { TRANSACTION_TYPES, TYPE_LABELS, type TransactionType } from '../../miniprogram/shared/transaction-types';
import type { TransactionType as DtoTransactionType } from '../../typings/funds';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const dtoUnionIsTheSharedList: Same<DtoTransactionType, TransactionType> = true;

test.each(LANGS)('%s: every type has its own label, and the DTO union is the shared list', (lang) => {
  expect(dtoUnionIsTheSharedList).toBe(true);
  expect(Object.keys(TYPE_LABELS[lang]).sort()).toEqual([...TRANSACTION_TYPES].sort());
  expect(new Set(Object.values(TYPE_LABELS[lang])).size).toBe(TRANSACTION_TYPES.length);
});

test('the words in each language', () => {
  expect(TYPE_LABELS['zh-CN'].withdrawal_paid).toBe('提现到账');
  expect(TYPE_LABELS['zh-CN'].refund).toBe('退款');
  expect(TYPE_LABELS['zh-CN'].fee).toBe('手续费');
  expect(TYPE_LABELS['en-US'].withdrawal_paid).toBe('Paid to bank');
  for (const label of Object.values(TYPE_LABELS['en-US'])) expect(label).not.toMatch(/[\u4e00-\u9fff]/);
});
