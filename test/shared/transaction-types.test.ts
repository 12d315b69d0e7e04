// The shared transaction types: one word each, for the app's lists and the
// CSV export, and the same union as the funds DTOs (checked by `tsc`).
import { TRANSACTION_TYPES, TYPE_LABELS, type TransactionType } from '../../miniprogram/shared/transaction-types';
import type { TransactionType as DtoTransactionType } from '../../typings/funds';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const dtoUnionIsTheSharedList: Same<DtoTransactionType, TransactionType> = true;

test('every type has its own label, and the DTO union is the shared list', () => {
  expect(dtoUnionIsTheSharedList).toBe(true);
  expect(Object.keys(TYPE_LABELS).sort()).toEqual([...TRANSACTION_TYPES].sort());
  expect(new Set(Object.values(TYPE_LABELS)).size).toBe(TRANSACTION_TYPES.length);
  expect(TYPE_LABELS.withdrawal_paid).toBe('Paid to bank');
});
