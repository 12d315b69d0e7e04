// funds' actions: who may call each (every one is merchant-admin only), the
// input it takes, and the use case in core/funds it runs.
import { z } from 'zod';
import { isDate } from '../../miniprogram/shared/beijing';
import { LANGS } from '../../miniprogram/shared/lang';
import { FILTERS, type TransactionFilter } from '../core/domain/funds/transactions';
import { getBalances, getOverview } from '../core/funds/balances';
import { changeBankAccount, getBankAccount } from '../core/funds/bank-account';
import { getReconciliation, listReconciliations } from '../core/funds/reconciliation';
import { exportTransactions, getTransaction, listTransactions } from '../core/funds/transactions';
import {
  cancelWithdrawal,
  confirmWithdrawal,
  getWithdrawal,
  listWithdrawals,
  requestWithdrawal,
} from '../core/funds/withdrawals';
import { because } from '../core/errors';
import { action } from '../core/runtime/action';
import { cursorInput, pageInput } from '../core/runtime/paging';

const none = z.object({}).strict();
const date = z.string().refine(isDate, because('date', 'must be a YYYY-MM-DD date'));
const withdrawalId = z.string().min(1).max(64);

/** The local code, or the SOTER result the phone signed over the challenge nonce. */
const proof = z.union([
  z.object({ code: z.string().regex(/^\d{6}$/, 'must be the six-digit code') }).strict(),
  z.object({ resultJSON: z.string().min(2).max(4096), resultJSONSignature: z.string().min(8).max(4096) }).strict(),
]);

export const fundsActions = {
  /** Pending, available and withdrawing: one database round trip. */
  getBalances: action({ roles: ['admin'], input: none, handler: (_input, ctx) => getBalances(ctx) }),

  /** The dashboard in one call. */
  getOverview: action({ roles: ['admin'], input: none, handler: (_input, ctx) => getOverview(ctx) }),

  listTransactions: action({
    roles: ['admin'],
    input: z
      .object({
        type: z.enum(Object.keys(FILTERS) as [TransactionFilter, ...TransactionFilter[]]).optional(),
        from: date.optional(),
        to: date.optional(),
        ...pageInput,
      })
      .strict(),
    handler: (input, ctx) => listTransactions(ctx, input),
  }),

  getTransaction: action({
    roles: ['admin'],
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    handler: (input, ctx) => getTransaction(ctx, input),
  }),

  /** A date range's rows as CSV, returned in the response; headers and type words in `lang` (Chinese by default). */
  exportTransactions: action({
    roles: ['admin'],
    input: z.object({ from: date, to: date, lang: z.enum(LANGS).optional() }).strict(),
    handler: (input, ctx) => exportTransactions(ctx, input),
  }),

  getBankAccount: action({ roles: ['admin'], input: none, handler: (_input, ctx) => getBankAccount(ctx) }),

  /** Submits a new settlement account to WeChat Pay's review; the old one stays in force until approved. */
  changeBankAccount: action({
    roles: ['admin'],
    idempotent: true,
    input: z
      .object({
        accountType: z.enum(['CORPORATE', 'PERSONAL']),
        accountBank: z.string().min(1).max(32),
        bankName: z.string().max(128).optional(),
        bankAddressCode: z.string().max(6),
        accountName: z.string().min(1).max(128),
        accountNumber: z.string().min(1).max(40),
      })
      .strict(),
    handler: (input, ctx) => changeBankAccount(ctx, input),
  }),

  /** Step 1: checks the amount and the day, issues the identity challenge. No money moves. */
  requestWithdrawal: action({
    roles: ['admin'],
    idempotent: true,
    input: z.object({ amountFen: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict(),
    handler: (input, ctx) => requestWithdrawal(ctx, input),
  }),

  /** Step 2: the identity check's answer. Only now does money move, all or nothing. */
  confirmWithdrawal: action({
    roles: ['admin'],
    idempotent: true,
    input: z.object({ withdrawalId, proof }).strict(),
    handler: (input, ctx) => confirmWithdrawal(ctx, input),
  }),

  cancelWithdrawal: action({
    roles: ['admin'],
    input: z.object({ withdrawalId }).strict(),
    handler: (input, ctx) => cancelWithdrawal(ctx, input),
  }),

  listWithdrawals: action({
    roles: ['admin'],
    input: cursorInput,
    handler: (input, ctx) => listWithdrawals(ctx, input),
  }),

  getWithdrawal: action({
    roles: ['admin'],
    input: z.object({ id: withdrawalId }).strict(),
    handler: (input, ctx) => getWithdrawal(ctx, input),
  }),

  listReconciliations: action({
    roles: ['admin'],
    input: cursorInput,
    handler: (input, ctx) => listReconciliations(ctx, input),
  }),

  getReconciliation: action({
    roles: ['admin'],
    input: z.object({ date }).strict(),
    handler: (input, ctx) => getReconciliation(ctx, input),
  }),
};
