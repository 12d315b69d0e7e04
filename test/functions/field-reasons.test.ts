// Form errors travel as reason codes with their values, never as sentences:
// what a schema refuses (zod) and what a domain rule refuses both arrive as
// { reason, params } per field, and the app words each in either language.
import { z } from 'zod';
import { main as checkout } from '../../cloudfunctions/checkout';
import { because } from '../../cloudfunctions/core/errors';
import { action } from '../../cloudfunctions/core/runtime/action';
import { createMain } from '../../cloudfunctions/core/runtime/main';
import { main as funds } from '../../cloudfunctions/funds';
import { fieldTexts } from '../../miniprogram/i18n/field-reasons';
import { FIELD_REASONS, type FieldProblems } from '../../miniprogram/shared/errors';
import { choose, key, merchant } from '../onboarding/support';
import { admin, buyer, call, errorOf, testDeps, type TestDeps } from '../support/deps';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(() => deps.close());

const CJK = /[\u4e00-\u9fff]/;

/** Every value is a known reason with flat values, worded in Chinese and in English. */
function expectReasons(fields: FieldProblems | undefined): void {
  expect(fields).toBeDefined();
  for (const [field, problem] of Object.entries(fields ?? {})) {
    expect({ field, known: (FIELD_REASONS as readonly string[]).includes(problem.reason) }).toEqual({
      field,
      known: true,
    });
    expect(Object.keys(problem).filter((k) => k !== 'reason' && k !== 'params')).toEqual([]);
    for (const value of Object.values(problem.params ?? {})) expect(['string', 'number']).toContain(typeof value);
  }
  const zh = fieldTexts('zh-CN', fields ?? {});
  const en = fieldTexts('en-US', fields ?? {});
  for (const field of Object.keys(fields ?? {})) {
    expect({ field, zh: CJK.test(zh[field]), en: CJK.test(en[field]) }).toEqual({ field, zh: true, en: false });
  }
}

describe('a schema refusal (zod) arrives as reasons with their values', () => {
  const probe = createMain('probe', {
    save: action({
      roles: ['buyer', 'admin'],
      input: z
        .object({
          name: z.string().trim().min(1).max(8),
          code: z.string().min(4).max(6).regex(/^\d+$/, 'digits'),
          quantity: z.number().int().min(1).max(99),
          priceFen: z.number().int().min(1).max(500_000),
          kind: z.enum(['A', 'B']),
          lines: z.array(z.string()).min(1).max(2),
          day: z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v), because('date', 'a YYYY-MM-DD date')),
          within: z.number().refine((v) => v <= 31, because('rangeTooLong', 'at most 31 days', { maxDays: 31 })),
        })
        .strict(),
      handler: async () => ({}),
    }),
  });

  test('each kind of refusal has its reason', async () => {
    const err = await errorOf(
      call(probe, buyer, 'save', {
        name: '   ',
        code: '12',
        quantity: 100,
        priceFen: 0,
        kind: 'C',
        lines: ['a', 'b', 'c'],
        day: 'today',
        within: 40,
        extra: true,
      }),
    );
    expect(err.code).toBe('INPUT.INVALID');
    expect(err.fields).toEqual({
      name: { reason: 'required' },
      code: { reason: 'tooShort', params: { min: 4 } },
      quantity: { reason: 'atMost', params: { max: 99 } },
      priceFen: { reason: 'amountTooSmall', params: { minFen: 1 } },
      kind: { reason: 'notAChoice' },
      lines: { reason: 'tooMany', params: { max: 2 } },
      day: { reason: 'date' },
      within: { reason: 'rangeTooLong', params: { maxDays: 31 } },
      extra: { reason: 'unknownField' },
    });
    expectReasons(err.fields);
    expect(fieldTexts('zh-CN', err.fields ?? {})).toMatchObject({
      code: '至少 4 个字',
      priceFen: '金额不能低于 ¥0.01',
      within: '时间范围最长 31 天',
    });
    expect(fieldTexts('en-US', err.fields ?? {})).toMatchObject({ priceFen: 'At least ¥0.01' });
  });

  test('missing is "required", a wrong type or format is "invalid", a long text "tooLong"', async () => {
    const err = await errorOf(
      call(probe, buyer, 'save', { name: 'far too long a name', code: '12ab', quantity: '3', kind: 'A', lines: [] }),
    );
    expect(err.fields).toEqual({
      name: { reason: 'tooLong', params: { max: 8 } },
      code: { reason: 'invalid' },
      quantity: { reason: 'invalid' },
      priceFen: { reason: 'required' },
      lines: { reason: 'tooFew', params: { min: 1 } },
      day: { reason: 'required' },
      within: { reason: 'required' },
    });
    expectReasons(err.fields);
  });

  test('a bad event is refused as a whole or by its own fields', async () => {
    const err = await errorOf(call(probe, buyer, 'save', {}, 'short'));
    expect(err.fields).toEqual({ idempotencyKey: { reason: 'tooShort', params: { min: 8 } } });
  });
});

describe('a domain refusal arrives as reasons with their values', () => {
  test('onboarding: the bank account number rule and an expired document', async () => {
    await choose('ENTERPRISE');
    const bank = await errorOf(
      merchant('saveStep', { step: 'bank', data: { accountType: 'CORPORATE', accountNumber: '1'.repeat(31) } }),
    );
    expect(bank).toMatchObject({
      code: 'INPUT.INVALID',
      fields: { 'bank.accountNumber': { reason: 'accountNumberDigits', params: { min: 8, max: 30 } } },
    });
    expectReasons(bank.fields);
    expect(fieldTexts('zh-CN', bank.fields ?? {})['bank.accountNumber']).toBe('银行账号应为 8 到 30 位数字');

    const identity = await errorOf(
      merchant('saveStep', { step: 'identity', data: { periodBegin: '2010-01-01', periodEnd: '2020-01-01' } }),
    );
    expect(identity.fields).toEqual({ 'identity.periodEnd': { reason: 'expired', params: { date: '2020-01-01' } } });
    expect(fieldTexts('zh-CN', identity.fields ?? {})['identity.periodEnd']).toBe('证件已于 2020-01-01 过期');

    const incomplete = await errorOf(merchant('submitApplication', {}, admin, key()));
    expect(incomplete.code).toBe('ONBOARDING.INCOMPLETE');
    expect(incomplete.fields?.['subject.creditCode']).toEqual({ reason: 'required' });
    expectReasons(incomplete.fields);
  });

  test('checkout and funds: products listed twice, a range too long', async () => {
    const twice = await errorOf(
      call(
        checkout,
        buyer,
        'quoteOrder',
        {
          items: [
            { productId: 'P1', quantity: 1 },
            { productId: 'P1', quantity: 2 },
          ],
        },
        key(),
      ),
    );
    expect(twice.fields).toEqual({ items: { reason: 'listedTwice' } });

    const range = await errorOf(call(funds, admin, 'listTransactions', { from: '2024-01-01', to: '2026-01-01' }));
    expect(range.fields).toEqual({ to: { reason: 'rangeTooLong', params: { maxDays: 366 } } });
    expectReasons(range.fields);
    const reversed = await errorOf(call(funds, admin, 'listTransactions', { from: '2026-01-02', to: '2026-01-01' }));
    expect(reversed.fields).toEqual({ to: { reason: 'rangeOrder' } });
  });
});
