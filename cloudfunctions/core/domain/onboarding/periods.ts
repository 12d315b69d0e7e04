// Validity periods of licences, certificates and identity documents, judged
// against today's date from the Clock (China time). WeChat Pay wants every
// document valid for more than 60 more days when the application is filed.
import type { IdDocType } from '../../../../typings/onboarding';
import { addDays, isDate } from '../../../../miniprogram/shared/beijing';
import { addYears, birthDateOf } from './checks';

export const LONG_TERM = 'LONG_TERM';
export const MIN_DAYS_LEFT = 60;

/** Mainland ID cards are issued for 5, 10 or 20 years, or long-term from age 46. */
const ID_CARD_YEARS = [5, 10, 20];
const LONG_TERM_ID_AGE = 46;

export interface PeriodInput {
  begin?: string;
  end?: string;
}

export type PeriodProblems = Partial<Record<'begin' | 'end', string>>;

/** Checks one period; `what` names the document in messages. */
export function checkPeriod(period: PeriodInput, today: string, what: string): PeriodProblems {
  const problems: PeriodProblems = {};
  const { begin, end } = period;
  if (begin !== undefined) {
    if (!isDate(begin)) problems.begin = 'Enter a date as YYYY-MM-DD';
    else if (begin > today) problems.begin = `The ${what} cannot start in the future`;
  }
  if (end !== undefined && end !== LONG_TERM) {
    if (!isDate(end)) problems.end = `Enter a date as YYYY-MM-DD, or choose long-term`;
    else if (begin && isDate(begin) && end <= begin) problems.end = 'The end date must be after the start date';
    else if (end < today) problems.end = `This ${what} has expired`;
    else if (end <= addDays(today, MIN_DAYS_LEFT))
      problems.end = `This ${what} expires within ${MIN_DAYS_LEFT} days; renew it first`;
  }
  return problems;
}

/**
 * The extra rules of a mainland ID card: its validity is 5, 10 or 20 years
 * from the issue date, or long-term for holders aged 46 or more at issue.
 */
export function checkIdCardPeriod(
  docType: IdDocType | undefined,
  number: string | undefined,
  period: PeriodInput,
): PeriodProblems {
  if (docType !== 'MAINLAND_ID' || !period.begin || !period.end || !isDate(period.begin)) return {};
  if (period.end === LONG_TERM) {
    if (number && /^\d{17}[\dX]$/.test(number) && isDate(birthDateOf(number))) {
      if (addYears(birthDateOf(number), LONG_TERM_ID_AGE) > period.begin) {
        return { end: `Long-term ID cards are only issued from age ${LONG_TERM_ID_AGE}: check the validity period` };
      }
    }
    return {};
  }
  const begin = period.begin;
  if (!ID_CARD_YEARS.some((years) => addYears(begin, years) === period.end)) {
    return { end: 'An ID card is valid for 5, 10 or 20 years from its start date: check both dates' };
  }
  return {};
}
