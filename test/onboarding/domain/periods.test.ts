// Validity periods against the clock's date.
import { checkIdCardPeriod, checkPeriod, LONG_TERM } from '../../../cloudfunctions/core/domain/onboarding/periods';
import { ADMIN_ID, LEGAL_ID, TODAY } from '../fixtures';

describe('validity periods', () => {
  test('a current period, and a long-term one, pass', () => {
    expect(checkPeriod({ begin: '2020-01-01', end: '2030-01-01' }, TODAY)).toEqual({});
    expect(checkPeriod({ begin: '2020-01-01', end: LONG_TERM }, TODAY)).toEqual({});
  });

  test('an expired document is refused', () => {
    expect(checkPeriod({ begin: '2015-01-01', end: '2026-01-04' }, TODAY)).toEqual({
      end: { reason: 'expired', params: { date: '2026-01-04' } },
    });
  });

  test('a document expiring within 60 days is refused; 61 days is fine', () => {
    expect(checkPeriod({ begin: '2016-03-06', end: '2026-03-06' }, TODAY).end).toEqual({
      reason: 'expiresSoon',
      params: { days: 60 },
    }); // 60 days left
    expect(checkPeriod({ begin: '2016-03-07', end: '2026-03-07' }, TODAY)).toEqual({}); // 61 days left
  });

  test('a start in the future, an end before the start, and non-dates are refused', () => {
    expect(checkPeriod({ begin: '2026-01-06', end: LONG_TERM }, TODAY).begin).toEqual({
      reason: 'periodStartsInFuture',
    });
    expect(checkPeriod({ begin: '2020-01-01', end: '2019-12-31' }, TODAY).end).toEqual({ reason: 'periodOrder' });
    expect(checkPeriod({ begin: '2020-02-30', end: LONG_TERM }, TODAY).begin).toEqual({ reason: 'date' });
    expect(checkPeriod({ begin: '2020-01-01', end: 'forever' }, TODAY).end).toEqual({ reason: 'dateOrLongTerm' });
  });

  test('the clock decides: the same period expires when time moves on', () => {
    const period = { begin: '2016-06-01', end: '2026-06-01' };
    expect(checkPeriod(period, TODAY)).toEqual({});
    expect(checkPeriod(period, '2026-06-02').end).toEqual({
      reason: 'expired',
      params: { date: '2026-06-01' },
    });
  });
});

describe('mainland ID card periods', () => {
  test('5, 10 or 20 years from the start date', () => {
    for (const end of ['2021-03-07', '2026-03-07', '2036-03-07']) {
      expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end })).toEqual({});
    }
    expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end: '2031-03-07' }).end).toEqual({
      reason: 'idCardValidity',
    });
    expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end: '2036-03-08' }).end).toEqual({
      reason: 'idCardValidity',
    });
  });

  test('long-term only for holders 46 or older at issue', () => {
    // LEGAL_ID was born 1949-12-31: 46 on 1995-12-31.
    expect(checkIdCardPeriod('MAINLAND_ID', LEGAL_ID, { begin: '1995-12-31', end: LONG_TERM })).toEqual({});
    expect(checkIdCardPeriod('MAINLAND_ID', LEGAL_ID, { begin: '1995-12-30', end: LONG_TERM }).end).toEqual({
      reason: 'longTermIdTooYoung',
      params: { age: 46 },
    });
    expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end: LONG_TERM }).end).toEqual({
      reason: 'longTermIdTooYoung',
      params: { age: 46 },
    });
  });

  test('other documents are not held to the ID card lengths', () => {
    expect(checkIdCardPeriod('PASSPORT', 'E12345678', { begin: '2016-03-07', end: '2031-03-07' })).toEqual({});
  });
});
