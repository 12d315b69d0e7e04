// Validity periods against the clock's date.
import { checkIdCardPeriod, checkPeriod, LONG_TERM } from '../../../cloudfunctions/core/domain/onboarding/periods';
import { ADMIN_ID, LEGAL_ID, TODAY } from '../fixtures';

describe('validity periods', () => {
  test('a current period, and a long-term one, pass', () => {
    expect(checkPeriod({ begin: '2020-01-01', end: '2030-01-01' }, TODAY, 'licence')).toEqual({});
    expect(checkPeriod({ begin: '2020-01-01', end: LONG_TERM }, TODAY, 'licence')).toEqual({});
  });

  test('an expired document is refused', () => {
    expect(checkPeriod({ begin: '2015-01-01', end: '2026-01-04' }, TODAY, 'ID card')).toEqual({
      end: 'This ID card has expired',
    });
  });

  test('a document expiring within 60 days is refused; 61 days is fine', () => {
    expect(checkPeriod({ begin: '2016-03-06', end: '2026-03-06' }, TODAY, 'licence').end).toMatch(/within 60 days/); // 60 days left
    expect(checkPeriod({ begin: '2016-03-07', end: '2026-03-07' }, TODAY, 'licence')).toEqual({}); // 61 days left
  });

  test('a start in the future, an end before the start, and non-dates are refused', () => {
    expect(checkPeriod({ begin: '2026-01-06', end: LONG_TERM }, TODAY, 'licence').begin).toMatch(/future/);
    expect(checkPeriod({ begin: '2020-01-01', end: '2019-12-31' }, TODAY, 'licence').end).toMatch(/after the start/);
    expect(checkPeriod({ begin: '2020-02-30', end: LONG_TERM }, TODAY, 'licence').begin).toMatch(/YYYY-MM-DD/);
    expect(checkPeriod({ begin: '2020-01-01', end: 'forever' }, TODAY, 'licence').end).toMatch(/YYYY-MM-DD/);
  });

  test('the clock decides: the same period expires when time moves on', () => {
    const period = { begin: '2016-06-01', end: '2026-06-01' };
    expect(checkPeriod(period, TODAY, 'ID card')).toEqual({});
    expect(checkPeriod(period, '2026-06-02', 'ID card').end).toMatch(/expired/);
  });
});

describe('mainland ID card periods', () => {
  test('5, 10 or 20 years from the start date', () => {
    for (const end of ['2021-03-07', '2026-03-07', '2036-03-07']) {
      expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end })).toEqual({});
    }
    expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end: '2031-03-07' }).end).toMatch(
      /5, 10 or 20 years/,
    );
    expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end: '2036-03-08' }).end).toMatch(
      /5, 10 or 20 years/,
    );
  });

  test('long-term only for holders 46 or older at issue', () => {
    // LEGAL_ID was born 1949-12-31: 46 on 1995-12-31.
    expect(checkIdCardPeriod('MAINLAND_ID', LEGAL_ID, { begin: '1995-12-31', end: LONG_TERM })).toEqual({});
    expect(checkIdCardPeriod('MAINLAND_ID', LEGAL_ID, { begin: '1995-12-30', end: LONG_TERM }).end).toMatch(
      /from age 46/,
    );
    expect(checkIdCardPeriod('MAINLAND_ID', ADMIN_ID, { begin: '2016-03-07', end: LONG_TERM }).end).toMatch(
      /from age 46/,
    );
  });

  test('other documents are not held to the ID card lengths', () => {
    expect(checkIdCardPeriod('PASSPORT', 'E12345678', { begin: '2016-03-07', end: '2031-03-07' })).toEqual({});
  });
});
